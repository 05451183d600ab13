from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "cme.records"
    verbose_name = "Children's records (retention and subject access)"
