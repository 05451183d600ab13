from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cme.audit.selectors import child_access_log
from cme.core.http import AuthedRequest

from .selectors import child_get, child_record_get


@login_required
def detail(request: AuthedRequest, child_id: int) -> HttpResponse:
    record = child_record_get(user=request.user, child_id=child_id)
    return render(request, "people/detail.html", {"record": record})


@login_required
def audit(request: AuthedRequest, child_id: int) -> HttpResponse:
    """Who has looked at or changed this child's record (CME managers only)."""
    child = child_get(user=request.user, child_id=child_id)
    page = child_access_log(
        user=request.user, child_id=child.pk, page_number=request.GET.get("page", 1)
    )
    return render(request, "people/audit.html", {"child": child, "page": page})
