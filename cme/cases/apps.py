from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cme.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cme.calendars.models import Closure, TermDates

        from .due import refresh_all_later

        # The calendars sit below the cases (docs/architecture.md) and cannot call them: a
        # change of term dates or closures moves every school-day due date, so every open
        # case's stored dates are worked out again once it is committed.
        for model in (TermDates, Closure):
            post_save.connect(refresh_all_later, sender=model, dispatch_uid=f"due-{model.__name__}")
            post_delete.connect(
                refresh_all_later, sender=model, dispatch_uid=f"due-del-{model.__name__}"
            )
