"""Demo enquiries: every kind in every state, through the enquiry services.

Each enquiry is sent, chased, escalated and answered by the services an officer, a school, a
council or PAEWS would use, so the timeline, the audit trail, the emails (printed by the demo's
console backend) and the inbox all hold them. The services date what they do today; the demo
then moves the dates back into the case's history (sent some days before the as-of date, due
accordingly), as the rest of the demo's history is made up. Called after the term dates load.

The closed "whereabouts unknown" cases are given the answered enquiries such a case must hold
(cme.enquiries.reasonable), dated before they closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.cases.models import Case, CaseStatus
from cme.cases.models import Outcome as CaseOutcome
from cme.checks.models import PupilOnRoll
from cme.enquiries.models import (
    AgencyArea,
    AnsweredVia,
    DeliveryState,
    Enquiry,
    EnquiryEmail,
    IncomingEnquiry,
    Kind,
    Outcome,
    State,
)
from cme.enquiries.services import (
    Answer,
    IncomingAnswer,
    IncomingChild,
    Recipient,
    enquiry_answer,
    enquiry_answer_by_link,
    enquiry_chase,
    enquiry_escalate,
    enquiry_send,
    enquiry_withdraw,
    incoming_answer,
    incoming_check,
    incoming_receive,
    is_recipient,
    link_issue,
)
from cme.people.services import sibling_add
from cme.schools.models import Establishment

from .accounts import Staff


@dataclass(frozen=True)
class Plan:
    kind: str
    state: str  # waiting, overdue, chased, chased_twice, escalated, answered, withdrawn
    sent_days_ago: int
    outcome: str = ""
    recipient: str = ""  # "school" (a staffed school), "school_no_account", "la343", ...


PLANS: list[Plan] = [
    Plan(Kind.CME3A, "waiting", 3, recipient="staffed"),
    Plan(Kind.CME3A, "overdue", 20, recipient="staffed"),
    Plan(Kind.CME3A, "chased", 30, recipient="no_account"),
    Plan(Kind.CME3A, "chased_twice", 45, recipient="no_account"),
    Plan(Kind.CME3A, "escalated", 60, recipient="no_account"),
    Plan(Kind.CME3A, "answered", 14, Outcome.ON_ROLL, "staffed"),
    Plan(Kind.CME3A, "answered", 15, Outcome.LEFT, "staffed"),
    Plan(Kind.CME3A, "answered", 12, Outcome.APPLICATION_RECEIVED, "no_account"),
    Plan(Kind.CME3A, "answered", 10, Outcome.NOT_KNOWN, "staffed"),
    Plan(Kind.CME3A, "withdrawn", 8, recipient="no_account"),
    Plan(Kind.CME4, "waiting", 2, recipient="la343"),
    Plan(Kind.CME4, "overdue", 25, recipient="la344"),
    Plan(Kind.CME4, "chased", 30, recipient="la_no_account"),
    Plan(Kind.CME4, "escalated", 70, recipient="la343"),
    Plan(Kind.CME4, "answered", 16, Outcome.ON_ROLL, "la343"),
    Plan(Kind.CME4, "answered", 18, Outcome.KNOWN_TO_CME, "la344"),
    Plan(Kind.CME4, "answered", 21, Outcome.NOT_KNOWN, "la_no_account"),
    Plan(Kind.CME5A, "waiting", 4, recipient="la344"),
    Plan(Kind.CME5A, "chased", 30, recipient="la343"),
    Plan(Kind.CME5A, "answered", 20, Outcome.ACTION_AGREED, "la343"),
    Plan(Kind.HOME_VISIT, "waiting", 2, recipient="paews"),
    Plan(Kind.HOME_VISIT, "overdue", 12, recipient="paews"),
    Plan(Kind.HOME_VISIT, "answered", 9, Outcome.SEEN, "paews"),
    Plan(Kind.HOME_VISIT, "answered", 9, Outcome.FAMILY_SEEN, "paews"),
    Plan(Kind.HOME_VISIT, "answered", 11, Outcome.MOVED, "paews"),
    Plan(Kind.HOME_VISIT, "answered", 7, Outcome.NO_CONTACT, "paews"),
    Plan(Kind.AGENCY_CHECK, "waiting", 3, recipient=AgencyArea.POLICE),
    Plan(Kind.AGENCY_CHECK, "overdue", 25, recipient=AgencyArea.HOUSING),
    Plan(Kind.AGENCY_CHECK, "chased", 30, recipient=AgencyArea.BENEFITS),
    Plan(Kind.AGENCY_CHECK, "answered", 15, Outcome.FOUND, AgencyArea.HEALTH),
    Plan(Kind.AGENCY_CHECK, "answered", 15, Outcome.NOT_FOUND, AgencyArea.UK_BORDER_AGENCY),
    Plan(Kind.S2S_SEARCH, "waiting", 1),
    Plan(Kind.S2S_SEARCH, "answered", 6, Outcome.NOT_FOUND),
    Plan(Kind.S2S_SEARCH, "answered", 8, Outcome.FOUND),
    Plan(Kind.LOST_PUPIL_SEARCH, "waiting", 1),
    Plan(Kind.LOST_PUPIL_SEARCH, "answered", 6, Outcome.FOUND),
    Plan(Kind.LOST_PUPIL_SEARCH, "answered", 5, Outcome.NOT_FOUND),
]

ANSWERS: dict[str, dict[str, Any]] = {
    Outcome.LEFT: {"left_for": "Believed moved to Bootle", "moved_to_la_code": "343"},
    Outcome.APPLICATION_RECEIVED: {"details": "In-year application received for Year 5."},
    Outcome.NOT_KNOWN: {"details": "Not our pupil: no record on roll or in applications."},
    Outcome.KNOWN_TO_CME: {"details": "Known to our CME team since last month; we will visit."},
    Outcome.ACTION_AGREED: {
        "agreed_action": "Admissions will offer a place near the new address within 10 days.",
        "contact": "Sam Fictional, CME officer, 0151 496 0000",
    },
    Outcome.SEEN: {"seen": "The child and their mother", "details": "Starting at a new school."},
    Outcome.FAMILY_SEEN: {"seen": "An older sibling", "details": "Mother to call the CME team."},
    Outcome.MOVED: {
        "neighbours": "The family moved out about three weeks ago, possibly to Wirral.",
        "moved_to_la_code": "344",
    },
    Outcome.NO_CONTACT: {"neighbours": "Not seen for a month.", "details": "Calling card left."},
    Outcome.FOUND: {"details": "A current address on record; shared with the CME officer."},
    Outcome.NOT_FOUND: {"details": "No record under any of the names given."},
}


def _recipient(plan: Plan, staff: Staff, case: Case, no_account: list[Establishment]) -> Recipient:
    code = plan.recipient
    if plan.kind == Kind.CME3A:
        if code == "staffed":
            school = next(s for s in staff.staffed_schools if s.pk != case.school_id)
            return Recipient(school=school, school_reason="near_address")
        school = no_account[case.pk % len(no_account)]
        return Recipient(
            school=school, school_reason="last_school", email=f"office{school.urn}@demo.example.org"
        )
    if plan.kind in {Kind.CME4, Kind.CME5A}:
        if code == "la_no_account":
            return Recipient(la_code="340", email="cme@knowsley.demo.example.org")
        return Recipient(la_code=code.removeprefix("la"))
    if plan.kind == Kind.AGENCY_CHECK:
        agency = {
            AgencyArea.POLICE: "police",
            AgencyArea.HOUSING: "housing",
            AgencyArea.HEALTH: "health",
        }.get(AgencyArea(code))
        organisation = staff.organisations.get(agency) if agency else None
        staffed = (
            organisation is not None
            and organisation.users.filter(is_active=True, role=Role.PARTNER_AGENCY).exists()
        )
        email = "" if staffed else f"{code}@partner.demo.example.org"
        return Recipient(agency_area=code, organisation=organisation, email=email)
    if plan.kind == Kind.HOME_VISIT:
        return Recipient(user=staff.by_role(Role.PAEWS_OFFICER)[0])
    return Recipient()


def _answer(plan: Plan, as_of: date) -> Answer:
    values: dict[str, Any] = dict(ANSWERS.get(plan.outcome, {}))
    if plan.outcome == Outcome.ON_ROLL:
        values["on_roll_from"] = as_of - timedelta(days=plan.sent_days_ago + 10)
        if plan.kind == Kind.CME4:
            values["on_roll_at"] = "Fictional Bootle Primary School"
    if plan.outcome == Outcome.LEFT:
        values["left_on"] = as_of - timedelta(days=plan.sent_days_ago + 20)
    if plan.kind == Kind.HOME_VISIT:
        values["visited_on"] = as_of - timedelta(days=max(plan.sent_days_ago - 3, 0))
    return Answer(outcome=plan.outcome, answered_by_name="A Fictional Secretary", **values)


def _answerer(plan: Plan, enquiry: Enquiry, staff: Staff) -> tuple[Any, str]:
    """Who answers, and how: the recipient's staff in their inbox, else the officer."""
    users = [u for u in staff.users.values() if is_recipient(u, enquiry)]
    if users and enquiry.is_external:
        return users[0], AnsweredVia.INBOX
    if plan.kind == Kind.HOME_VISIT:
        return enquiry.recipient_user, AnsweredVia.OFFICER
    return enquiry.sent_by, AnsweredVia.OFFICER


