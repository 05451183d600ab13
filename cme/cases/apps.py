from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cme.cases"
    verbose_name = "Cases"
