from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "cme.transfers"
    verbose_name = "Common Transfer File duties"
