from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "cme.records"
    verbose_name = "Children's records (retention and subject access)"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the retention settings check)
