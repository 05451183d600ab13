from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "cme.checks"
    verbose_name = "Checks against the register, the EMS, S2S and home education"

    def ready(self) -> None:
        # Registers the EMS, S2S and home education sources (cme.cases.sources), so a search
        # from another step finds them without importing this one.
        from . import sources  # noqa: F401
