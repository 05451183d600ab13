"""Answering an enquiry: once, in the recipient's inbox, through a secure link, through the API,
or recorded by the CME team (a home visit, a search, an answer that came by phone or post).

An answer about the wrong child ("this is not our pupil") is a valid answer: not known. What
the answer means for the case (close it as on roll, send a CME4 to where the family went) is
offered to the officer on the enquiry's page (cme.enquiries.next_steps), never done here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import WHOLE_REGISTER, Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.rules.la_codes import la_name

from ..models import OUTCOMES, AnsweredVia, Enquiry, Kind, Outcome, State, outcome_label
from ._shared import bump, locked, require_enquiry_writer, timeline
from .links import LinkProblem, link_check

MAX_TEXT = 2000


@dataclass(frozen=True)
class Answer:
    outcome: str
    details: str = ""
    on_roll_from: date | None = None
    on_roll_at: str = ""
    left_on: date | None = None
    left_for: str = ""
    moved_to_la_code: str = ""
    agreed_action: str = ""
    contact: str = ""
    visited_on: date | None = None
    seen: str = ""
    neighbours: str = ""
    answered_by_name: str = ""


def _dates(answer: Answer, today: date) -> dict[str, list[str]]:
    dates = {
        "on_roll_from": answer.on_roll_from,
        "left_on": answer.left_on,
        "visited_on": answer.visited_on,
    }
    return {
        name: ["The date must be today or earlier"]
        for name, value in dates.items()
        if value is not None and value > today
    }


# (kind or None for any, outcome or None for any, field, present?, message): what an answer
# must carry. A CME3b "on roll" says from when; "left" says when; a CME4 "on roll" says where.
_NEEDS: list[tuple[str | None, str | None, str, str]] = [
    (Kind.CME3A, Outcome.ON_ROLL, "on_roll_from", "Enter the date the child joined your roll"),
    (Kind.CME4, Outcome.ON_ROLL, "on_roll_at", "Enter the school the child is on roll at"),
    (None, Outcome.LEFT, "left_on", "Enter the date the child left your roll"),
    (Kind.CME5A, None, "agreed_action", "Say what your council has agreed to do"),
    (Kind.CME5A, None, "contact", "Give a name and a phone number or email for your contact"),
    (Kind.HOME_VISIT, None, "visited_on", "Enter the date of the visit"),
    (Kind.HOME_VISIT, Outcome.SEEN, "seen", "Say who was seen"),
    (Kind.HOME_VISIT, Outcome.FAMILY_SEEN, "seen", "Say who was seen"),
]


def _missing(enquiry: Enquiry, answer: Answer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for kind, outcome, name, message in _NEEDS:
        if kind not in (None, enquiry.kind) or outcome not in (None, answer.outcome):
            continue
        value = getattr(answer, name)
        if not (value.strip() if isinstance(value, str) else value):
            errors[name] = [message]
    return errors


def _problems(enquiry: Enquiry, answer: Answer, today: date) -> dict[str, list[str]]:
    allowed = OUTCOMES[Kind(enquiry.kind)]
    if answer.outcome not in allowed:
        labels = ", ".join(outcome_label(enquiry.kind, o).lower() for o in allowed)
        return {"outcome": [f"Choose an answer: {labels}"]}
    errors = {**_dates(answer, today), **_missing(enquiry, answer)}
    code = answer.moved_to_la_code.strip()
    if code and (not code.isdigit() or len(code) != 3 or la_name(code) is None):
        errors["moved_to_la_code"] = ["Enter the 3-digit LA code of the council, like 343"]
    for field in fields(Answer):
        value = getattr(answer, field.name)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            errors[field.name] = [f"Use {MAX_TEXT} characters or fewer"]
    return errors


def _apply(enquiry: Enquiry, answer: Answer, *, by: Any, via: str) -> Enquiry:
    today = timezone.localdate()
    if enquiry.state == State.ANSWERED:
        raise ValidationError(
            "This enquiry has already been answered. An answer cannot be changed."
        )
    if enquiry.state != State.OUTSTANDING:
        raise ValidationError("This enquiry was withdrawn by the CME team: no answer is needed.")
    errors = _problems(enquiry, answer, today)
    if errors:
        raise ValidationError(errors)
    enquiry.state = State.ANSWERED
    enquiry.answered_at = timezone.now()
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    enquiry.answered_by = by if authenticated else None
    enquiry.answered_via = via
    for field in fields(Answer):
        value = getattr(answer, field.name)
        setattr(enquiry, field.name, value.strip() if isinstance(value, str) else value)
    enquiry.full_clean(exclude=["case", "sent_by", "recipient_school", "recipient_organisation"])
    bump(
        enquiry,
        "state",
        "answered_at",
        "answered_by",
        "answered_via",
        *(field.name for field in fields(Answer)),
    )
    # Answered once: any link still out for it stops working (the one used says "used").
    enquiry.links.filter(used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    timeline(
        enquiry,
        by=by if authenticated else None,
        text=f"{enquiry.answer_name} for {enquiry.reference} from {enquiry.recipient_name}: "
        f"{enquiry.outcome_display}.",
    )
    audit_record(
        actor=by if authenticated else None,
        verb=Verb.ENQUIRY_ANSWERED,
        subject=enquiry,
        child_id=enquiry.case.child_id,
        details={"outcome": enquiry.outcome, "via": via},
    )
    return enquiry


def is_recipient(user: Any, enquiry: Enquiry) -> bool:
    """Whether `user` answers for the enquiry's recipient (its school's or council's staff)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not can(user, Action.ANSWER_ENQUIRY):
        return False
    if user.role in WHOLE_REGISTER:
        return False
    return enquiry.recipient_organisation_id == organisation_id


@transaction.atomic
def enquiry_answer(
    *,
    enquiry: Enquiry,
    answer: Answer,
    by: Any,
    via: str,
    expected_version: int | None = None,
) -> Enquiry:
    """An answer from the recipient (inbox, API) or recorded by the council (officer)."""
    if via in {AnsweredVia.INBOX, AnsweredVia.API} and not is_recipient(by, enquiry):
        # The CME team may also record an answer that came by post or phone, through the API.
        if not (via == AnsweredVia.API and by is not None and by.role in WHOLE_REGISTER):
            raise NotAllowed
        require_enquiry_writer(by, enquiry.case, kind=enquiry.kind)
    elif via == AnsweredVia.OFFICER:
        require_enquiry_writer(by, enquiry.case, kind=enquiry.kind)
    elif via == AnsweredVia.LINK:
        raise NotAllowed  # link answers go through enquiry_answer_by_link
    enquiry = locked(enquiry, expected_version)
    return _apply(enquiry, answer, by=by, via=via)


@transaction.atomic
def enquiry_answer_by_link(*, token: str, answer: Answer) -> Enquiry:
    """An answer through a secure link: the link is checked under a lock and used up with the
    answer, in one transaction, so two tabs cannot both answer."""
    check = link_check(token, for_update=True)
    if check.problem is not None or check.link is None:
        raise ValidationError(check.message or "This link cannot be used.", code="link")
    if not answer.answered_by_name.strip():
        raise ValidationError({"answered_by_name": ["Enter your name"]})
    enquiry = locked(check.link.enquiry)
    done = _apply(enquiry, answer, by=None, via=AnsweredVia.LINK)
    check.link.used_at = timezone.now()
    check.link.save(update_fields=["used_at"])
    return done


__all__ = [
    "Answer",
    "LinkProblem",
    "enquiry_answer",
    "enquiry_answer_by_link",
    "is_recipient",
]