def _backdate(enquiry: Enquiry, *, sent_on: date, due_on: date) -> None:
    Enquiry.objects.filter(pk=enquiry.pk).update(
        sent_on=sent_on, due_on=max(due_on, sent_on), version=F("version") + 1
    )
    enquiry.refresh_from_db()


def _chase_past_due(enquiry: Enquiry, by: User, times: int, sent_on: date, today: date) -> Enquiry:
    for _ in range(times):
        _backdate(enquiry, sent_on=sent_on, due_on=today - timedelta(days=1))
        enquiry = enquiry_chase(enquiry=enquiry, by=by)
    return enquiry


def _play(
    plan: Plan, case: Case, staff: Staff, as_of: date, no_account: list[Establishment]
) -> Enquiry:
    officer = staff.officers[0]
    today = timezone.localdate()
    (enquiry,) = enquiry_send(
        case=case,
        kind=plan.kind,
        recipients=[_recipient(plan, staff, case, no_account)],
        by=officer,
    )
    sent_on = as_of - timedelta(days=plan.sent_days_ago)
    interval = enquiry.due_on - enquiry.sent_on
    if plan.state in {"chased", "chased_twice", "escalated"}:
        times = 1 if plan.state == "chased" else 2
        enquiry = _chase_past_due(enquiry, officer, times, sent_on, today)
        if plan.state == "escalated":
            _backdate(enquiry, sent_on=sent_on, due_on=today - timedelta(days=1))
            enquiry = enquiry_escalate(enquiry=enquiry, by=officer)
        if plan.state == "chased_twice":
            _backdate(enquiry, sent_on=sent_on, due_on=as_of - timedelta(days=1))
        return enquiry
    if plan.state == "withdrawn":
        return enquiry_withdraw(enquiry=enquiry, by=officer, reason="Sent to the wrong school.")
    if plan.state == "answered":
        who, via = _answerer(plan, enquiry, staff)
        if via == AnsweredVia.OFFICER and enquiry.is_external and enquiry.recipient_email:
            # A recipient with no account answers through its secure link.
            token = link_issue(enquiry=enquiry)
            enquiry = enquiry_answer_by_link(token=token, answer=_answer(plan, as_of))
        else:
            enquiry = enquiry_answer(enquiry=enquiry, answer=_answer(plan, as_of), by=who, via=via)
    # Waiting, overdue and answered ones are dated back into the case's history.
    due = sent_on + interval
    if plan.state == "waiting":
        due = max(due, as_of + timedelta(days=1))
    _backdate(enquiry, sent_on=sent_on, due_on=due)
    return enquiry


