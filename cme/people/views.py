from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cme.core.http import AuthedRequest

from .selectors import child_record_get


@login_required
def detail(request: AuthedRequest, child_id: int) -> HttpResponse:
    record = child_record_get(user=request.user, child_id=child_id)
    return render(request, "people/detail.html", {"record": record})
