"""Reading enquiries: scoped to what the user may see, and audited.

Two kinds of reader. The council's side (the CME team, and PAEWS for its visits) reads a
case's enquiries as the "enquiries" part of the child's record (cme.accounts.record_access).
A recipient (a school's or another council's staff) reads only the enquiries sent to its own
organisation, and of the child only what it needs to search (cme.enquiries.disclosure). An
enquiry outside either is a 404, as a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.accounts.permissions import WHOLE_REGISTER, Action, Part, can
from cme.accounts.record_access import may_read_incoming
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.cases.models import OPEN_STATUSES, Case
from cme.cases.scopes import case_scope
from cme.people.record_view import case_access
from cme.people.selectors import siblings_of
from cme.schools.models import Establishment

from .models import Enquiry, IncomingEnquiry, IncomingState, SchoolReason, State
from .reasonable import missing_enquiries
from .services.answering import is_recipient

_RELATED = (
    "case",
    "case__child",
    "case__school",
    "recipient_school",
    "recipient_organisation",
    "recipient_user",
    "sent_by",
    "answered_by",
)


def _council_side(user: Any, case: Case) -> bool:
    return case_access(user, case).reads(Part.ENQUIRIES)


@dataclass(frozen=True)
class CaseEnquiries:
    case: Case
    enquiries: list[Enquiry]
    missing_for_lost: list[str]
    can_send: bool  # the CME team: every kind
    can_record_visit: bool  # the CME team and PAEWS on the case

    @property
    def outstanding(self) -> list[Enquiry]:
        return [e for e in self.enquiries if e.is_outstanding]


def case_enquiries(*, user: Any, case_id: int) -> CaseEnquiries:
    """A case's enquiries, the record of reasonable enquiries; 404 outside scope or part."""
    case = (
        Case.objects.filter(case_scope(user), pk=case_id)
        .select_related("child", "school", "school__paews_officer")
        .first()
    )
    if case is None or not _council_side(user, case):
        raise Http404
    enquiries = list(
        Enquiry.objects.filter(case=case)
        .select_related(*_RELATED)
        .prefetch_related("emails")
        .order_by("-sent_on", "-id")
    )
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject=case,
        child_id=case.child_id,
        details={"part": "enquiries"},
    )
    access = case_access(user, case)
    return CaseEnquiries(
        case=case,
        enquiries=enquiries,
        missing_for_lost=missing_enquiries(case) if case.is_open else [],
        can_send=can(user, Action.TRIAGE) and case.is_open,
        can_record_visit=access.writes(Part.ENQUIRIES) and case.is_open,
    )


def enquiry_get(*, user: Any, enquiry_id: int) -> Enquiry:
    """One enquiry for the council's side; 404 outside the user's scope or part."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).select_related(*_RELATED).first()
    if enquiry is None:
        raise Http404
    in_scope = Case.objects.filter(case_scope(user), pk=enquiry.case_id).exists()
    if not in_scope or not _council_side(user, enquiry.case):
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=enquiry, child_id=enquiry.case.child_id)
    return enquiry


def _received(user: Any) -> QuerySet[Enquiry]:
    if not user.organisation_id or not can(user, Action.ANSWER_ENQUIRY):
        return Enquiry.objects.none()
    if user.role in WHOLE_REGISTER:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(recipient_organisation_id=user.organisation_id)


def inbox(*, user: Any) -> tuple[list[Enquiry], list[Enquiry]]:
    """The enquiries sent to the user's school or council: waiting, and answered (recent)."""
    qs = _received(user).select_related(*_RELATED).exclude(state=State.WITHDRAWN)
    waiting = list(qs.filter(state=State.OUTSTANDING).order_by("due_on", "id")[:200])
    answered = list(qs.filter(state=State.ANSWERED).order_by("-answered_at")[:50])
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="enquiry",
        rows=[(e.pk, e.case.child_id) for e in (*waiting, *answered)],
    )
    return waiting, answered


def inbox_enquiry_get(*, user: Any, enquiry_id: int) -> Enquiry:
    """One enquiry sent to the user's organisation; 404 to anyone else."""
    enquiry = _received(user).filter(pk=enquiry_id).select_related(*_RELATED).first()
    if enquiry is None or not is_recipient(user, enquiry) or enquiry.state == State.WITHDRAWN:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=enquiry, child_id=enquiry.case.child_id)
    return enquiry


