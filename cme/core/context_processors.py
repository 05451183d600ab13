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
    }
