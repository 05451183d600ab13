from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "cme.checks"
    verbose_name = "Checks against the register, the EMS, S2S and home education"
