from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cme.demo"
    verbose_name = "Demo authority"
