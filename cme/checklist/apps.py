from django.apps import AppConfig


class ChecklistConfig(AppConfig):
    name = "cme.checklist"
    verbose_name = "CME1: the school's checklist for a pupil whose whereabouts are unknown"
