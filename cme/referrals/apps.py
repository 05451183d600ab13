from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cme.referrals"
    verbose_name = "Referrals"
