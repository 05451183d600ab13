"""What one reader may see of a child: the parts of the record held on the child itself
(identity, addresses, carers, needs), copied out as plain values only when allowed.

cme.accounts.record_access decides the parts from the reader's role and relationship to each
case; cme.cases.record_view builds a case's view from these pieces. A case is reached here
through the child's related name `cases` and read by its fields alone, so people imports
nothing from the floors above it. A part the reader may not read is None in the view, not
hidden later by a template `if`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
class Identity:
    child_id: int
    full_name: str
    forename: str
    middle_names: str
    surname: str
    date_of_birth: date | None
    sex_display: str
    upn: str
    former_upns: list[str]
    former_names: list[str]
    last_school: str
    fictional: bool


@dataclass(frozen=True)
class AddressLine:
    text: str  # "Withheld" for a 'do not share' address outside the CME team
    lived_from: date | None
    lived_until: date | None
    withheld: bool
    do_not_share: bool  # shown to the CME team, so they know to keep it to themselves


@dataclass(frozen=True)
class CarerLine:
    name: str
    relationship: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class Needs:
    risk_factors: list[str]
    sen_support: bool
    ehcp: bool
    looked_after: bool


def identity_of(child: Child, *, last_school: str = "") -> Identity:
    return Identity(
        child_id=child.pk,
        full_name=child.full_name,
        forename=child.forename,
        middle_names=child.middle_names,
        surname=child.surname,
        date_of_birth=child.date_of_birth,
        sex_display=child.get_sex_display(),
        upn=child.upn,
        former_upns=list(child.former_upns or []),
        former_names=[
            f"{name}" + (f" (until {name.used_until:%b %Y})" if name.used_until else "")
            for name in child.former_names.all()
        ],
        last_school=last_school,
        fictional=child.fictional,
    )


def addresses_of(child: Child, access: Access) -> list[AddressLine]:
    """Every address; one marked 'do not share' reads "Withheld" outside the CME team, with
    no town, postcode or dates that could hint at where."""
    lines = []
    for address in child.addresses.all():
        withheld = address.do_not_share and not access.whole_record
        lines.append(
            AddressLine(
                text=WITHHELD if withheld else str(address),
                lived_from=None if withheld else address.lived_from,
                lived_until=None if withheld else address.lived_until,
                withheld=withheld,
                do_not_share=address.do_not_share,
            )
        )
    return lines


def carers_of(child: Child, access: Access) -> list[CarerLine]:
    # A carer's address is often the child's: while any address is not to be shared, no
    # carer address is shown outside the CME team either.
    hide = not access.whole_record and any(a.do_not_share for a in child.addresses.all())
    return [
        CarerLine(
            name=carer.name,
            relationship=carer.relationship,
            phone=carer.phone,
            email=carer.email,
            address=(WITHHELD if carer.address else "") if hide else carer.address,
        )
        for carer in child.carers.all()
    ]


def needs_of(child: Child) -> Needs:
    return Needs(
        risk_factors=[risk.label for risk in child.risk_factors.all()],
        sen_support=child.sen_support,
        ehcp=child.ehcp,
        looked_after=child.looked_after,
    )


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

    @property
    def has_audit(self) -> bool:
        """May this reader see who has looked at the record (record_access: CME managers)?"""
        return self.access.reads(Part.AUDIT)


def child_record(*, user: Any, child: Child) -> ChildRecord | None:
    """None if the reader may not see the child's identity on any case of theirs."""
    seen = []
    for case in child.cases.all():
        access = case_access(user, case)
        if access.read:
            seen.append((case, access))
    access = combine([a for _, a in seen])
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
