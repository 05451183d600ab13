from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "cme.provision"
    verbose_name = "Provision: the place a child is given, and its attendance watched"

    def ready(self) -> None:
        # A case closes as "back in education" only once its provision has been watched.
        from cme.cases.closing import close_requirement_register

        from .closing import provision_watched

        close_requirement_register("provision", provision_watched)
