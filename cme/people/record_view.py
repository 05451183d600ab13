"""What one reader may see of a child: the parts of the record held on the child itself
(identity, addresses, carers, needs), copied out as plain values only when allowed.

cme.accounts.record_access decides the parts from the reader's role and relationship to each
case; cme.cases.record_view builds a case's view from these pieces. A case is reached here
through the child's related name `cases` and read by its fields alone, so people imports
nothing from the floors above it. A part the reader may not read is None in the view, not
hidden later by a template `if`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cme.accounts.permissions import WHOLE_REGISTER, Access, Part, Relation
from cme.accounts.record_access import combine, record_access

from .models import Child

WITHHELD = "Withheld"


def case_relations(user: Any, case: Any, *, referred: bool | None = None) -> frozenset[Relation]:
    """How `user` stands to `case`. `referred` (whether the user's organisation referred the
    child) can be passed in when the caller already knows, to save a query per row."""
    relations: set[Relation] = set()
    organisation = user.organisation if user.organisation_id else None
    if case.key_worker_id is not None and case.key_worker_id == user.pk:
        relations.add(Relation.KEY_WORKER)
        if organisation is not None and organisation.safeguarding_role:
            relations.add(Relation.SAFEGUARDING_KEY_WORKER)
    school_paews = case.school.paews_officer_id if case.school_id and case.school else None
    if user.pk in {case.paews_officer_id, school_paews}:
        relations.add(Relation.PAEWS_OFFICER)
    school_staff_of = organisation.establishment_id if organisation is not None else None
    if school_staff_of is not None and case.school_id == school_staff_of:
        relations.add(Relation.SCHOOL)
    if referred is None and organisation is not None:
        # Read through .all() so a prefetch of the case's referrals is used where there is one.
        referred = any(r.referring_organisation_id == organisation.pk for r in case.referrals.all())
    if referred:
        relations.add(Relation.REFERRER)
    return frozenset(relations)


def case_access(user: Any, case: Any, *, referred: bool | None = None) -> Access:
    """The parts of this case's record `user` may read and write (scope is checked first)."""
    if user.role in WHOLE_REGISTER:
        return record_access(user.role, frozenset())
    return record_access(user.role, case_relations(user, case, referred=referred))


@dataclass(frozen=True)
class Replaced:
    """A name or date of birth the record held before, with who replaced it, when and why."""

    value: str
    used_until: date | None
    reason: str
    by: str
    at: datetime | None


@dataclass(frozen=True)
class Identity:
    child_id: int
    full_name: str
    forename: str
    middle_names: str
    surname: str
    preferred_name: str
    date_of_birth: date | None
    sex: str
    sex_display: str
    upn: str
    former_upns: list[str]
    former_names: list[str]
    name_history: list[Replaced]
    date_of_birth_history: list[Replaced]
    last_school: str
    fictional: bool
    version: int


@dataclass(frozen=True)
class AddressLine:
    address_id: int
    text: str  # "Withheld" for a 'do not share' address outside the CME team
    lived_from: date | None
    lived_until: date | None
    withheld: bool
    do_not_share: bool  # shown to the CME team, so they know to keep it to themselves
    period: str  # future, current, previous ("" when withheld)
    lives_with: str
    line_1: str = ""
    line_2: str = ""
    town: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class CarerLine:
    carer_id: int
    name: str
    relationship: str
    phone: str
    email: str
    address: str
    parental_responsibility: bool = False
    lives_with_child: bool = False
    emergency_phone: str = ""
    ended_on: date | None = None


@dataclass(frozen=True)
class RiskLine:
    link_id: int
    code: str
    label: str
    raised_on: date | None
    ended_on: date | None


@dataclass(frozen=True)
class Needs:
    risk_factors: list[str]  # the current ones' labels
    sen_support: bool
    ehcp: bool
    looked_after: bool
    ehcp_council: str = ""
    looked_after_by: str = ""
    young_carer: bool = False
    yot: bool = False
    risk_history: list[RiskLine] = field(default_factory=list)  # current first, then ended


@dataclass(frozen=True)
class Safeguarding:
    child_protection_plan: bool
    child_in_need: bool


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def identity_of(child: Child, *, last_school: str = "") -> Identity:
    former = list(child.former_names.all())
    return Identity(
        child_id=child.pk,
        full_name=child.full_name,
        forename=child.forename,
        middle_names=child.middle_names,
        surname=child.surname,
        preferred_name=child.preferred_name,
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        sex_display=child.get_sex_display(),
        upn=child.upn,
        former_upns=list(child.former_upns or []),
        former_names=[
            f"{name}" + (f" (until {name.used_until:%b %Y})" if name.used_until else "")
            for name in former
        ],
        name_history=[
            Replaced(
                value=str(name),
                used_until=name.used_until,
                reason=name.reason,
                by=_who(name.replaced_by),
                at=name.replaced_at,
            )
            for name in former
        ],
        date_of_birth_history=[
            Replaced(
                value=f"{old.date_of_birth:%-d %B %Y}" if old.date_of_birth else "Not known",
                used_until=old.replaced_at.date(),
                reason=old.reason,
                by=_who(old.replaced_by),
                at=old.replaced_at,
            )
            for old in child.former_dates_of_birth.all()
        ],
        last_school=last_school,
        fictional=child.fictional,
        version=child.version,
    )


