"""The CME manager's page for the matching models: what each was trained on and measured,
the one every search uses, the switches, and the form that switches (docs/matching.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.core.errors import StaleEdit
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.core.templatetags.govuk import govuk_datetime

from .forms import MatchingModelSwitchForm
from .matching_models import matching_model_switch
from .matching_overview import RETRAIN_COMMAND, Entry, Overview, matching_models_overview


def _label(entry: Entry) -> str:
    if entry.row is None:
        label = f"{entry.version}, the model that comes with the register"
    else:
        by = entry.row.added_by
        label = (
            f"{entry.version}, kept on {govuk_datetime(entry.row.added_at)} by "
            f"{by.get_full_name() or by.username}"
        )
    return label + (" (in use now)" if entry.in_use else "")


def _form(overview: Overview, data: object = None) -> MatchingModelSwitchForm:
    return MatchingModelSwitchForm(
        data,
        choices=[(e.choice, _label(e)) for e in overview.entries if e.usable],
        refused={e.choice: e.problem for e in overview.entries if not e.usable},
        initial={"in_use": overview.chosen_version},
    )


def _page(
    request: AuthedRequest, overview: Overview, form: MatchingModelSwitchForm
) -> HttpResponse:
    return render(
        request,
        "checks/matching_models.html",
        {"overview": overview, "form": form, "retrain_command": RETRAIN_COMMAND},
        status=400 if form.errors else 200,
    )


@login_required
def matching_models(request: AuthedRequest) -> HttpResponse:
    overview = matching_models_overview(user=request.user)
    return _page(request, overview, _form(overview))


def _already_in_use(overview: Overview) -> str:
    switch = overview.latest_switch
    who = ""
    if switch is not None:
        who = (
            f" since {govuk_datetime(switch.at)}, switched by "
            f"{switch.by.get_full_name() or switch.by.username}"
        )
    return f"Model {overview.in_use.version} is in use{who}. Nothing was switched twice."


@login_required
@post_only("checks:matching-models")
def matching_model_switch_view(request: AuthedRequest) -> HttpResponse:
    overview = matching_models_overview(user=request.user)
    form = _form(overview, request.POST)
    if not form.is_valid():
        return _page(request, overview, form)
    chosen, seen = form.cleaned_data["model"], form.cleaned_data["in_use"]
    target = next(e for e in overview.entries if e.choice == chosen)
    if target.in_use and seen == overview.chosen_version:
        form.add_error("model", f"Model {target.version} is already in use. Select another one")
        return _page(request, overview, form)
    try:
        switch = matching_model_switch(
            version=chosen, by=request.user, reason=form.cleaned_data["reason"], expected=seen
        )
    except StaleEdit as error:
        # Sent twice (a double click, Back then Switch): the first one switched.
        overview = matching_models_overview(user=request.user)
        if overview.in_use.choice == chosen:
            messages.success(request, _already_in_use(overview))
            return redirect("checks:matching-models")
        # Shown again as it is now, with the choice and reason kept, to check and send again.
        data = request.POST.copy()
        data["in_use"] = overview.chosen_version
        form = _form(overview, data)
        form.is_valid()
        add_service_errors(form, error)
        return _page(request, overview, form)
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, overview, form)
    now = switch.model.version if switch.model else target.version
    messages.success(
        request,
        f"Every search now uses model {now} (it was {switch.previous_version}). "
        "The switch is on the audit trail.",
    )
    return redirect("checks:matching-models")
