from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "cme.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        post_migrate.connect(_grant_app_role, sender=self)


def _grant_app_role(*, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    """After `cme migrate` ran as the owner (DATABASE_OWNER_URL), grant the app's role its
    privileges on every table, new ones included, the audit table's held to INSERT and SELECT."""
    from django.conf import settings
    from django.db import connections

    from .roles import app_role_grant

    app_role = getattr(settings, "CME_DATABASE_APP_ROLE", "")
    connection = connections[using]
    if not app_role or connection.vendor != "postgresql":
        return
    app_role_grant(connection=connection, app_role=app_role)
    if verbosity:
        stdout = kwargs.get("stdout")
        if stdout is not None:
            stdout.write(
                f"  Granted {app_role} the app's privileges; audit events: INSERT, SELECT only."
            )
