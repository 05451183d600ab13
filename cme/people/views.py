"""The child's page and the pages that correct and update it. Each view parses input, calls
one selector or service, renders; the record view decides what the reader sees and writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cme.accounts.record_access import Part
from cme.core.errors import NotAllowed, StaleEdit
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from . import services
from .forms import (
    NEEDS_NAMES,
    AddressForm,
    CarerForm,
    CorrectRiskFactorForm,
    EndAddressForm,
    EndCarerForm,
    EndRiskFactorForm,
    IdentityForm,
    NeedsForm,
    RiskFactorForm,
    SafeguardingForm,
    SiblingForm,
)
from .models import Child, Sex, Sibling
from .record_view import WITHHELD, ChildRecord
from .risk_factors import RISK_FACTORS
from .scopes import child_scope
from .selectors import changes_since, child_for_edit, child_record_get, siblings_of
from .services._shared import FIELD_WORDS

RISK_LABELS = dict(RISK_FACTORS)


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
    if name == "risk_factor":
        return RISK_LABELS.get(str(value), str(value))
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return str(value)


def _first_up(words: str) -> str:
    """Keeps the capitals of "UPN" and "SEN support", which str.capitalize() would not."""
    return words[:1].upper() + words[1:]


def change_rows(child: Child, version: int, record: ChildRecord) -> list[dict[str, str]]:
    """What changed on the record since `version`, field by field, for a refused stale form:
    only the parts the reader may read, and nothing of an address they see as "Withheld"."""
    rows = []
    withheld = {a.address_id for a in record.addresses or [] if a.withheld}
    carers_hidden = any(c.address == WITHHELD for c in record.carers or [])
    for change in changes_since(child, version):
        if not record.access.reads(Part(change.part)):
            continue
        who = (change.by.get_full_name() or change.by.get_username()) if change.by else ""
        hidden = change.subject_type == "address" and change.subject_id in withheld
        for name in sorted(set(change.before) | set(change.after)):
            secret = hidden or (carers_hidden and change.part == Part.CARERS and name == "address")
            rows.append(
                {
                    "field": _first_up(FIELD_WORDS.get(name, name.replace("_", " "))),
                    "before": WITHHELD if secret else shown(name, change.before.get(name)),
                    "after": WITHHELD if secret else shown(name, change.after.get(name)),
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
    extra: Callable[[ChildRecord], dict[str, Any]] | None = None,
    form_kwargs: Callable[[ChildRecord], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The shape of every edit of the child's record: a reader who may not write the part is
    refused (403) before anything is shown; a valid form calls the service and redirects to
    the child's page; a refusal re-shows what was typed with the service's messages; a stale
    form is refused and shown again with the record as it now is and what changed."""
    child, record = child_for_edit(user=request.user, child_id=child_id)
    if not record.access.writes(part):
        raise NotAllowed
    kwargs = form_kwargs or (lambda _record: {})
    opened = initial(record)  # a 404 here if the row is not one the reader may change
    context: dict[str, Any] = {
        "record": record,
        "child": record.identity,
        **(extra(record) if extra else {}),
    }
    form = form_class(request.POST, **kwargs(record)) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            result = act(child, form.cleaned_data)
        except StaleEdit as error:
            child, record = child_for_edit(user=request.user, child_id=child_id)
            context.update(
                record=record,
                child=record.identity,
                stale=" ".join(error.messages),
                changes=change_rows(child, form.cleaned_data["version"], record),
            )
            form = form_class(
                initial={**initial(record), "version": record.identity.version}, **kwargs(record)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ObjectDoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, saved if result is not None else "Nothing was changed")
            return redirect("people:detail", child_id=child_id)
    if form is None:
        form = form_class(initial={**opened, "version": record.identity.version}, **kwargs(record))
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


def _address_line(record: ChildRecord, address_id: int) -> Any:
    """The address as the reader sees it; 404 if it is not the child's, or is withheld from
    them (a 'do not share' address outside the CME team)."""
    for line in record.addresses or []:
        if line.address_id == address_id and not line.withheld:
            return line
    raise Http404


def _carer_line(record: ChildRecord, carer_id: int) -> Any:
    for line in record.carers or []:
        if line.carer_id == carer_id:
            return line
    raise Http404


