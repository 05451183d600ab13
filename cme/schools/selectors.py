"""Reading establishments for the reference data pages, and a school's PAEWS officer.

No child's data here, so nothing to audit on reading; changes are audited (services).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from cme.accounts.models import Role, User
from cme.accounts.permissions import Action, can, is_staff_user
from cme.core.errors import NotAllowed

from .models import Establishment


def _require_manager(user: Any) -> None:
    if not can(user, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed


def council_schools(
    *, user: Any, name: str = "", page_number: int | str = 1
) -> Page[Establishment]:
    """This council's schools with their PAEWS officers, by name (CME managers)."""
    _require_manager(user)
    qs = Establishment.objects.filter(la_code=settings.CME_LA_CODE).select_related("paews_officer")
    if name.strip():
        qs = qs.filter(name__icontains=name.strip())
    return Paginator(qs.order_by("name", "urn"), settings.CME_PAGE_SIZE).get_page(page_number)


def council_school_get(*, user: Any, establishment_id: int) -> Establishment:
    _require_manager(user)
    school = (
        Establishment.objects.filter(la_code=settings.CME_LA_CODE, pk=establishment_id)
        .select_related("paews_officer")
        .first()
    )
    if school is None:
        raise Http404
    return school


def paews_officers() -> QuerySet[User]:
    """Everyone who may be named a school's PAEWS officer: active PAEWS officers."""
    return (
        User.objects.filter(role=Role.PAEWS_OFFICER, is_active=True)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class PaewsContact:
    """What a school is told about its PAEWS officer (policy FAQ 5)."""

    school: str
    name: str
    job_title: str
    email: str
    phone: str


def school_paews_contact(*, user: Any) -> PaewsContact | None:
    """The PAEWS officer of the school this user works at; None for anyone else, and for a
    school with no officer named (the page then says whom to ask instead)."""
    if not is_staff_user(user) or user.role != Role.SCHOOL_STAFF or not user.organisation_id:
        return None
    school = (
        Establishment.objects.filter(organisation__pk=user.organisation_id)
        .select_related("paews_officer")
        .first()
    )
    if school is None:
        return None
    officer = school.paews_officer
    if officer is None or not officer.is_active:
        return PaewsContact(school=school.name, name="", job_title="", email="", phone="")
    return PaewsContact(
        school=school.name,
        name=officer.get_full_name() or officer.get_username(),
        job_title=officer.job_title,
        email=officer.email,
        phone=officer.phone,
    )


def schools_of_paews_officer(*, user: Any) -> list[Establishment]:
    """The schools this PAEWS officer covers, for their home page."""
    if not is_staff_user(user) or user.role != Role.PAEWS_OFFICER:
        return []
    return list(Establishment.objects.filter(paews_officer=user).order_by("name"))
