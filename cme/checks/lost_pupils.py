"""The lost pupil database feeds the register (issue 13 item 3).

After an import, each new lost pupil is searched against the children of open cases with the
matching engine. A likely or possible match is offered on that case for the officer to confirm
or reject, with the engine's reasons. A lost pupil who matches nothing and whose last address is
in the city becomes a referral on the "DfE lost pupil database" route, for triage. When the
child is found and admitted, the officer forwards the original file re-addressed to the
admitting school, and the lost pupil is marked found.

"In the city" is the postcode's district (the part before the space) in
CME_CITY_POSTCODE_DISTRICTS; with no postcode in the file, a sending school in this LA
(CME_LA_CODE) counts, since the child was last known here. Watch lists and school returns are
not in the register yet, so open cases are the only thing matched today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case, CaseEventKind
from cme.cases.services import case_event_add
from cme.core.errors import NotAllowed
from cme.ctf import CtfError, read_ctf, readdress, write_ctf
from cme.ctf.readdress import name_for
from cme.matching import MatchIndex
from cme.matching.model import active_model
from cme.matching.sources import SHOWN_BANDS
from cme.people.ctf_store import ctf_link_child, ctf_read
from cme.referrals.models import Reason, Route
from cme.referrals.services import referral_record
from cme.schools.models import Establishment

from .models import Decision, LostPupil, LostPupilMatch, LostPupilStatus
from .sources import child_record

OFFERS_PER_PUPIL = 3


def postcode_district(postcode: str) -> str:
    """The outward code ("L8" of "L8 1AA"), also from a postcode typed without its space."""
    text = "".join(postcode.upper().split())
    return text[:-3] if len(text) >= 5 else text


def in_city(pupil: LostPupil) -> bool:
    if pupil.postcode:
        return postcode_district(pupil.postcode) in {
            d.strip().upper() for d in settings.CME_CITY_POSTCODE_DISTRICTS
        }
    return bool(pupil.source_laestab) and pupil.source_laestab[:3] == settings.CME_LA_CODE


def _timeline(case: Case, *, by: Any, text: str) -> None:
    case_event_add(case=case, kind=CaseEventKind.NOTE, by=by, text=text)


def _open_case_index() -> tuple[MatchIndex, dict[str, Case]]:
    cases = Case.objects.filter(status__in=OPEN_STATUSES).select_related("child")
    by_child: dict[str, Case] = {}
    records = []
    for case in cases:
        record = child_record(case.child)
        if record["id"] not in by_child:
            records.append(record)
        by_child[record["id"]] = case
    return MatchIndex(records, active_model()), by_child


def _pupil_record(pupil: LostPupil) -> dict[str, Any]:
    return {
        "id": f"lost:{pupil.pk}",
        "forename": pupil.forename,
        "middle_names": pupil.middle_names,
        "surname": pupil.surname,
        "date_of_birth": pupil.date_of_birth,
        "sex": "" if pupil.sex == "U" else pupil.sex,
        "postcode": pupil.postcode,
        "address": pupil.address,
        "upn": pupil.upn,
    }


def _refer(pupil: LostPupil, by: Any) -> None:
    line_1, _, rest = pupil.address.partition(", ")
    described = {
        "forename": pupil.forename,
        "middle_names": pupil.middle_names,
        "surname": pupil.surname,
        "date_of_birth": pupil.date_of_birth.isoformat() if pupil.date_of_birth else "",
        "sex": pupil.sex,
        "upn": pupil.upn,
        "address_line_1": line_1,
        "address_line_2": rest,
        "town": "",
        "postcode": pupil.postcode,
    }
    school = pupil.source_school_name or pupil.source_laestab or "an unnamed school"
    referral = referral_record(
        by=by,
        route=Route.LOST_PUPIL_DB,
        reason=Reason.WHEREABOUTS_UNKNOWN,
        received_on=timezone.localdate(),
        described=described,
        details=(
            f"From the S2S lost pupil database: a CTF sent by {school} to "
            f"{pupil.destination} ({pupil.get_destination_display().lower()}). The last address "
            "is in the city and the pupil matched no open case."
        ),
        school=Establishment.objects.filter(laestab=pupil.source_laestab).first(),
    )
    pupil.referral = referral
    pupil.status = LostPupilStatus.REFERRED


def lost_pupils_feed(*, pupils: Iterable[LostPupil], by: Any) -> dict[str, int]:
    """Offer each new lost pupil on the open cases it matches, or refer it; inside the import."""
    pupils = list(pupils)
    if not pupils:
        return {"offered": 0, "referred": 0}
    index, cases = _open_case_index()
    offered = referred = 0
    now = timezone.now()
    for pupil in pupils:
        found = [
            m
            for m in index.search(_pupil_record(pupil), limit=OFFERS_PER_PUPIL)
            if m.band in SHOWN_BANDS and m.id in cases
        ]
        for match in found:
            case = cases[match.id]
            LostPupilMatch.objects.create(
                lost_pupil=pupil,
                case=case,
                probability=min(max(match.probability, 0.0), 1.0),
                band=match.band,
                reasons=list(match.reasons),
                found_at=now,
            )
            _timeline(
                case,
                by=by,
                text=f"A pupil in the S2S lost pupil database may be this child "
                f"({match.band} match): see the lost pupil matches.",
            )
        if found:
            pupil.status = LostPupilStatus.OFFERED
            offered += 1
        elif in_city(pupil):
            _refer(pupil, by)
            referred += 1
        pupil.save(update_fields=["status", "referral"])
    return {"offered": offered, "referred": referred}


def _allowed(user: Any) -> None:
    if not can(user, Action.TRIAGE):
        raise NotAllowed


def _decide(*, match: LostPupilMatch, by: Any, to: str, reason: str) -> LostPupilMatch:
    _allowed(by)
    match = (
        LostPupilMatch.objects.select_for_update(of=("self",))
        .select_related("case", "lost_pupil")
        .get(pk=match.pk)
    )
    if match.decision != Decision.PENDING:
        raise ValidationError(f"This match is already {match.get_decision_display().lower()}.")
    if not match.case.is_open:
        raise ValidationError("This case is closed. Reopen it before deciding on a match.")
    match.decision = to
    match.decided_by = by
    match.decided_at = timezone.now()
    match.decision_reason = reason
    match.full_clean()
    match.save()
    pupil = match.lost_pupil
    if to == Decision.CONFIRMED:
        pupil.status = LostPupilStatus.MATCHED
        pupil.save(update_fields=["status"])
        if pupil.stored_file is not None:
            ctf_link_child(stored=pupil.stored_file, child=match.case.child, by=by)
    verb = "Confirmed" if to == Decision.CONFIRMED else "Rejected"
    _timeline(
        match.case,
        by=by,
        text=f"{verb} the S2S lost pupil record from {pupil.source_file} as "
        f"{'this child' if to == Decision.CONFIRMED else 'not this child'}. {reason}".strip(),
    )
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=match,
        child_id=match.case.child_id,
        details={"decision": to, "reason": reason},
    )
    return match


@transaction.atomic
def lost_pupil_match_confirm(*, match: LostPupilMatch, by: Any, reason: str = "") -> LostPupilMatch:
    return _decide(match=match, by=by, to=Decision.CONFIRMED, reason=reason.strip())


@transaction.atomic
def lost_pupil_match_reject(*, match: LostPupilMatch, by: Any, reason: str) -> LostPupilMatch:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this is not the child"]})
    return _decide(match=match, by=by, to=Decision.REJECTED, reason=reason.strip())


def _admitting_school(laestab: str) -> Establishment:
    code = "".join(laestab.split())
    if not (len(code) == 7 and code.isdigit()):
        raise ValidationError({"to": ["Enter the admitting school's 7-digit LAESTAB"]})
    school = Establishment.objects.filter(laestab=code).first()
    if school is None:
        raise ValidationError(
            {"to": [f"LAESTAB {code} is not a school in the establishments list"]}
        )
    return school


@transaction.atomic
def lost_pupil_forward(
    *, match: LostPupilMatch, to: str, by: Any, at: datetime | None = None
) -> tuple[str, bytes]:
    """The original file re-addressed to the admitting school, dated now; the pupil is found."""
    _allowed(by)
    match = LostPupilMatch.objects.select_related("case", "lost_pupil__stored_file").get(
        pk=match.pk
    )
    pupil = LostPupil.objects.select_for_update().get(pk=match.lost_pupil_id)
    if match.decision != Decision.CONFIRMED:
        raise ValidationError("Confirm that this lost pupil is the child before forwarding.")
    if pupil.stored_file is None:
        raise ValidationError(
            "The original file of this lost pupil was loaded before files were kept, so it "
            "cannot be forwarded: ask the sending school or download it again from S2S."
        )
    school = _admitting_school(to)
    data = ctf_read(user=by, stored=pupil.stored_file, purpose="forward to admitting school")
    when = timezone.localtime(at or timezone.now())
    try:
        forwarded = readdress(
            read_ctf(data, today=when.date()), to=school.laestab, at=when, urn=str(school.urn)
        )
        out = write_ctf(forwarded)
    except CtfError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    pupil.status = LostPupilStatus.FOUND
    pupil.found_child = match.case.child
    pupil.found_at = timezone.now()
    pupil.forwarded_to = school.laestab
    # The database holds the rule that a found pupil names the child and when.
    pupil.save(update_fields=["status", "found_child", "found_at", "forwarded_to"])
    _timeline(
        match.case,
        by=by,
        text=f"Found and admitted at {school.name}: the lost pupil's CTF was forwarded to "
        f"{school.laestab} and the lost pupil record marked found.",
    )
    audit_record(
        actor=by,
        verb=Verb.EXPORT,
        subject=pupil,
        child_id=match.case.child_id,
        details={"forwarded_to": school.laestab},
    )
    return name_for(forwarded), out
