"""The enquiries made about a child, with their links, emails and letters.

The letter templates are the council's own wording, not a child's record.
"""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Enquiry, EnquiryEmail, EnquiryLetter, EnquiryLink

EXPORTED = [
    "kind",
    "recipient_name",
    "sent_on",
    "due_on",
    "chases",
    "escalated_on",
    "state",
    "outcome",
    "answered_at",
    "on_roll_from",
    "on_roll_at",
    "left_on",
    "left_for",
    "moved_to_la_code",
    "agreed_action",
    "contact",
    "visited_on",
    "seen",
    "neighbours",
    "details",
]


def _export_case(case: Any) -> dict[str, Any]:
    return {
        "enquiries": [
            {"reference": e.reference, **model_to_dict(e, fields=EXPORTED)}
            for e in Enquiry.objects.filter(case=case).order_by("sent_on", "id")
        ]
    }


def _remove(child: Any) -> None:
    enquiries = Enquiry.objects.filter(case__child=child)
    EnquiryLink.objects.filter(enquiry__in=enquiries).delete()
    EnquiryEmail.objects.filter(enquiry__in=enquiries).delete()
    EnquiryLetter.objects.filter(enquiry__in=enquiries).delete()
    enquiries.delete()


CHILD_RECORDS = ChildRecords(
    models=(EnquiryLink, EnquiryEmail, EnquiryLetter, Enquiry),
    remove=_remove,
    export_case=_export_case,
)
