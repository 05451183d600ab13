from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cme.api"
    verbose_name = "REST API (v1)"

    def ready(self) -> None:
        # Registers the bearer token scheme with drf-spectacular before any schema is built.
        from . import authentication  # noqa: F401