def _lost_case_enquiries(staff: Staff) -> int:
    """The answered enquiries a case closed as whereabouts unknown must hold, before it closed."""
    officer = staff.officers[0]
    visitor = staff.by_role(Role.PAEWS_OFFICER)[0]
    made = 0
    # A child with no last school: the schools near the last address were asked.
    fallback = Establishment.objects.filter(la_code=settings.CME_LA_CODE).order_by("urn").first()
    for case in Case.objects.filter(status=CaseStatus.CLOSED, outcome=CaseOutcome.LOST):
        closed = case.closed_on or case.opened_on
        sent = max(case.opened_on, closed - timedelta(days=30))
        answered_at = timezone.make_aware(
            datetime.combine(min(sent + timedelta(days=9), closed), time(12, 0))
        )
        school = case.school or fallback
        for kind, outcome, name, user in (
            (Kind.CME3A, Outcome.NOT_KNOWN, school.name if school else "A city school", None),
            (Kind.HOME_VISIT, Outcome.NO_CONTACT, str(visitor), visitor),
            (Kind.LOST_PUPIL_SEARCH, Outcome.NOT_FOUND, "DfE lost pupil database (S2S)", officer),
        ):
            Enquiry.objects.create(
                case=case,
                kind=kind,
                recipient_school=school if kind == Kind.CME3A else None,
                recipient_user=user,
                recipient_name=name,
                sent_on=sent,
                sent_by=officer,
                due_on=min(sent + timedelta(days=14), closed),
                due_counting="10 school days",
                state=State.ANSWERED,
                outcome=outcome,
                answered_at=answered_at,
                answered_by=user or officer,
                answered_via=AnsweredVia.OFFICER,
                visited_on=sent + timedelta(days=3) if kind == Kind.HOME_VISIT else None,
                details="No trace of the child.",
            )
            made += 1
    return made


