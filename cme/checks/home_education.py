"""The elective home education register, kept in the app: one of the four sources a check
searches (the policy's "Home Educated Database"). The CME team adds children and ends their
entries; nothing is deleted, and each change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.core.errors import NotAllowed

from .models import HomeEducatedChild, HomeEducationStatus


@dataclass(frozen=True)
class NewEntry:
    forename: str
    surname: str
    started_on: date
    middle_names: str = ""
    date_of_birth: date | None = None
    sex: str = "U"
    address: str = ""
    postcode: str = ""
    notes: str = ""


def _require(user: Any) -> None:
    if not can(user, Action.TRIAGE):
        raise NotAllowed


@transaction.atomic
def home_education_add(*, entry: NewEntry, by: Any) -> HomeEducatedChild:
    _require(by)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if entry.started_on > today:
        errors["started_on"] = ["The start date must be today or earlier"]
    if entry.date_of_birth and entry.date_of_birth > today:
        errors["date_of_birth"] = ["Date of birth must be in the past"]
    if errors:
        raise ValidationError(errors)
    child = HomeEducatedChild(**entry.__dict__)
    child.full_clean()
    child.save()
    audit_record(actor=by, verb=Verb.CREATE, subject=child)
    return child


@transaction.atomic
def home_education_end(*, child: HomeEducatedChild, ended_on: date, reason: str, by: Any) -> None:
    _require(by)
    child = HomeEducatedChild.objects.select_for_update().get(pk=child.pk)
    if child.status == HomeEducationStatus.ENDED:
        raise ValidationError("This child's home education has already ended.")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why home education ended (for example, started at a school)"]
    if ended_on < child.started_on or ended_on > timezone.localdate():
        errors["ended_on"] = ["The end date must be between the start date and today"]
    if errors:
        raise ValidationError(errors)
    child.status, child.ended_on = HomeEducationStatus.ENDED, ended_on
    child.notes = f"{child.notes}\nEnded {ended_on:%d %b %Y}: {reason.strip()}".strip()
    child.save(update_fields=["status", "ended_on", "notes", "updated_at"])
    audit_record(actor=by, verb=Verb.UPDATE, subject=child, details={"ended": True})


def home_education_page(*, user: Any, show_ended: bool, page_number: int | str) -> Page[Any]:
    _require(user)
    qs = HomeEducatedChild.objects.all()
    if not show_ended:
        qs = qs.filter(status=HomeEducationStatus.ACTIVE)
    page = Paginator(qs.order_by("surname", "forename", "id"), 50).get_page(page_number)
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="homeeducatedchild",
        rows=[(c.pk, None) for c in page.object_list],
    )
    return page
