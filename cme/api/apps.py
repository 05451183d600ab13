from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cme.api"
    verbose_name = "REST API (v1)"
