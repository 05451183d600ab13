"""The council's enquiry pages: a case's enquiries, sending each kind, an enquiry's page with
its answer, chases and letter. Each view parses, calls one selector or service, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from . import services
from .forms import (
    AgencyForm,
    AnswerForm,
    CouncilForm,
    HomeVisitForm,
    SchoolsForm,
    SearchForm,
    WithdrawForm,
)
from .models import AnsweredVia, Enquiry, EnquiryEmail, Kind
from .next_steps import close_on_roll, next_steps
from .selectors import case_enquiries, enquiry_get, school_suggestions

SEND_TITLES = {
    Kind.CME3A: "Ask schools whether the child is on their roll (CME3a)",
    Kind.CME4: "Ask another council (CME4)",
    Kind.CME5A: "Tell the council the child is moving to (CME5a)",
    Kind.HOME_VISIT: "Ask PAEWS for a home visit",
    Kind.AGENCY_CHECK: "Check with a partner agency",
    Kind.S2S_SEARCH: "Record an S2S search",
    Kind.LOST_PUPIL_SEARCH: "Record a lost pupil database search",
}


@login_required
def case_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    page = case_enquiries(user=request.user, case_id=case_id)
    return render(
        request,
        "enquiries/case.html",
        {"page": page, "case": page.case, "child": page.case.child, "titles": SEND_TITLES},
    )


def _pdf(letter: Any, name: str) -> HttpResponse:
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _send_form(request: AuthedRequest, kind: str, case: Any) -> Any:
    data = request.POST if request.method == "POST" else None
    if kind == Kind.CME3A:
        return SchoolsForm(data, suggestions=school_suggestions(case))
    if kind in {Kind.CME4, Kind.CME5A}:
        initial = {"la_code": request.GET.get("la_code", "")[:3]} if data is None else None
        return CouncilForm(data, initial=initial)
    if kind == Kind.AGENCY_CHECK:
        return AgencyForm(data)
    if kind == Kind.HOME_VISIT:
        return HomeVisitForm(
            data, initial={"visitor": case.paews_officer_id} if data is None else None
        )
    return SearchForm(data)


def _recipients(kind: str, form: Any) -> list[services.Recipient]:
    data = form.cleaned_data
    if kind == Kind.CME3A:
        return [
            services.Recipient(school=school, school_reason=reason, email=email)
            for school, reason, email in form.chosen()
        ]
    if kind in {Kind.CME4, Kind.CME5A}:
        return [
            services.Recipient(
                organisation=data.get("council"),
                la_code=(data.get("la_code") or "").strip(),
                email=data.get("recipient_email") or "",
            )
        ]
    if kind == Kind.AGENCY_CHECK:
        return [
            services.Recipient(
                agency_area=data["agency_area"],
                organisation=data.get("organisation"),
                name=data.get("name") or "",
                email=data.get("recipient_email") or "",
            )
        ]
    if kind == Kind.HOME_VISIT:
        return [services.Recipient(user=data["visitor"])]
    return [services.Recipient()]


@transaction.atomic
def _send_and_record(request: AuthedRequest, kind: str, case: Any, form: Any) -> list[Enquiry]:
    sent = services.enquiry_send(
        case=case,
        kind=kind,
        recipients=_recipients(kind, form),
        by=request.user,
        due_on=form.cleaned_data.get("due_on"),
    )
    if kind in {Kind.S2S_SEARCH, Kind.LOST_PUPIL_SEARCH}:
        # A search is made and its result known at once: sent and answered together.
        services.enquiry_answer(
            enquiry=sent[0],
            answer=services.Answer(
                outcome=form.cleaned_data["outcome"], details=form.cleaned_data.get("details", "")
            ),
            by=request.user,
            via=AnsweredVia.OFFICER,
        )
    return sent


_FIELD_FOR_SERVICE = {"recipient": None, "recipient_email": "recipient_email", "due_on": "due_on"}


@login_required
def send(request: AuthedRequest, case_id: int, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    page = case_enquiries(user=request.user, case_id=case_id)
    allowed = page.can_send or (kind == Kind.HOME_VISIT and page.can_record_visit)
    if not allowed:
        raise NotAllowed
    form = _send_form(request, kind, page.case)
    if request.method == "POST" and form.is_valid():
        try:
            sent = _send_and_record(request, kind, page.case, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            what = (
                "Search recorded"
                if kind in {Kind.S2S_SEARCH, Kind.LOST_PUPIL_SEARCH}
                else (f"{len(sent)} enquiries sent" if len(sent) > 1 else "Enquiry sent")
            )
            messages.success(request, what)
            return redirect("enquiries:case", case_id=case_id)
    return render(
        request,
        "enquiries/send.html",
        {
            "page": page,
            "case": page.case,
            "child": page.case.child,
            "form": form,
            "kind": kind,
            "heading": SEND_TITLES[Kind(kind)],
        },
        status=400 if form.errors else 200,
    )


def _detail_context(request: AuthedRequest, enquiry: Enquiry, **extra: Any) -> dict[str, Any]:
    return {
        "enquiry": enquiry,
        "case": enquiry.case,
        "child": enquiry.case.child,
        "steps": next_steps(enquiry),
        "emails": list(enquiry.emails.all()),
        "may_act": can(request.user, Action.TRIAGE) or enquiry.kind == Kind.HOME_VISIT,
        "may_close": can(request.user, Action.CLOSE_CASE) and enquiry.case.is_open,
        "answer_form": extra.pop("answer_form", None)
        or AnswerForm(kind=enquiry.kind, initial={"version": enquiry.version}),
        "withdraw_form": extra.pop("withdraw_form", None)
        or WithdrawForm(initial={"version": enquiry.version}),
        **extra,
    }


@login_required
def detail(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    return render(request, "enquiries/detail.html", _detail_context(request, enquiry))


@login_required
@require_POST
def answer(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    """The council records an answer (a home visit, or an answer that came by phone or post)."""
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    form = AnswerForm(request.POST, kind=enquiry.kind)
    if form.is_valid():
        try:
            services.enquiry_answer(
                enquiry=enquiry,
                answer=form.answer(),
                by=request.user,
                via=AnsweredVia.OFFICER,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Answer recorded")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    return render(
        request,
        "enquiries/detail.html",
        _detail_context(request, enquiry, answer_form=form),
        status=400,
    )


def _post_action(request: AuthedRequest, enquiry_id: int, act: Any, done: str) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    try:
        act(enquiry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)


def _version(request: AuthedRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def chase(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    return _post_action(
        request,
        enquiry_id,
        lambda e: services.enquiry_chase(
            enquiry=e, by=request.user, expected_version=_version(request)
        ),
        "Enquiry chased",
    )


@login_required
@require_POST
def escalate(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    return _post_action(
        request,
        enquiry_id,
        lambda e: services.enquiry_escalate(enquiry=e, by=request.user),
        "Enquiry escalated to the CME managers",
    )


@login_required
@require_POST
def withdraw(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.enquiry_withdraw(
                enquiry=enquiry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Enquiry withdrawn")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    return render(
        request,
        "enquiries/detail.html",
        _detail_context(request, enquiry, withdraw_form=form),
        status=400,
    )


@login_required
@require_POST
def close_case_on_roll(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    if not can(request.user, Action.CLOSE_CASE):
        raise NotAllowed
    try:
        close_on_roll(enquiry=enquiry, by=request.user, expected_version=_version(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    messages.success(request, "Case closed: the child is on a school roll")
    return redirect(reverse("cases:detail", args=[enquiry.case_id]))


@login_required
def letter(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    if not enquiry.is_external:
        raise Http404
    return _pdf(services.enquiry_letter(enquiry), f"enquiry-{enquiry.reference}")


@login_required
@require_POST
def resend_email(request: AuthedRequest, enquiry_id: int, email_id: int) -> HttpResponse:
    enquiry = enquiry_get(user=request.user, enquiry_id=enquiry_id)
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    email = EnquiryEmail.objects.filter(pk=email_id, enquiry=enquiry).first()
    if email is None:
        raise Http404
    with transaction.atomic():
        services.email_resend(email=email)
    messages.success(request, "The email will be tried again")
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)