ADDRESS_INITIAL = (
    "line_1",
    "line_2",
    "town",
    "postcode",
    "lived_from",
    "lived_until",
    "lives_with",
    "do_not_share",
)


def _address_details(data: dict[str, Any]) -> services.AddressDetails:
    return services.AddressDetails(**{name: data[name] for name in ADDRESS_INITIAL})


@login_required
def address_add(request: AuthedRequest, child_id: int) -> HttpResponse:
    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.address_add(
            child=child,
            details=_address_details(data),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CONTACT,
        form_class=AddressForm,
        initial=lambda record: {"do_not_share": "no"},
        act=act,
        template="people/part_form.html",
        saved="Address added",
        extra=lambda record: {
            "heading": "Add an address",
            "button": "Add the address",
            "intro": ADDRESS_INTRO,
        },
    )


ADDRESS_INTRO = (
    "An address is never deleted: it is the child's future, current or previous address by "
    "its dates. Adding the address the child lives at now, or will move to, ends the one "
    "they live at until then the day before."
)


@login_required
def address_correct(request: AuthedRequest, child_id: int, address_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        line = _address_line(record, address_id)
        values = {name: getattr(line, name) for name in ADDRESS_INITIAL}
        return {**values, "do_not_share": "yes" if line.do_not_share else "no"}

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.address_correct(
            child=child,
            address_id=address_id,
            details=_address_details(data),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CONTACT,
        form_class=AddressForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Address saved",
        extra=lambda record: {"heading": "Correct an address", "button": "Save the address"},
    )


@login_required
def address_end(request: AuthedRequest, child_id: int, address_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        _address_line(record, address_id)
        return {}

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.address_end(
            child=child,
            address_id=address_id,
            ended_on=data["ended_on"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CONTACT,
        form_class=EndAddressForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Address ended: it is now a previous address",
        extra=lambda record: {
            "heading": "The child no longer lives at this address",
            "button": "End the address",
            "intro": f"{_address_line(record, address_id).text}. It is kept on the record as "
            "a previous address.",
        },
    )


CARER_INITIAL = (
    "name",
    "relationship",
    "phone",
    "emergency_phone",
    "email",
    "address",
)


def _carer_form_kwargs(record: ChildRecord) -> dict[str, Any]:
    """While a carer's address is withheld from the reader they cannot change it: no box."""
    hidden = not record.access.whole_record and any(a.do_not_share for a in record.addresses or [])
    return {"address_withheld": hidden}


def _carer_details(data: dict[str, Any]) -> services.CarerDetails:
    return services.CarerDetails(
        name=data["name"],
        relationship=data["relationship"],
        parental_responsibility=data["parental_responsibility"],
        lives_with_child=data["lives_with_child"],
        phone=data["phone"],
        emergency_phone=data["emergency_phone"],
        email=data["email"],
        address=data.get("address"),
    )


@login_required
def carer_add(request: AuthedRequest, child_id: int) -> HttpResponse:
    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.carer_add(
            child=child,
            details=_carer_details(data),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CARERS,
        form_class=CarerForm,
        initial=lambda record: {},
        act=act,
        template="people/part_form.html",
        saved="Parent or carer added",
        extra=lambda record: {"heading": "Add a parent or carer", "button": "Add them"},
    )


@login_required
def carer_correct(request: AuthedRequest, child_id: int, carer_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        line = _carer_line(record, carer_id)
        return {
            **{name: getattr(line, name) for name in CARER_INITIAL},
            "lives_with_child": "yes" if line.lives_with_child else "no",
            "parental_responsibility": "yes" if line.parental_responsibility else "no",
        }

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.carer_correct(
            child=child,
            carer_id=carer_id,
            details=_carer_details(data),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CARERS,
        form_class=CarerForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Parent or carer saved",
        extra=lambda record: {
            "heading": f"Change {_carer_line(record, carer_id).name}'s details",
            "button": "Save the changes",
        },
        form_kwargs=_carer_form_kwargs,
    )


@login_required
def carer_end(request: AuthedRequest, child_id: int, carer_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        _carer_line(record, carer_id)
        return {}

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.carer_end(
            child=child,
            carer_id=carer_id,
            ended_on=data["ended_on"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.CARERS,
        form_class=EndCarerForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Recorded: they no longer care for the child",
        extra=lambda record: {
            "heading": f"{_carer_line(record, carer_id).name} no longer cares for the child",
            "button": "Save",
            "intro": "They are kept on the record, with the date they stopped caring for "
            "the child.",
        },
    )


def _risk_line(record: ChildRecord, link_id: int) -> Any:
    for line in record.needs.risk_history if record.needs else []:
        if line.link_id == link_id:
            return line
    raise Http404


def _open_codes(record: ChildRecord) -> dict[str, Any]:
    risks = record.needs.risk_history if record.needs else []
    return {"open_codes": frozenset(r.code for r in risks if r.ended_on is None)}


@login_required
def risk_factor_add(request: AuthedRequest, child_id: int) -> HttpResponse:
    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.risk_factor_raise(
            child=child,
            code=data["risk_factor"],
            raised_on=data["raised_on"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.NEEDS,
        form_class=RiskFactorForm,
        initial=lambda record: {"raised_on": timezone.localdate()},
        act=act,
        template="people/part_form.html",
        saved="Risk factor added",
        extra=lambda record: {
            "heading": "Add a risk factor",
            "button": "Add the risk factor",
            "intro": "The life events the policy names as putting a child more at risk of "
            "missing education. One already recorded and not ended is not in the list.",
        },
        form_kwargs=_open_codes,
    )


@login_required
def risk_factor_end(request: AuthedRequest, child_id: int, link_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        _risk_line(record, link_id)
        return {}

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.risk_factor_end(
            child=child,
            link_id=link_id,
            ended_on=data["ended_on"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.NEEDS,
        form_class=EndRiskFactorForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Risk factor ended",
        extra=lambda record: {
            "heading": f"End the risk factor: {_risk_line(record, link_id).label}",
            "button": "End the risk factor",
            "intro": "It stays on the record, with the dates it was raised and ended.",
        },
    )


@login_required
def risk_factor_correct(request: AuthedRequest, child_id: int, link_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        return {"raised_on": _risk_line(record, link_id).raised_on}

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.risk_factor_correct(
            child=child,
            link_id=link_id,
            raised_on=data["raised_on"],
            reason=data["reason"],
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.NEEDS,
        form_class=CorrectRiskFactorForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Date raised corrected",
        extra=lambda record: {
            "heading": f"Correct the date raised: {_risk_line(record, link_id).label}",
            "button": "Save the corrected date",
            "intro": "The date it replaces is kept in the record's history, with your reason.",
        },
    )


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@login_required
def needs(request: AuthedRequest, child_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        if record.needs is None:  # who writes needs reads them (record_access)
            raise NotAllowed
        return {
            name: _yes(value) if isinstance(value, bool) else value
            for name, value in ((n, getattr(record.needs, n)) for n in NEEDS_NAMES)
        }

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.needs_update(
            child=child,
            change=services.NeedsChange(**{name: data[name] for name in NEEDS_NAMES}),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.NEEDS,
        form_class=NeedsForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Needs and statuses saved",
        extra=lambda record: {"heading": "Needs and statuses", "button": "Save the changes"},
    )


@login_required
def child_protection(request: AuthedRequest, child_id: int) -> HttpResponse:
    def initial(record: ChildRecord) -> dict[str, Any]:
        if record.safeguarding is None:
            raise NotAllowed
        return {
            "child_protection_plan": _yes(record.safeguarding.child_protection_plan),
            "child_in_need": _yes(record.safeguarding.child_in_need),
        }

    def act(child: Child, data: dict[str, Any]) -> Any:
        return services.safeguarding_update(
            child=child,
            change=services.SafeguardingChange(
                child_protection_plan=data["child_protection_plan"],
                child_in_need=data["child_in_need"],
            ),
            by=request.user,
            expected_version=data["version"],
        )

    return _edit(
        request,
        child_id,
        part=Part.SAFEGUARDING,
        form_class=SafeguardingForm,
        initial=initial,
        act=act,
        template="people/part_form.html",
        saved="Child protection status saved",
        extra=lambda record: {
            "heading": "Child protection and child in need",
            "button": "Save the changes",
            "intro": "A concern about the child's safety is raised as a safeguarding flag on "
            "the case, and referred under the council's safeguarding procedures: this records "
            "the plans that are in place.",
        },
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
