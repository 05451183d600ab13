"""The action plan page: see the plan, start it, add actions, mark them done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cme.cases.models import Case
from cme.cases.selectors import case_record_get
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only

from . import services
from .forms import ActionForm, CompleteForm, StartPlanForm
from .models import ActionPlan, PlanAction


def _plan_case(request: AuthedRequest, case_id: int) -> Case:
    """The case, if the reader may read its action plan: 404 outside scope, 403 for a reader
    whose part of the record does not include the plan (a school, a referrer)."""
    case, record = case_record_get(user=request.user, case_id=case_id)
    if not record.has_plan:
        raise NotAllowed
    return case


def _render(request: AuthedRequest, case_id: int, status: int = 200, **forms: Form) -> HttpResponse:
    case, record = case_record_get(user=request.user, case_id=case_id)
    if not record.has_plan:
        raise NotAllowed
    plan = ActionPlan.objects.filter(case=case).first()
    actions = plan.actions.select_related("owner", "done_by") if plan else []
    context = {
        "record": record,
        "plan": plan,
        "actions": actions,
        "may_manage": services.may_manage_plan(request.user, case),
        "start_form": forms.get("start_form") or StartPlanForm(),
        "action_form": forms.get("action_form") or ActionForm(),
    }
    return render(request, "plans/plan.html", context, status=status)


@login_required
def plan(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _render(request, case_id)


@login_required
@post_only("plans:plan", "case_id")
def start(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _plan_case(request, case_id)
    form = StartPlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_start(case=case, template=form.cleaned_data["template"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action plan started")
            return redirect("plans:plan", case_id=case_id)
    return _render(request, case_id, status=400, start_form=form)


@login_required
@post_only("plans:plan", "case_id")
def add_action(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _plan_case(request, case_id)
    plan = get_object_or_404(ActionPlan, case=case)
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                plan=plan,
                title=data["title"],
                due_on=data["due_on"],
                owner=data.get("owner") or case.key_worker,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action added")
            return redirect("plans:plan", case_id=case_id)
    return _render(request, case_id, status=400, action_form=form)


@login_required
@post_only("plans:plan", "case_id")
def complete(request: AuthedRequest, case_id: int, action_id: int) -> HttpResponse:
    case = _plan_case(request, case_id)
    action = get_object_or_404(PlanAction, pk=action_id, plan__case=case)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        raise NotAllowed
    try:
        services.action_complete(action=action, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Done: {action.title}")
    return redirect("plans:plan", case_id=case_id)
