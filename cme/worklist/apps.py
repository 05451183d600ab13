from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "cme.worklist"
    verbose_name = "Work list"
