from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.CME_SERVICE_NAME,
        "la_name": settings.CME_LA_NAME,
        "demo": settings.CME_DEMO,
        "today": timezone.localdate(),
        # The CME team's public contact details (policy FAQ 6), for every page that needs them.
        "council_contact": {
            "email": settings.CME_CONTACT_EMAIL,
            "phone": settings.CME_CONTACT_PHONE,
            "hours": settings.CME_CONTACT_HOURS,
            "address": settings.CME_CONTACT_ADDRESS,
            "dpo_email": settings.CME_DPO_EMAIL,
        },
    }
