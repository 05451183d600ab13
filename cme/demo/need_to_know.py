"""The demo's showcase of need to know (docs/access.md): one family fleeing domestic abuse,
seen from every seat.

Signing in as `officer` shows the whole record; `school` the pupil's status and the note
shared with the school; `keyworker` (a school nurse from an approved agency) the child's
details and the notes shared with the workers, with the refuge address withheld;
`keyworker3` (children's social care) the safeguarding flag as well; `agency` (the police,
who referred) and `otherla` (who referred too) the status and outcome only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cme.accounts.models import Organisation, OrganisationKind
from cme.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseEventKind,
    Flag,
    FlagKind,
    SharedWith,
)
from cme.people.models import Address
from cme.referrals.models import Reason, Referral, ReferralStatus, Route

from .accounts import Staff

# The agencies the demo council has approved for key work, and which of them have a
# safeguarding role (their key workers see safeguarding flags).
APPROVED_FOR_KEY_WORK = ("health", "yot", "social_care", "refuge", "paews")
SAFEGUARDING_ROLE = ("social_care",)

NOTES = [
    (
        SharedWith.CME_TEAM,
        "Spoke to mum at the refuge. She asks that nobody tells the school or dad's family "
        "where they are. Do not share the new address.",
    ),
    (
        SharedWith.WORKERS,
        "Visited at the refuge with the school nurse. The children are settled and want to be "
        "back in school; a place near the refuge is being looked for.",
    ),
    (
        SharedWith.SCHOOL,
        "The family has moved out of the area for now. Please keep the pupil on roll while a "
        "new school place is found; we will tell you when it is.",
    ),
]


def _moment(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour, 15))), timezone.now())


def approve_key_work(staff: Staff) -> None:
    keys = [k for k in APPROVED_FOR_KEY_WORK if k in staff.organisations]
    Organisation.objects.filter(pk__in=[staff.organisations[k].pk for k in keys]).update(
        approved_for_key_work=True
    )
    Organisation.objects.filter(
        pk__in=[staff.organisations[k].pk for k in SAFEGUARDING_ROLE]
    ).update(safeguarding_role=True)


def _showcase_case(staff: Staff, school_org: Organisation) -> Case | None:
    return (
        Case.objects.filter(school=school_org.establishment, status__in=OPEN_STATUSES)
        .order_by("opened_on", "pk")
        .first()
    )


def _flag(case: Case, staff: Staff, as_of: date, description: str, reference: str) -> None:
    officer = staff.officers[0]
    raised = _moment(as_of - timedelta(days=6), 10)
    Flag.objects.create(
        case=case,
        kind=FlagKind.SAFEGUARDING,
        description=description,
        raised_by=officer,
        raised_at=raised,
        escalated_to="Children's Social Care (demo) MASH",
        escalated_on=raised.date(),
        escalation_reference=reference,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.FLAG,
        by=officer,
        at=raised,
        text=f"Safeguarding concern: {description}",
    )


def _referral(case: Case, organisation: Organisation, reference: str, on: date) -> None:
    first = case.referrals.order_by("pk").first()
    Referral.objects.create(
        reference=reference,
        route=Route.OTHER_LA if organisation.kind == OrganisationKind.OTHER_LA else Route.AGENCY,
        reason=Reason.WHEREABOUTS_UNKNOWN,
        status=ReferralStatus.ATTACHED,
        received_on=on,
        # Described as the first referral described the child: the same family, reported again.
        described=dict(first.described) if first else {},
        referrer_name=str(organisation),
        referring_organisation=organisation,
        child=case.child,
        case=case,
        decided_at=_moment(on, 11),
        decision_note="Added to the child's open case.",
    )


def showcase(staff: Staff, as_of: date) -> None:
    """Mark up one case at the `school` sign-in's school so each demo role sees its share."""
    approve_key_work(staff)
    school_org = staff.users["school"].organisation
    case = _showcase_case(staff, school_org) if school_org else None
    if case is None:
        return
    child = case.child
    officer = staff.officers[0]
    case.key_worker = staff.users["keyworker"]
    case.paews_officer = case.school.paews_officer if case.school else None
    # A new key worker has sent no update yet: the last one was their predecessor's.
    case.last_key_worker_update_on = None
    case.save(update_fields=["key_worker", "paews_officer", "last_key_worker_update_on"])
    child.child_protection_plan = True
    child.save(update_fields=["child_protection_plan"])
    moved = as_of - timedelta(days=20)
    child.addresses.filter(lived_until__isnull=True).update(lived_until=moved - timedelta(days=1))
    Address.objects.create(
        child=child,
        line_1="Flat 3, 12 Harbour View",
        town="Wallasey",
        postcode="CH44 1ZZ",
        lived_from=moved,
        do_not_share=True,
    )
    _flag(
        case,
        staff,
        as_of,
        "Mother disclosed domestic abuse by her ex-partner. The family is in a refuge; the new "
        "address must not be shared with anyone outside the CME team.",
        "MASH-DEMO-0417",
    )
    for hour, (shared_with, text) in enumerate(NOTES, start=12):
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.NOTE,
            by=officer,
            at=_moment(as_of - timedelta(days=3), hour),
            text=text,
            shared_with=shared_with,
        )
    police = staff.organisations["police"]
    other_la = staff.users["otherla"].organisation
    _referral(case, police, "CME-DEMO-POLICE", moved)
    if other_la is not None:
        _referral(case, other_la, "CME-DEMO-SEFTON", moved + timedelta(days=2))
    # Children's social care's key worker sees the safeguarding flag on a case of theirs.
    social = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .order_by("-opened_on", "pk")
        .first()
    )
    if social is not None:
        social.key_worker = staff.users["keyworker3"]
        social.last_key_worker_update_on = None
        social.save(update_fields=["key_worker", "last_key_worker_update_on"])
        _flag(
            social,
            staff,
            as_of,
            "Child seen late at night with older young people; possible exploitation. "
            "Discussed at the AIM panel.",
            "MASH-DEMO-0388",
        )
