from django.apps import AppConfig


class RollConfig(AppConfig):
    name = "cme.roll"
    verbose_name = "Schools' rolls: returns, deletions and CME1"
