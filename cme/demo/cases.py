"""Turning the demo plans into cases, their timelines, their referrals and audit events."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cme.accounts.models import Role, User
from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record_past
from cme.cases.history import steps_from_timeline
from cme.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    CaseStatusChange,
    Outcome,
)
from cme.referrals.models import Reason, Referral
from cme.schools.models import Establishment

from .accounts import Staff
from .children import ChildRecord
from .plans import Episode
from .referrals import ReferralMaker

# Where a case had got to when it closed, by how it closed.
CLOSED_FROM = {
    Outcome.ON_ROLL: [CaseStatus.CHECKING],
    Outcome.DUPLICATE: [CaseStatus.REFERRED, CaseStatus.CHECKING],
    Outcome.NOT_COMPULSORY_AGE: [CaseStatus.CHECKING],
    Outcome.DECEASED: [CaseStatus.LOCATING],
    Outcome.TRANSFERRED: [CaseStatus.LOCATING],
    Outcome.LEFT_COUNTRY: [CaseStatus.LOCATING],
    Outcome.LOST: [CaseStatus.LOCATING],
    Outcome.HOME_EDUCATED: [CaseStatus.ENGAGING],
    Outcome.IN_PROVISION: [CaseStatus.IN_PROVISION],
}
PATHS = {
    CaseStatus.REFERRED: [],
    CaseStatus.CHECKING: [CaseStatus.CHECKING],
    CaseStatus.LOCATING: [CaseStatus.CHECKING, CaseStatus.LOCATING],
    CaseStatus.ENGAGING: [CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.ENGAGING],
    CaseStatus.IN_PROVISION: [
        CaseStatus.CHECKING,
        CaseStatus.LOCATING,
        CaseStatus.ENGAGING,
        CaseStatus.IN_PROVISION,
    ],
}
NOTES = {
    CaseStatus.CHECKING: [
        "Checked the CME database, EMS attendance and exclusions, S2S and the EHE list.",
        "No current roll found on EMS; referred to PAEWS for a home visit.",
    ],
    CaseStatus.LOCATING: [
        "CME3a sent to the last known school.",
        "Home visit by PAEWS: no answer, calling card left.",
        "CME4 enquiry sent to the local authority of the new address.",
        "Health visitor confirms the family registered with a GP at a new address.",
    ],
    CaseStatus.ENGAGING: [
        "Action plan agreed with the family and the key worker.",
        "In-year admission application made with the parent.",
    ],
    CaseStatus.IN_PROVISION: ["Attendance at the new school checked: settling in well."],
}
CLOSING_NOTES = {
    Outcome.ON_ROLL: "Found on roll at a school in the city.",
    Outcome.IN_PROVISION: "Attending full time for six weeks.",
    Outcome.HOME_EDUCATED: "Home education visit: education judged suitable.",
    Outcome.TRANSFERRED: "The new local authority confirmed the child is known to them.",
    Outcome.LEFT_COUNTRY: "Family confirmed a move abroad; CTF sent to MMMMMMM.",
    Outcome.LOST: "All enquiries made; CTF uploaded to the S2S lost pupil database.",
    Outcome.NOT_COMPULSORY_AGE: "Date of birth confirmed: not of compulsory school age.",
    Outcome.DECEASED: "Confirmed by children's social care.",
    Outcome.DUPLICATE: "Same child as another case on the register.",
}
NO_SCHOOL = {Reason.NEVER_ENTERED, Reason.NEW_TO_CITY}
WORKER_STAGES = {CaseStatus.ENGAGING, CaseStatus.IN_PROVISION}


@dataclass
class Writer:
    """Collects rows in memory, then inserts each table in one go."""

    rng: random.Random
    as_of: date
    staff: Staff
    schools: list[Establishment]
    referrals: ReferralMaker
    cases: list[Case] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    audit: list[tuple[Case, Verb, datetime, User]] = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)
    _last: datetime | None = None

    def at(self, day: date) -> datetime:
        """A working-hours moment on `day`, after the case's previous event, never in future."""
        moment = timezone.make_aware(
            datetime.combine(day, time(self.rng.randint(8, 16), self.rng.randint(0, 59)))
        )
        if self._last is not None and moment <= self._last:
            moment = self._last + timedelta(minutes=self.rng.randint(5, 90))
        self._last = moment
        return min(moment, self.now)

    def _school(self, episode: Episode) -> Establishment | None:
        if episode.reason in NO_SCHOOL:
            return None
        # The schools with a demo sign-in get more than their share, so they see something.
        favourites = self.staff.staffed_schools
        return (
            self.rng.choice(favourites)
            if self.rng.random() < 0.2
            else self.rng.choice(self.schools)
        )

    def _workers(self) -> list[User]:
        return self.staff.by_role(Role.KEY_WORKER) + self.staff.by_role(Role.PAEWS_OFFICER)

    def add(self, record: ChildRecord, episode: Episode) -> None:
        school = self._school(episode)
        last = episode.status
        if episode.outcome is not None:
            last = self.rng.choice(CLOSED_FROM[episode.outcome])
        path = PATHS[last]
        needs_worker = CaseStatus.ENGAGING in path
        case = Case(
            child=record.child,
            status=episode.status,
            outcome=episode.outcome or "",
            opened_on=episode.opened_on,
            closed_on=episode.closed_on,
            school=school,
            key_worker=self.rng.choice(self._workers())
            if needs_worker or self.rng.random() < 0.15
            else None,
            paews_officer=school.paews_officer
            if school and CaseStatus.LOCATING in path and self.rng.random() < 0.6
            else None,
        )
        self.cases.append(case)
        officer = self.rng.choice(self.staff.officers)
        referral = self.referrals.accepted(record, episode, case, officer)
        self._timeline(record, case, path, episode, officer, referral)

    def _timeline(
        self,
        record: ChildRecord,
        case: Case,
        path: list[CaseStatus],
        episode: Episode,
        officer: User,
        referral: Referral,
    ) -> None:
        end = episode.closed_on or self.as_of
        span = max((end - episode.opened_on).days, 0)
        days = sorted(self.rng.randint(0, span) for _ in range(len(path) + 1))
        day = iter(episode.opened_on + timedelta(days=d) for d in days)
        self._last = None
        self._event(
            case,
            CaseEventKind.OPENED,
            episode.opened_on,
            officer,
            f"Opened from referral {referral.reference}",
        )
        self._audit(case, Verb.REFERRAL_ACCEPTED, case.opened_on, officer)
        before = CaseStatus.REFERRED
        for status in path:
            when = next(day)
            if status == CaseStatus.ENGAGING and case.key_worker:
                self._event(
                    case, CaseEventKind.KEY_WORKER, when, officer, f"Key worker: {case.key_worker}"
                )
            self._event(case, CaseEventKind.STATUS, when, officer, "", before, status)
            writer = case.key_worker if status in WORKER_STAGES and case.key_worker else officer
            note = self._event(
                case, CaseEventKind.NOTE, when, writer, self.rng.choice(NOTES[status])
            )
            if writer == case.key_worker:
                # Backdated with the note, so each case's "next update" falls on its own day.
                case.last_key_worker_update_on = timezone.localdate(note.at)
            self._audit(case, Verb.VIEW, when, officer)
            before = status
        if self.rng.random() < 0.12 and episode.is_open:
            when = next(day)
            extra = self.referrals.attached(record, case, when, officer)
            self._event(
                case, CaseEventKind.REFERRAL, when, officer, f"Referral {extra.reference} added"
            )
        if episode.outcome is not None and episode.closed_on is not None:
            text = f"{episode.outcome.label}. {CLOSING_NOTES[episode.outcome]}"
            self._event(
                case,
                CaseEventKind.CLOSED,
                episode.closed_on,
                officer,
                text,
                before,
                CaseStatus.CLOSED,
            )
            self._audit(case, Verb.CLOSE, episode.closed_on, officer)

    def _event(
        self,
        case: Case,
        kind: str,
        day: date,
        by: User,
        text: str,
        before: str = "",
        after: str = "",
    ) -> CaseEvent:
        event = CaseEvent(
            case=case,
            kind=kind,
            at=self.at(day),
            by=by,
            text=text,
            from_status=before,
            to_status=after,
        )
        self.events.append(event)
        return event

    def _audit(self, case: Case, verb: Verb, day: date, by: User) -> None:
        self.audit.append((case, verb, self.at(day), by))

    def _status_history(self) -> None:
        """Each case's status history, from the timeline just written (cme.cases.history)."""
        by_case: dict[int, list[tuple[str, date, str]]] = {}
        for event in sorted(self.events, key=lambda e: (e.at, e.pk or 0)):
            by_case.setdefault(event.case_id, []).append(
                (event.kind, timezone.localdate(event.at), event.to_status)
            )
        CaseStatusChange.objects.bulk_create(
            [
                CaseStatusChange(
                    case=case,
                    status=step.status,
                    outcome=step.outcome,
                    effective_on=step.effective_on,
                    recorded_at=self.now,
                )
                for case in self.cases
                for step in steps_from_timeline(
                    opened_on=case.opened_on,
                    status=case.status,
                    outcome=case.outcome,
                    closed_on=case.closed_on,
                    events=by_case.get(case.pk, []),
                )
            ],
            batch_size=2000,
        )

    def save(self) -> None:
        Case.objects.bulk_create(self.cases)
        self.referrals.save()
        CaseEvent.objects.bulk_create(self.events)
        self._status_history()
        audit_record_past(
            events=[
                AuditEvent(
                    at=at,
                    actor=by,
                    actor_label=by.username,
                    verb=verb,
                    subject_type="case",
                    subject_id=case.pk,
                    child_id=case.child_id,
                    source="demo",
                    details={"demo": True},
                )
                for case, verb, at, by in self.audit
            ]
        )
