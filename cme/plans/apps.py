from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cme.plans"
    verbose_name = "Key workers' action plans"
