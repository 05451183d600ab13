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
from .forms import IdentityForm, SiblingForm
from .models import Child, Sex, Sibling
from .record_view import ChildRecord
from .scopes import child_scope
from .selectors import changes_since, child_for_edit, child_record_get, siblings_of
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


@login_required
def siblings(request: AuthedRequest, child_id: int) -> HttpResponse:
    """The child's brothers and sisters, and adding or removing one (the family: CARERS)."""
    child, record = child_for_edit(user=request.user, child_id=child_id)
    if not record.access.reads(Part.CARERS):
        raise NotAllowed
    may_write = record.access.writes(Part.CARERS)
    form = SiblingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_write:
            raise NotAllowed
        if "remove" in request.POST:
            return _sibling_remove(request, child)
        if form.is_valid():
            data = form.cleaned_data
            try:
                other = None
                if data.get("record"):
                    other = Child.objects.filter(
                        child_scope(request.user), pk=data["record"]
                    ).first()
                    if other is None:
                        raise ValidationError(
                            {"record": ["No child on the register has that record number"]}
                        )
                services.sibling_add(
                    child=child,
                    by=request.user,
                    sibling=other,
                    name=data.get("name", ""),
                    date_of_birth=data.get("date_of_birth"),
                    school=data.get("school"),
                    relationship=data.get("relationship", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Brother or sister added")
                return redirect("people:siblings", child.pk)
    return render(
        request,
        "people/siblings.html",
        {"record": record, "siblings": siblings_of(child), "form": form, "may_write": may_write},
        status=400 if form.errors else 200,
    )


def _sibling_remove(request: AuthedRequest, child: Child) -> HttpResponse:
    row = Sibling.objects.filter(child=child, pk=request.POST.get("remove") or 0).first()
    if row is None:
        messages.error(request, "That brother or sister is no longer on the record")
        return redirect("people:siblings", child.pk)
    try:
        services.sibling_remove(row=row, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Brother or sister removed")
    return redirect("people:siblings", child.pk)
