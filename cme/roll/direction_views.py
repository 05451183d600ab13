"""Reinstatement directions: the officer's queue, the letter (page and PDF), and the school's
confirmation that the pupil is back on roll."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from cme.accounts.record_access import SchoolLetterAct
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.rules import ground_for_reference

from .direction_models import ReinstatementDirection
from .direction_selectors import direction_get, directions_queue
from .models import Channel
from .school_forms import ReinstatedForm
from .services import reinstatement_confirm


def letter_context(direction: ReinstatementDirection) -> dict[str, Any]:
    la = settings.CME_LA_NAME
    return {
        "direction": direction,
        "ground_title": ground_for_reference(direction.deletion_return.ground).title,
        "letterhead": [
            f"{la} City Council",
            "Children Missing Education team",
            *settings.CME_CONTACT_ADDRESS,
        ],
        "la_name": la,
        "contact_email": settings.CME_CONTACT_EMAIL,
        "contact_phone": settings.CME_CONTACT_PHONE,
    }


def direction_pdf(direction: ReinstatementDirection) -> bytes:
    from weasyprint import HTML  # a heavy import, only where a letter is made

    html = render_to_string("roll/direction_letter_pdf.html", letter_context(direction))
    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint made no PDF")
    return bytes(pdf)


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    return render(request, "roll/directions_queue.html", directions_queue(user=request.user))


def _page(
    request: AuthedRequest,
    direction: ReinstatementDirection,
    acts: frozenset[Any],
    *,
    form: ReinstatedForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None and direction.awaiting and SchoolLetterAct.ANSWER in acts:
        form = ReinstatedForm()
    return render(
        request,
        "roll/direction.html",
        {
            **letter_context(direction),
            "form": form,
            "may_work": SchoolLetterAct.WORK in acts,
        },
        status=status,
    )


@login_required
def detail(request: AuthedRequest, direction_id: int) -> HttpResponse:
    direction, acts = direction_get(user=request.user, direction_id=direction_id)
    return _page(request, direction, acts)


@login_required
def letter(request: AuthedRequest, direction_id: int) -> HttpResponse:
    direction, _ = direction_get(user=request.user, direction_id=direction_id)
    response = HttpResponse(direction_pdf(direction), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="reinstatement-direction-{direction.reference}.pdf"'
    )
    return response


@login_required
@post_only("reinstatements:detail", "direction_id")
def reinstated(request: AuthedRequest, direction_id: int) -> HttpResponse:
    direction, acts = direction_get(user=request.user, direction_id=direction_id)
    form = ReinstatedForm(request.POST)
    if form.is_valid():
        try:
            reinstatement_confirm(
                direction=direction,
                by=request.user,
                reinstated_on=form.cleaned_data["reinstated_on"],
                channel=Channel.WEB,
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Thank you: the council has your confirmation that "
                f"{direction.deletion_return.pupil_name} is back on your roll",
            )
            return redirect("school-returns:list")
    return _page(request, direction, acts, form=form, status=400)
