from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cme.accounts.permissions import Action, can

from .contact import council_contact


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.CME_SERVICE_NAME,
        "la_name": settings.CME_LA_NAME,
        "demo": settings.CME_DEMO,
        "today": timezone.localdate(),
        # The CME team's public contact details (policy FAQ 6), for every page that needs them.
        # As a CME manager saved them, else the settings (cme/core/contact.py); read only by
        # the pages that show them.
        "council_contact": SimpleLazyObject(council_contact),
        # The menu asks the permissions model, so the Reports link follows who may read them.
        "may_view_reports": SimpleLazyObject(
            lambda: (
                getattr(request, "user", None) is not None
                and request.user.is_authenticated
                and can(request.user, Action.VIEW_REPORTS)
            )
        ),
    }