def _demo_siblings(cases: list[Case], staff: Staff) -> None:
    """Brothers and sisters for the first two cases, so their CME3a offers the siblings'
    schools: one known by name at another school, and the two children linked to each other."""
    if len(cases) < 2 or len(staff.staffed_schools) < 2 or not staff.officers:
        return
    officer = staff.officers[0]
    first, second = cases[0], cases[1]
    other_school = next((s for s in staff.staffed_schools if s.pk != first.school_id), None)
    sibling_add(
        child=first.child,
        by=officer,
        name="Jordan Demosibling",
        date_of_birth=date(2011, 4, 12),
        school=other_school,
        relationship="half-brother",
    )
    sibling_add(
        child=first.child,
        by=officer,
        sibling=second.child,
        relationship="sister",
    )


def load_demo_enquiries(*, as_of: date, staff: Staff) -> int:
    """Enquiries of every kind in every state on the demo's open cases; returns how many."""
    cases = list(
        Case.objects.filter(status__in=[CaseStatus.LOCATING, CaseStatus.CHECKING])
        .select_related("child", "school")
        .order_by("pk")[: len(PLANS)]
    )
    staffed = {s.pk for s in staff.staffed_schools}
    with_sign_in = User.objects.filter(role=Role.SCHOOL_STAFF).values(
        "organisation__establishment_id"
    )
    no_account = list(
        Establishment.objects.filter(la_code=settings.CME_LA_CODE, status__istartswith="open")
        .exclude(pk__in=staffed)
        .exclude(pk__in=with_sign_in)
        .order_by("urn")[:10]
    )
    if not Organisation.objects.filter(kind=OrganisationKind.OTHER_LA, la_code="343").exists():
        return 0
    made = 0
    _demo_siblings(cases, staff)
    # Letters are made when first opened: WeasyPrint for every demo letter at once is slow.
    with override_settings(CME_ENQUIRY_LETTER_ON_SEND=False):
        for plan, case in zip(PLANS, cases, strict=False):
            _play(plan, case, staff, as_of, no_account)
            made += 1
    # One email that never went, to show how a failure looks on the enquiry.
    failed = EnquiryEmail.objects.filter(
        enquiry__recipient_email__endswith="knowsley.demo.example.org"
    ).first()
    if failed is not None:
        EnquiryEmail.objects.filter(pk=failed.pk).update(
            state=DeliveryState.FAILED,
            attempts=settings.CME_ENQUIRY_EMAIL_ATTEMPTS,
            last_error="SMTPRecipientsRefused: the council's mail server refused the address",
        )
    return made + _lost_case_enquiries(staff) + load_demo_incoming(as_of=as_of, staff=staff)