def api_enquiries(*, user: Any) -> QuerySet[Enquiry]:
    """What the caller's organisation has been sent and has sent; the CME team: every
    enquiry on the cases it sees (the whole register)."""
    if user.role in WHOLE_REGISTER:
        qs = Enquiry.objects.all()
    elif user.organisation_id:
        qs = Enquiry.objects.filter(
            Q(pk__in=_received(user).values("pk"))
            | Q(sent_by__organisation_id=user.organisation_id)
        )
    else:
        qs = Enquiry.objects.none()
    return qs.select_related(*_RELATED).order_by("-sent_on", "-id")


def api_enquiry_get(*, user: Any, enquiry_id: int) -> Enquiry:
    enquiry = api_enquiries(user=user).filter(pk=enquiry_id).first()
    if enquiry is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=enquiry, child_id=enquiry.case.child_id)
    return enquiry


@dataclass(frozen=True)
class QueueLine:
    enquiry: Enquiry
    overdue: bool


def outstanding_queue(*, user: Any, today: date) -> list[QueueLine]:
    """Unanswered enquiries on the worker's cases, soonest due first: the CME team sees
    every one, a PAEWS officer the visits asked of them and the enquiries on their cases.
    The children are audited as listed by the page that shows them."""
    qs = Enquiry.objects.filter(state=State.OUTSTANDING, case__status__in=OPEN_STATUSES)
    if user.role not in WHOLE_REGISTER:
        if user.role != Role.PAEWS_OFFICER:
            return []
        qs = qs.filter(
            Q(recipient_user=user)
            | Q(case__paews_officer=user)
            | Q(case__school__paews_officer=user)
        )
    rows = qs.select_related(*_RELATED).order_by("due_on", "id")[:200]
    return [QueueLine(e, e.due_on < today) for e in rows]


def _district(postcode: str) -> str:
    return postcode.strip().upper().split(" ")[0] if postcode.strip() else ""


def school_suggestions(case: Case, *, limit: int = 6) -> list[tuple[Establishment, str, bool]]:
    """Schools to ask in a CME3a: the last school, the schools of the child's brothers and
    sisters (cme.people, any authority's), then open schools of the authority in the postcode
    district of the last known address. (school, SchoolReason, has an account)."""
    chosen: list[tuple[Establishment, str]] = []
    if case.school is not None:
        chosen.append((case.school, SchoolReason.LAST_SCHOOL))
    for line in siblings_of(case.child):
        if line.school is not None and line.school.pk not in {s.pk for s, _ in chosen}:
            chosen.append((line.school, SchoolReason.SIBLING_SCHOOL))
    address = case.child.current_address(timezone.localdate())
    district = _district(address.postcode) if address else ""
    if district:
        near = (
            Establishment.objects.filter(
                la_code=settings.CME_LA_CODE, postcode__istartswith=district + " "
            )
            .exclude(pk__in=[s.pk for s, _ in chosen])
            .order_by("name")[: limit * 3]
        )
        chosen += [(s, SchoolReason.NEAR_ADDRESS) for s in near if s.is_open][:limit]
    with_accounts = set(
        User.objects.filter(
            is_active=True,
            role=Role.SCHOOL_STAFF,
            organisation__establishment__in=[s for s, _ in chosen],
        ).values_list("organisation__establishment_id", flat=True)
    )
    return [(s, reason, s.pk in with_accounts) for s, reason in chosen]


def school_has_account(school: Establishment) -> bool:
    return User.objects.filter(
        is_active=True, role=Role.SCHOOL_STAFF, organisation__establishment=school
    ).exists()


# Another council's CME4s to this council (cme.enquiries.services.incoming). Who reads one
# is decided in cme.accounts.record_access (may_read_incoming); the child is not on the
# register, so the audit names the enquiry, not a child.


def _is_sender(user: Any, incoming: IncomingEnquiry) -> bool:
    return bool(user.organisation_id) and incoming.from_organisation_id == user.organisation_id


