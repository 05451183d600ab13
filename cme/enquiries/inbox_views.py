"""The recipients' side: a school's or another council's inbox, and the secure link page for
those with no account. Both show only what the recipient needs to search
(cme.enquiries.disclosure), and take the answer once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cme.accounts.permissions import Action, can
from cme.accounts.record_access import may_read_incoming
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest
from cme.core.rate_limits import rate_count_hit, window_remaining
from cme.core.request_context import current_request_meta

from . import services
from .disclosure import search_details
from .forms import AnswerForm, LetterTemplateForm
from .models import LETTER_KINDS, AnsweredVia, Kind
from .selectors import inbox, inbox_enquiry_get
from .views import _pdf

LINK_WINDOW_SECONDS = 60 * 60


@login_required
def inbox_page(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Action.ANSWER_ENQUIRY):
        raise NotAllowed
    waiting, answered = inbox(user=request.user)
    return render(
        request,
        "enquiries/inbox.html",
        {
            "waiting": waiting,
            "answered": answered,
            "may_send_cme4": may_read_incoming(request.user.role, sender=True)
            and request.user.organisation_id is not None
            and not can(request.user, Action.TRIAGE),
        },
    )


@login_required
def inbox_detail(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = inbox_enquiry_get(user=request.user, enquiry_id=enquiry_id)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        kind=enquiry.kind,
        initial={"version": enquiry.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enquiry_answer(
                enquiry=enquiry,
                answer=form.answer(),
                by=request.user,
                via=AnsweredVia.INBOX,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your answer has been sent to the CME team")
            return redirect("enquiries:inbox")
    return render(
        request,
        "enquiries/inbox_detail.html",
        {"enquiry": enquiry, "details": search_details(enquiry), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def inbox_letter(request: AuthedRequest, enquiry_id: int) -> HttpResponse:
    enquiry = inbox_enquiry_get(user=request.user, enquiry_id=enquiry_id)
    return _pdf(services.enquiry_letter(enquiry), f"enquiry-{enquiry.reference}")


def _limited(request: HttpRequest) -> bool:
    """Secure links are rate-limited per address, so tokens cannot be guessed at speed."""
    count = rate_count_hit(
        scope="enquiry_link",
        client=current_request_meta().ip_address or "unknown",
        window_seconds=LINK_WINDOW_SECONDS,
    )
    return count > settings.CME_ENQUIRY_LINK_PER_IP


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(
        request,
        "enquiries/reply_refused.html",
        {"message": message, "contact_phone": settings.CME_CONTACT_PHONE},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, token: str) -> HttpResponse:
    """The page a recipient with no account reaches from the email's link."""
    if _limited(request):
        response = _refused(
            request,
            "Too many attempts from your connection. Wait an hour, then use the link again.",
            status=429,
        )
        response["Retry-After"] = str(window_remaining(LINK_WINDOW_SECONDS))
        return response
    check = services.link_check(token)
    if check.problem is not None or check.link is None:
        audit_record(
            actor=None,
            verb=Verb.DENIED,
            subject_type="enquiry_link",
            details={"problem": str(check.problem), "link": check.link.pk if check.link else None},
        )
        status = 404 if check.link is None else 410
        return _refused(request, check.message, status=status)
    enquiry = check.link.enquiry
    form = AnswerForm(
        request.POST if request.method == "POST" else None, kind=enquiry.kind, by_link=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enquiry_answer_by_link(token=token, answer=form.answer())
        except ValidationError as error:
            if getattr(error, "code", None) == "link":
                return _refused(request, " ".join(error.messages), status=410)
            add_service_errors(form, error)
        else:
            return render(request, "enquiries/reply_done.html", {"reference": enquiry.reference})
    else:
        audit_record(
            actor=None,
            verb=Verb.VIEW,
            subject=enquiry,
            child_id=enquiry.case.child_id,
            details={"via": "link", "link": check.link.pk},
        )
    return render(
        request,
        "enquiries/reply.html",
        {"enquiry": enquiry, "details": search_details(enquiry), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def letters(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Action.EDIT_LETTERS):
        raise NotAllowed
    rows = [
        (Kind(kind), services.letter_template_for(kind))
        for kind in Kind.values
        if kind in LETTER_KINDS
    ]
    return render(request, "enquiries/letters.html", {"rows": rows})


@login_required
def letter_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    if not can(request.user, Action.EDIT_LETTERS):
        raise NotAllowed
    if kind not in LETTER_KINDS:
        from django.http import Http404

        raise Http404
    current = services.letter_template_for(kind)
    form: Any = LetterTemplateForm(
        request.POST if request.method == "POST" else None,
        instance=current,
        initial={"version": current.version},
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.letters.TEMPLATE_FIELDS}
        try:
            services.letter_template_save(
                kind=kind,
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Letter saved. Letters already sent are kept as they were.")
            return redirect("enquiries:letters")
    return render(
        request,
        "enquiries/letter_edit.html",
        {"form": form, "kind": Kind(kind)},
        status=400 if form.errors else 200,
    )
