from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "cme.checks"
    verbose_name = "Checks against the register, the EMS, S2S and home education"

    def ready(self) -> None:
        # Registers the EMS, S2S and home education sources (cme.cases.sources), so a search
        # from another step finds them without importing this one.
        # Every search scores with the model a manager chose (cme match use), which the
        # database records; the matching package asks through this provider.
        from cme.matching.model import set_model_provider

        from . import sources  # noqa: F401
        from .matching_models import active_model

        set_model_provider(active_model)
