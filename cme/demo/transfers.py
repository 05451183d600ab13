"""Demo transfer duties: a few open cases at the demo schools with a sign-in, in each state.

Each goes through the transfer services, as an officer and the school would, so the demo
shows the school's list, the officer's overdue-by-school page and a confirmed duty. Called
after the term dates are loaded, since every due date is counted in school days.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from cme.accounts.models import Role
from cme.cases.models import OPEN_STATUSES, Case
from cme.transfers.models import DestinationKind
from cme.transfers.services import transfer_confirm, transfer_mark_sent, transfer_open

from .accounts import Staff

# (days before the as-of date the child left, where to, what happened since)
DUTIES = [
    (40, DestinationKind.UNKNOWN, "due"),  # overdue: not sent
    (9, DestinationKind.INDEPENDENT, "due"),  # due soon
    (30, DestinationKind.ABROAD, "sent"),  # the school marked it sent
    (45, DestinationKind.UNKNOWN, "confirmed"),  # closed
]


def load_demo_transfers(*, as_of: date, staff: Staff) -> int:
    officer = staff.officers[0]
    made = 0
    for school in staff.staffed_schools:
        school_user = next(
            (
                u
                for u in staff.by_role(Role.SCHOOL_STAFF)
                if u.role == Role.SCHOOL_STAFF
                and u.organisation
                and u.organisation.establishment_id == school.pk
            ),
            None,
        )
        cases = Case.objects.filter(school=school, status__in=OPEN_STATUSES).select_related("child")
        for case, (days, where, state) in zip(cases.order_by("pk"), DUTIES, strict=False):
            left_on = as_of - timedelta(days=days)
            try:
                transfer = transfer_open(
                    child=case.child,
                    case=case,
                    from_school=school,
                    left_on=left_on,
                    destination_kind=where,
                    by=officer,
                )
            except ValidationError:
                continue  # the demo's term dates do not cover that day
            if state in {"sent", "confirmed"}:
                sent_on = min(transfer.due_on, as_of)
                transfer = transfer_mark_sent(
                    transfer=transfer, sent_on=sent_on, by=school_user or officer
                )
            if state == "confirmed":
                transfer_confirm(transfer=transfer, by=officer)
            made += 1
    return made
