from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "cme.accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks


class CmeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the register's site: every change made there is audited."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "cme.accounts.admin_site.CmeAdminSite"
