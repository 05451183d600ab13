from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cme.oversight"
    verbose_name = "Oversight: the audit trail read by managers"
