"""The CME1 pages: a school works through the checklist, its PAEWS officer signs it off or
returns it, the CME team reads them all and adds its own checks.

Each form posts to its own address and comes back to the checklist's page (post-redirect-get);
a refused form is shown on the checklist's page with what was typed and why (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cme.accounts.record_access import Cme1Right
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.rules.cme1 import STEPS, step

from . import services
from .forms import DecisionForm, OpenForm, StepForm, SubmitForm, new_key
from .models import Checklist, OutcomeChoice, Status
from .selectors import checklist_get, checklists_page, may_use_checklists, own_school, period_of
from .selectors import rights_for as _rights


@login_required
def checklist_list(request: AuthedRequest) -> HttpResponse:
    rows = checklists_page(user=request.user)
    return render(
        request,
        "checklist/list.html",
        {"rows": rows, "school": own_school(request.user), "may_open": own_school(request.user)},
    )


@login_required
def checklist_new(request: AuthedRequest) -> HttpResponse:
    if own_school(request.user) is None:
        raise NotAllowed
    form = OpenForm(request.POST or None, initial={"submission_key": new_key()})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.checklist_open(
                by=request.user,
                pupil=form.pupil(),
                first_day_absent=form.cleaned_data["first_day_absent"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "CME1 checklist started: record each step below")
            return redirect("checklist:detail", pk=made.pk)
    return render(
        request,
        "checklist/new.html",
        {"form": form, "school": own_school(request.user)},
        status=400 if form.errors else 200,
    )


def _page(
    request: AuthedRequest,
    checklist: Checklist,
    *,
    step_form: StepForm | None = None,
    submit_form: SubmitForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    rights = _rights(request.user, checklist)
    school_user = own_school(request.user) is not None
    steps = list(checklist.steps.all())
    done = {s.kind for s in steps}
    period, period_problem = period_of(checklist, on=today)
    adds_steps = Cme1Right.ADD_STEPS in rights and (
        checklist.editable if school_user else checklist.status != Status.SIGNED_OFF
    )
    sends = Cme1Right.OPEN_AND_SEND in rights and checklist.editable
    decides = Cme1Right.SIGN_OFF_OR_RETURN in rights and checklist.status == Status.SUBMITTED
    outcome = checklist.outcome or OutcomeChoice.NOT_FOUND
    failed = bool(step_form or submit_form or decision_form)
    return render(
        request,
        "checklist/detail.html",
        {
            "c": checklist,
            "steps": [(s, step(s.kind).title) for s in steps],
            "checklist_steps": [(s, s.key in done) for s in STEPS],
            "period": period,
            "period_problem": period_problem,
            "adds_steps": adds_steps,
            "sends": sends,
            "decides": decides,
            "step_form": step_form
            or StepForm(initial={"submission_key": new_key()}, school_user=school_user),
            "submit_form": submit_form or SubmitForm(initial={"outcome": checklist.outcome}),
            "decision_form": decision_form or DecisionForm(),
            "still_to_do": services.readiness(
                checklist, on=today, outcome=outcome, counted=(period, period_problem)
            )
            if (sends or decides)
            else [],
            "ctf": services.ctf_duty(checklist, on=today)
            if checklist.status == Status.SIGNED_OFF
            else None,
        },
        status=400 if failed else 200,
    )


@login_required
def checklist_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, checklist_get(user=request.user, pk=pk))


def _changed(request: AuthedRequest, pk: int) -> Checklist:
    """The checklist a form changes: read with the same scope, audited by the service."""
    return checklist_get(user=request.user, pk=pk, audit=False)


@login_required
@post_only("checklist:detail", "pk")
def checklist_step(request: AuthedRequest, pk: int) -> HttpResponse:
    checklist = _changed(request, pk)
    form = StepForm(request.POST, school_user=own_school(request.user) is not None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_step_add(
                checklist=checklist,
                by=request.user,
                kind=data["kind"],
                done_on=data["done_on"],
                party=data["party"],
                done_by=data["done_by"],
                outcome=data["outcome"],
                could_not_be_done=data["could_not_be_done"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Step recorded: {step(data['kind']).title}")
            return redirect("checklist:detail", pk=pk)
    return _page(request, checklist_get(user=request.user, pk=pk), step_form=form)


@login_required
@post_only("checklist:detail", "pk")
def checklist_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    checklist = _changed(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            sent = services.checklist_submit(
                checklist=checklist,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                found_details=form.cleaned_data["found_details"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _sent(sent))
            return redirect("checklist:detail", pk=pk)
    return _page(request, checklist_get(user=request.user, pk=pk), submit_form=form)


def _sent(checklist: Checklist) -> str:
    if checklist.status == Status.SIGNED_OFF:
        return "This checklist has already been signed off"
    officer = checklist.submitted_to
    name = officer.get_full_name() or officer.username if officer else "your PAEWS officer"
    return f"Checklist sent to {name}, your PAEWS officer, to sign off"


@login_required
@post_only("checklist:detail", "pk")
def checklist_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    checklist = _changed(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            message = _decide(request.user, checklist, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("checklist:detail", pk=pk)
    return _page(request, checklist_get(user=request.user, pk=pk), decision_form=form)


def _decide(user: Any, checklist: Checklist, data: dict[str, Any]) -> str:
    if data["decision"] == "return":
        services.checklist_return(checklist=checklist, by=user, reasons=data["reasons"])
        return "Checklist returned to the school with your reasons"
    done = services.checklist_sign_off(checklist=checklist, by=user)
    if done.referral is not None:
        return (
            f"Checklist signed off. The pupil has been referred to the register "
            f"(referral {done.referral.reference}) and the school has been told its CTF duty"
        )
    return "Checklist signed off"


def may_see_checklists(user: Any) -> bool:
    return may_use_checklists(user)