def incoming_readable(user: Any) -> QuerySet[IncomingEnquiry]:
    if not can(user, Action.VIEW_REGISTER):
        return IncomingEnquiry.objects.none()
    if may_read_incoming(user.role, sender=False):
        return IncomingEnquiry.objects.all()
    if user.organisation_id and may_read_incoming(user.role, sender=True):
        return IncomingEnquiry.objects.filter(from_organisation_id=user.organisation_id)
    return IncomingEnquiry.objects.none()


def incoming_queue(*, user: Any) -> list[IncomingEnquiry]:
    """The CME4s other councils have sent, still to check and answer, soonest due first."""
    if not may_read_incoming(user.role, sender=False) or not can(user, Action.TRIAGE):
        return []
    return list(
        IncomingEnquiry.objects.filter(state=IncomingState.RECEIVED)
        .select_related("from_organisation")
        .order_by("due_on", "id")[:200]
    )


def incoming_page(*, user: Any) -> tuple[list[IncomingEnquiry], list[IncomingEnquiry]]:
    """The CME team's list: waiting for a check and an answer, and recently answered."""
    if not may_read_incoming(user.role, sender=False) or not can(user, Action.TRIAGE):
        raise Http404
    waiting = incoming_queue(user=user)
    answered = list(
        IncomingEnquiry.objects.filter(state=IncomingState.ANSWERED)
        .select_related("from_organisation", "on_roll_school")
        .order_by("-answered_at")[:50]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="incomingenquiry",
        rows=[(e.pk, None) for e in (*waiting, *answered)],
    )
    return waiting, answered


def incoming_get(*, user: Any, incoming_id: int, as_sender: bool = False) -> IncomingEnquiry:
    """One CME4 from another council: for the CME team, or (as_sender) for the council that
    sent it. 404 to anyone else, as a missing one."""
    incoming = (
        incoming_readable(user)
        .filter(pk=incoming_id)
        .select_related("from_organisation", "on_roll_school", "checked_by", "answered_by")
        .first()
    )
    if incoming is None:
        raise Http404
    if as_sender:
        reaches = _is_sender(user, incoming) and may_read_incoming(user.role, sender=True)
    else:
        reaches = may_read_incoming(user.role, sender=False) and can(user, Action.TRIAGE)
    if not reaches:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=incoming)
    return incoming


def sent_by_organisation(*, user: Any) -> list[IncomingEnquiry]:
    """The CME4s the user's council has sent this council, newest first, with any answers."""
    if user.role in WHOLE_REGISTER or not may_read_incoming(user.role, sender=True):
        return []
    rows = list(
        incoming_readable(user)
        .select_related("on_roll_school")
        .order_by("-received_on", "-id")[:100]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="incomingenquiry",
        rows=[(e.pk, None) for e in rows],
    )
    return rows


class MergedEnquiries:
    """The API's list of enquiries: the ones this council sent (Enquiry) and the CME4s other
    councils sent it (IncomingEnquiry), newest first, as one sequence a Paginator can slice.
    Both take their numbers from one counter (EnquiryNumber), so an id names one of them."""

    def __init__(self, sent: QuerySet[Enquiry], received: QuerySet[IncomingEnquiry]) -> None:
        self.sent = sent.order_by("-sent_on", "-id")
        self.received = received.order_by("-received_on", "-id")

    def count(self) -> int:
        return self.sent.count() + self.received.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Enquiry | IncomingEnquiry]:
        stop = index.stop if index.stop is not None else self.count()
        rows: list[Enquiry | IncomingEnquiry] = [*self.sent[:stop], *self.received[:stop]]
        rows.sort(key=lambda e: (e.sent_on, e.pk), reverse=True)
        return rows[index]


def api_enquiries_all(*, user: Any) -> MergedEnquiries:
    received = incoming_readable(user).select_related("from_organisation", "on_roll_school")
    return MergedEnquiries(api_enquiries(user=user), received)


def api_any_enquiry_get(*, user: Any, enquiry_id: int) -> Enquiry | IncomingEnquiry:
    """One enquiry either way, by its number; 404 outside the caller's reach."""
    if Enquiry.objects.filter(pk=enquiry_id).exists():
        return api_enquiry_get(user=user, enquiry_id=enquiry_id)
    incoming = incoming_readable(user).filter(pk=enquiry_id).first()
    if incoming is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=incoming)
    return incoming