def addresses_of(child: Child, access: Access) -> list[AddressLine]:
    """Every address; one marked 'do not share' reads "Withheld" outside the CME team, with
    no town, postcode or dates that could hint at where."""
    today = timezone.localdate()
    lines = []
    for address in child.addresses.all():
        withheld = address.do_not_share and not access.whole_record
        shown = (
            {}
            if withheld
            else {
                "line_1": address.line_1,
                "line_2": address.line_2,
                "town": address.town,
                "postcode": address.postcode,
            }
        )
        lines.append(
            AddressLine(
                address_id=address.pk,
                text=WITHHELD if withheld else str(address),
                lived_from=None if withheld else address.lived_from,
                lived_until=None if withheld else address.lived_until,
                withheld=withheld,
                do_not_share=address.do_not_share,
                period="" if withheld else address.period(today),
                lives_with="" if withheld else address.lives_with,
                **shown,
            )
        )
    return lines


def carers_of(child: Child, access: Access) -> list[CarerLine]:
    # A carer's address is often the child's: while any address is not to be shared, no
    # carer address is shown outside the CME team either.
    hide = not access.whole_record and any(a.do_not_share for a in child.addresses.all())
    return [
        CarerLine(
            carer_id=carer.pk,
            name=carer.name,
            relationship=carer.relationship,
            phone=carer.phone,
            email=carer.email,
            address=(WITHHELD if carer.address else "") if hide else carer.address,
            parental_responsibility=carer.parental_responsibility,
            lives_with_child=carer.lives_with_child,
            emergency_phone=carer.emergency_phone,
            ended_on=carer.ended_on,
        )
        for carer in child.carers.all()
    ]


def needs_of(child: Child) -> Needs:
    links = sorted(child.risk_factor_links.all(), key=lambda link: link.ended_on is not None)
    return Needs(
        risk_factors=[risk.label for risk in child.current_risk_factors()],
        sen_support=child.sen_support,
        ehcp=child.ehcp,
        looked_after=child.looked_after,
        ehcp_council=child.ehcp_council,
        looked_after_by=child.looked_after_by,
        young_carer=child.young_carer,
        yot=child.yot,
        risk_history=[
            RiskLine(
                link_id=link.pk,
                code=link.risk_factor.code,
                label=link.risk_factor.label,
                raised_on=link.raised_on,
                ended_on=link.ended_on,
            )
            for link in links
        ],
    )


def safeguarding_of(child: Child) -> Safeguarding:
    return Safeguarding(
        child_protection_plan=child.child_protection_plan, child_in_need=child.child_in_need
    )


@dataclass(frozen=True)
class HomeEducationLine:
    """An entry on the elective home education register linked to this child (a check
    confirmed it, or unsuitable education opened a case). Read through the child's related
    name, so people imports nothing from cme.checks above it."""

    entry_id: int
    started_on: date
    ended_on: date | None
    status_display: str
    suitability_display: str


def home_education_of(child: Child) -> list[HomeEducationLine]:
    return [
        HomeEducationLine(
            entry_id=entry.pk,
            started_on=entry.started_on,
            ended_on=entry.ended_on,
            status_display=entry.get_status_display(),
            suitability_display=entry.get_suitability_display(),
        )
        for entry in child.home_education_entries.all()
    ]


@dataclass(frozen=True)
class CaseLine:
    """A case on the child's page: only those the reader may reach, status only."""

    case_id: int
    status_display: str
    opened_on: date
    outcome_display: str


@dataclass(frozen=True)
class ChildRecord:
    """The child's page as this reader may see it: the parts allowed on any case of theirs."""

    access: Access
    identity: Identity
    addresses: list[AddressLine] | None
    carers: list[CarerLine] | None
    needs: Needs | None
    child_protection_plan: bool | None
    cases: list[CaseLine]
    safeguarding: Safeguarding | None = None
    # The elective home education register is the CME team's (checks part).
    home_education: list[HomeEducationLine] | None = None

    def writes(self, part: str) -> bool:
        return self.access.writes(Part(part))

    @property
    def has_audit(self) -> bool:
        """May this reader see who has looked at the record (record_access: CME managers)?"""
        return self.access.reads(Part.AUDIT)


def _cases_seen(user: Any, child: Child) -> list[tuple[Any, Access]]:
    seen = []
    for case in child.cases.all():
        access = case_access(user, case)
        if access.read:
            seen.append((case, access))
    return seen


def child_access(user: Any, child: Child) -> Access:
    """The parts of the child's own record `user` may read and write: those any case of theirs
    gives them. The CME team's whatever the cases (a child with none yet)."""
    if user.role in WHOLE_REGISTER:
        return record_access(user.role, frozenset())
    return combine([access for _, access in _cases_seen(user, child)])


def child_record(*, user: Any, child: Child) -> ChildRecord | None:
    """None if the reader may not see the child's identity on any case of theirs."""
    seen = _cases_seen(user, child)
    access = child_access(user, child)
    if not access.reads(Part.IDENTITY):
        return None
    return ChildRecord(
        access=access,
        identity=identity_of(child),
        addresses=addresses_of(child, access) if access.reads(Part.CONTACT) else None,
        carers=carers_of(child, access) if access.reads(Part.CARERS) else None,
        needs=needs_of(child) if access.reads(Part.NEEDS) else None,
        child_protection_plan=child.child_protection_plan
        if access.reads(Part.SAFEGUARDING)
        else None,
        safeguarding=safeguarding_of(child) if access.reads(Part.SAFEGUARDING) else None,
        home_education=home_education_of(child) if access.reads(Part.CHECKS) else None,
        cases=[
            CaseLine(
                case_id=case.pk,
                status_display=case.get_status_display(),
                opened_on=case.opened_on,
                outcome_display=case.get_outcome_display() if case.outcome else "",
            )
            for case, _ in seen
        ],
    )
