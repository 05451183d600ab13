from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "cme.calendars"
    verbose_name = "School-day calendars"