def _incoming_child(pupil: PupilOnRoll | None, fallback: tuple[str, str, date]) -> IncomingChild:
    if pupil is not None:
        return IncomingChild(
            forename=pupil.forename,
            surname=pupil.surname,
            date_of_birth=pupil.date_of_birth,
            sex=pupil.sex,
            last_postcode=pupil.postcode,
            last_school="Sefton Fictional Primary (demo)",
        )
    forename, surname, born = fallback
    return IncomingChild(
        forename=forename,
        surname=surname,
        date_of_birth=born,
        last_address="14 Made-up Road, Bootle",
        last_postcode="L20 9ZZ",
    )


def load_demo_incoming(*, as_of: date, staff: Staff) -> int:
    """CME4s other councils sent us, in each state: waiting for a check, checked and waiting
    for the answer, answered on roll (a pupil on an EMS roll, so the check finds them) and
    answered not known. Sent by the demo's Sefton and Wirral sign-ins."""
    councils = [u for u in staff.by_role(Role.OTHER_LA) if u.organisation is not None]
    if not councils or not staff.officers:
        return 0
    officer = staff.officers[0]
    pupil = (
        PupilOnRoll.objects.filter(leaving_date__isnull=True, date_of_birth__isnull=False)
        .select_related("establishment")
        .order_by("pk")
        .first()
    )
    plans = [
        # (sender, days ago, checked, outcome, child)
        (councils[0], 2, False, "", _incoming_child(None, ("Rowan", "Demoford", date(2016, 2, 9)))),
        (councils[-1], 6, True, "", _incoming_child(None, ("Kit", "Samplewell", date(2013, 11, 3)))),  # noqa: E501
        (councils[0], 12, True, Outcome.ON_ROLL, _incoming_child(pupil, ("", "", as_of))),
        (councils[-1], 20, True, Outcome.NOT_KNOWN,
         _incoming_child(None, ("Ada", "Notfound", date(2014, 5, 5)))),
    ]  # fmt: skip
    made = 0
    for sender, days_ago, checked, outcome, child in plans:
        if outcome == Outcome.ON_ROLL and pupil is None:
            continue
        incoming = incoming_receive(by=sender, child=child, their_reference=f"DEMO/{made + 1}")
        if checked:
            incoming = incoming_check(incoming=incoming, by=officer)
        if outcome:
            school = pupil.establishment if outcome == Outcome.ON_ROLL and pupil else None
            incoming = incoming_answer(
                incoming=incoming,
                answer=IncomingAnswer(
                    outcome=outcome,
                    on_roll_school=school,
                    on_roll_from=pupil.admission_date if school and pupil else None,
                    details="Checked the EMS rolls, our register, S2S and home education.",
                ),
                by=officer,
            )
        received = as_of - timedelta(days=days_ago)
        days, _ = settings.CME_ENQUIRY_DUE["cme4"]
        IncomingEnquiry.objects.filter(pk=incoming.pk).update(
            received_on=received,
            received_at=timezone.make_aware(datetime.combine(received, time(10, 0))),
            due_on=received + timedelta(days=days + 4),  # 10 working days, about two weeks
        )
        if outcome:
            answered = received + timedelta(days=min(days_ago - 1, 5))
            IncomingEnquiry.objects.filter(pk=incoming.pk).update(
                answered_at=timezone.make_aware(datetime.combine(answered, time(15, 0)))
            )
        made += 1
    return made
