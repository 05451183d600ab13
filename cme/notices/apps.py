from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "cme.notices"
    verbose_name = "Public notices"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
