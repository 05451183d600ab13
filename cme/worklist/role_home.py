"""What each role's home page holds (docs/oversight.md, "Home pages by role").

A school sees its pupils on the register, the referrals it made with their outcome, what it
must do (enquiries to answer, its Common Transfer File duties) and whom to contact (its PAEWS
officer); a partner agency and another council see the referrals they made and their
outcomes, and the enquiries waiting for their answer; key workers and
PAEWS officers their caseload and work queue; the CME team the referrals to triage and the
whole register's work queue. No one is shown an empty box for work their role never has.

Every section reads through the reader's scope and record view, and each child it names is
audited as listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q

from cme.accounts.models import Role
from cme.accounts.permissions import Action, Part, can
from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.cases.models import OPEN_STATUSES, Case
from cme.cases.record_view import RegisterRow, accesses, register_rows
from cme.cases.scopes import case_scope
from cme.enquiries.models import Enquiry, State
from cme.referrals.models import Referral, ReferralStatus
from cme.referrals.scopes import referral_scope

# How many of each list the home page shows before "See all".
SHOWN = 20


class Section(StrEnum):
    TRIAGE = "triage"  # referrals waiting for triage
    QUEUE = "queue"  # overdue and due soon
    CASELOAD = "caseload"  # open cases naming the reader
    PUPILS = "pupils"  # the school's pupils on the register
    REFERRALS_MADE = "referrals_made"  # what the reader's organisation referred, and outcome
    SCHOOL_DUTIES = "school_duties"  # what a school must do: its CTF duties
    ENQUIRIES = "enquiries"  # enquiries sent to the reader's school, council or agency
    PAEWS_CONTACT = "paews_contact"  # whom a school contacts (policy FAQ 5)
    PAEWS_SCHOOLS = "paews_schools"  # the schools a PAEWS officer covers
    OVERSIGHT = "oversight"  # the audit trail and reference data (CME managers)


SECTIONS: dict[str, frozenset[Section]] = {
    Role.CME_OFFICER: frozenset({Section.TRIAGE, Section.QUEUE, Section.CASELOAD}),
    Role.CME_MANAGER: frozenset(
        {Section.TRIAGE, Section.QUEUE, Section.CASELOAD, Section.OVERSIGHT}
    ),
    Role.PAEWS_OFFICER: frozenset({Section.QUEUE, Section.CASELOAD, Section.PAEWS_SCHOOLS}),
    Role.KEY_WORKER: frozenset({Section.QUEUE, Section.CASELOAD}),
    Role.SCHOOL_STAFF: frozenset(
        {
            Section.PUPILS,
            Section.REFERRALS_MADE,
            Section.SCHOOL_DUTIES,
            Section.ENQUIRIES,
            Section.PAEWS_CONTACT,
        }
    ),
    Role.PARTNER_AGENCY: frozenset({Section.REFERRALS_MADE, Section.ENQUIRIES}),
    Role.OTHER_LA: frozenset({Section.REFERRALS_MADE, Section.ENQUIRIES}),
    Role.SYSTEM_ADMIN: frozenset(),
}


def sections_for(user: Any) -> frozenset[Section]:
    return SECTIONS.get(user.role, frozenset())


@dataclass(frozen=True)
class ReferralMade:
    """A referral the reader's organisation made, with what became of it in words the
    referrer may know: the case's status and outcome (record_access: the referrer reads the
    status part), never the file."""

    referral_id: int
    reference: str
    child: str  # as the referrer described them: their own words
    received_on: date
    outcome: str
    closed: bool


def _outcome(referral: Referral, case_reads_status: bool) -> tuple[str, bool]:
    if referral.status == ReferralStatus.RECEIVED:
        return "Received: the CME team will look at it", False
    if referral.status == ReferralStatus.DECLINED:
        return "Not a CME case: see the referral for why", True
    case = referral.case
    if case is None or not case_reads_status:
        return "The CME team opened a case", False
    if case.is_open:
        return f"Case open: {case.get_status_display()}", False
    return f"Case closed: {case.get_outcome_display()}", True


def _made_by(user: Any) -> Q:
    """Referrals this reader or their organisation made (not those merely on their cases)."""
    made = Q(recorded_by=user)
    if user.organisation_id:
        made |= Q(referring_organisation_id=user.organisation_id)
    return made


def referrals_made(
    *, user: Any, page_number: int | str = 1, per_page: int = SHOWN
) -> tuple[list[ReferralMade], Page[Referral]]:
    """A page of the referrals the reader or their organisation made, newest first (the page
    for its count and links). Listing them is audited for each child they name."""
    qs = (
        Referral.objects.filter(referral_scope(user))
        .filter(_made_by(user))
        # The case's school too: whether the reader is its PAEWS officer decides what they
        # read (record_access), one query for the page rather than one a row.
        .select_related("case__school")
        .order_by("-received_on", "-id")
    )
    page = Paginator(qs, per_page).get_page(page_number)
    rows = list(page.object_list)
    cases = [r.case for r in rows if r.case is not None]
    by_case = accesses(user=user, cases=cases) if cases else {}
    made = []
    for referral in rows:
        access = by_case.get(referral.case_id) if referral.case_id else None
        outcome, closed = _outcome(referral, bool(access and access.reads(Part.STATUS)))
        made.append(
            ReferralMade(
                referral_id=referral.pk,
                reference=referral.reference,
                child=referral.described_name or "Name not given",
                received_on=referral.received_on,
                outcome=outcome,
                closed=closed,
            )
        )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="referral",
        rows=[(r.pk, r.child_id) for r in rows],
    )
    return made, page


def enquiries_waiting(*, user: Any) -> int:
    """How many enquiries sent to the reader's school, council or agency wait for its answer.
    A count only: the home page names no child here (the inbox does, and audits it)."""
    if not can(user, Action.ANSWER_ENQUIRY) or not user.organisation_id:
        return 0
    return Enquiry.objects.filter(
        recipient_organisation_id=user.organisation_id, state=State.OUTSTANDING
    ).count()


def school_pupils(*, user: Any, limit: int = SHOWN) -> tuple[list[RegisterRow], int]:
    """The open cases of children last on roll at the reader's school, as the school may see
    them, newest first, and how many there are. Audited as listed."""
    school_id = user.organisation.establishment_id if user.organisation_id else None
    if user.role != Role.SCHOOL_STAFF or school_id is None:
        return [], 0
    qs = Case.objects.filter(case_scope(user), school_id=school_id, status__in=OPEN_STATUSES)
    total = qs.count()
    cases = list(
        qs.select_related("child", "school", "key_worker")
        .prefetch_related("child__risk_factors")
        .order_by("-opened_on", "-id")[:limit]
    )
    audit_record_many(
        actor=user, verb=Verb.LIST, subject_type="case", rows=[(c.pk, c.child_id) for c in cases]
    )
    return register_rows(user=user, cases=cases), total
