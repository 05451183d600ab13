from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cme.reports"
    verbose_name = "Reports"
