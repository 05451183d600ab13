from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "cme.schools"
    verbose_name = "Schools"
