from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cme.audit"
    verbose_name = "Audit"
