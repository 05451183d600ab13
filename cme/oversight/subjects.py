"""The record an audit event is about, named in words ("Action plan: Home visit", "Case 12").

Events carry a subject type (the model's name) and an id, never names (docs/audit.md). The
viewer, read by a CME manager who may read every part of every record, turns them back into
words here, a page of events at a time: one query per kind of record on the page. A record
the retention job has removed is named by its kind and number, "no longer held".

This sits on the top floor so that it may name the records of every step. A step added later
needs nothing here: its models are found by name in Django's registry and named by their
verbose name and `str()`; a line in NAMERS gives one a better name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import models

from cme.accounts.models import Organisation, User
from cme.audit.models import AuditEvent
from cme.cases.models import Case, CaseEvent, Flag
from cme.checks.models import Check, CheckCandidate, HomeEducatedChild, LostPupilMatch
from cme.enquiries.models import Enquiry, IncomingEnquiry
from cme.people.models import Child, StoredCtf
from cme.plans.models import ActionPlan, PlanAction
from cme.referrals.models import Referral
from cme.schools.models import Establishment
from cme.transfers.models import Transfer

Namer = Callable[[Any], str]

NAMERS: dict[type[models.Model], Namer] = {
    Case: lambda case: f"Case {case.pk}",
    CaseEvent: lambda event: f"Case {event.case_id} timeline: {event.get_kind_display()}",
    Flag: lambda flag: f"Flag on case {flag.case_id}: {flag.get_kind_display()}",
    Referral: lambda referral: f"Referral {referral.reference}",
    ActionPlan: lambda plan: f"Action plan for case {plan.case_id}",
    PlanAction: lambda action: f"Action plan: {action.title}",
    Check: lambda check: f"Check: {check.source_label}",
    CheckCandidate: lambda candidate: f"Possible match on case {candidate.check_run.case_id}",
    LostPupilMatch: lambda match: f"Lost pupil database match on case {match.case_id}",
    HomeEducatedChild: lambda entry: f"Home education register: {entry}",
    Enquiry: lambda enquiry: f"Enquiry {enquiry.reference} on case {enquiry.case_id}",
    IncomingEnquiry: lambda incoming: f"CME4 {incoming.reference} from {incoming.from_name}",
    Child: lambda child: f"Child's record: {child.full_name}",
    StoredCtf: lambda stored: "Stored Common Transfer File",
    Transfer: lambda transfer: f"Common Transfer File duty {transfer.pk}",
    User: lambda user: f"Account: {user.get_full_name() or user.get_username()}",
    Organisation: lambda organisation: f"Organisation: {organisation.name}",
    Establishment: lambda school: f"School: {school.name}",
}

# Subjects that are not one row of a table.
WORDS = {
    "audit_trail": "The audit trail (who has looked at a record)",
    "page": "A page",
    "api": "The API",
    "sign_in": "Signing in",
    "second_factor": "Authenticator app",
    "establishments": "Schools (Get Information about Schools import)",
    "term_dates": "Term dates",
    "pupils_on_roll": "Pupils on roll (EMS import)",
    "lost_pupils": "Lost pupil database",
    "demo": "Demo data",
    "audit_role_check": "Check of the audit trail's database role",
}

SOURCES = {"web": "Web page", "api": "API", "cli": "Command line", "demo": "Demo"}


def _models_by_name() -> dict[str, type[models.Model]]:
    return {model._meta.model_name or "": model for model in apps.get_models()}


# The foreign keys a namer reads, fetched with the rows.
RELATED: dict[type[models.Model], list[str]] = {CheckCandidate: ["check_run"]}


def _name(model: type[models.Model], row: models.Model | None, subject_id: int) -> str:
    if row is None:
        kind = str(model._meta.verbose_name).capitalize()
        return f"{kind} {subject_id} (no longer held)"
    namer = NAMERS.get(model)
    if namer is not None:
        return namer(row)
    return f"{str(model._meta.verbose_name).capitalize()}: {row}"


def _words(event: AuditEvent) -> str:
    base = WORDS.get(event.subject_type) or event.subject_type.replace("_", " ").capitalize()
    path = (event.details or {}).get("path") if event.subject_type in {"page", "api"} else None
    if path:
        # Paths of known routes carry ids only (cme.audit.services.audit_refusal).
        return f"{base}: {path}"
    return base


def subject_names(events: Iterable[AuditEvent]) -> dict[int, str]:
    """Each event's record in words, keyed by the event's id."""
    events = list(events)
    by_name = _models_by_name()
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.subject_type in by_name and event.subject_id is not None:
            wanted[event.subject_type].add(event.subject_id)
    rows: dict[str, dict[int, Any]] = {}
    for subject_type, ids in wanted.items():
        model = by_name[subject_type]
        rows[subject_type] = model._default_manager.select_related(*RELATED.get(model, [])).in_bulk(
            sorted(ids)
        )
    names = {}
    for event in events:
        found = by_name.get(event.subject_type)
        if found is not None and event.subject_id is not None:
            row = rows[event.subject_type].get(event.subject_id)
            names[event.pk] = _name(found, row, event.subject_id)
        else:
            names[event.pk] = _words(event)
    return names
