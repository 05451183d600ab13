"""The child's page and the pages that correct and update it. Each view parses input, calls
one selector or service, renders; the record view decides what the reader sees and writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.accounts.record_access import Part
from cme.core.errors import NotAllowed, StaleEdit
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from . import services
from .forms import IdentityForm
from .models import Child, Sex
from .record_view import ChildRecord
from .selectors import changes_since, child_for_edit, child_record_get
from .services._shared import FIELD_WORDS


@login_required
def detail(request: AuthedRequest, child_id: int) -> HttpResponse:
    record = child_record_get(user=request.user, child_id=child_id)
    return render(request, "people/detail.html", {"record": record})


def shown(name: str, value: Any) -> str:
    """A value kept in a change record, as a person reads it."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return str(value)


def change_rows(child: Child, version: int) -> list[dict[str, str]]:
    """What changed on the record since `version`, field by field, for a refused stale form."""
    rows = []
    for change in changes_since(child, version):
        who = (change.by.get_full_name() or change.by.get_username()) if change.by else ""
        for name in sorted(set(change.before) | set(change.after)):
            rows.append(
                {
                    "field": FIELD_WORDS.get(name, name.replace("_", " ")).capitalize(),
                    "before": shown(name, change.before.get(name)),
                    "after": shown(name, change.after.get(name)),
                    "who": who,
                    "when": f"{change.at:%-d %B %Y %H:%M}",
                }
            )
    return rows


def _edit(
    request: AuthedRequest,
    child_id: int,
    *,
    part: Part,
    form_class: type[forms.Form],
    initial: Callable[[ChildRecord], dict[str, Any]],
    act: Callable[[Child, dict[str, Any]], Any],
    template: str,
    saved: str,
) -> HttpResponse:
    """The shape of every edit of the child's record: a reader who may not write the part is
    refused (403) before anything is shown; a valid form calls the service and redirects to
    the child's page; a refusal re-shows what was typed with the service's messages; a stale
    form is refused and shown again with the record as it now is and what changed."""
    child, record = child_for_edit(user=request.user, child_id=child_id)
    if not record.access.writes(part):
        raise NotAllowed
    context: dict[str, Any] = {"record": record, "child": record.identity}
    form = form_class(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            result = act(child, form.cleaned_data)
        except StaleEdit as error:
            child, record = child_for_edit(user=request.user, child_id=child_id)
            context.update(
                record=record,
                child=record.identity,
                stale=" ".join(error.messages),
                changes=change_rows(child, form.cleaned_data["version"]),
            )
            form = form_class(initial={**initial(record), "version": record.identity.version})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved if result is not None else "Nothing was changed")
            return redirect("people:detail", child_id=child_id)
    if form is None:
        form = form_class(initial={**initial(record), "version": record.identity.version})
    context["form"] = form
    failed = bool(form.errors) or "stale" in context
    status = 409 if "stale" in context else 400 if failed else 200
    return render(request, template, context, status=status)


def _identity_initial(record: ChildRecord) -> dict[str, Any]:
    who = record.identity
    return {
        "forename": who.forename,
        "middle_names": who.middle_names,
        "surname": who.surname,
        "preferred_name": who.preferred_name,
        "date_of_birth": who.date_of_birth,
        "sex": who.sex,
        "upn": who.upn,
    }


@login_required
def identity(request: AuthedRequest, child_id: int) -> HttpResponse:
    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.child_identity_update(
            child=child,
            change=services.IdentityChange(
                forename=data["forename"],
                middle_names=data["middle_names"],
                surname=data["surname"],
                preferred_name=data["preferred_name"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"],
                upn=data["upn"],
            ),
            reason=data["reason"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.IDENTITY,
        form_class=IdentityForm,
        initial=_identity_initial,
        act=act,
        template="people/identity.html",
        saved="Name and identity saved",
    )
