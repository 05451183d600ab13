"""The demo holds enquiries of every kind in every state, made through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case, CaseStatus
from cme.cases.models import Outcome as CaseOutcome
from cme.demo.builder import build_demo
from cme.enquiries.models import (
    OUTCOMES,
    AnsweredVia,
    DeliveryState,
    Enquiry,
    EnquiryEmail,
    IncomingEnquiry,
    Kind,
    SchoolReason,
)
from cme.enquiries.reasonable import missing_enquiries
from cme.enquiries.selectors import school_suggestions
from cme.people.models import Sibling


@pytest.mark.django_db
def test_every_kind_in_every_state() -> None:
    build_demo(seed=7, as_of=timezone.localdate())
    enquiries = list(Enquiry.objects.all())
    for kind in Kind.values:
        mine = [e for e in enquiries if e.kind == kind]
        assert any(e.is_outstanding for e in mine), kind
        answered = {e.outcome for e in mine if e.state == "answered"}
        assert answered == set(OUTCOMES[kind]), kind
    assert any(e.is_overdue and not e.chases for e in enquiries)
    assert {e.chases for e in enquiries if e.is_outstanding} >= {0, 1, 2}
    assert any(e.escalated_on for e in enquiries)
    assert any(e.may_escalate for e in enquiries)  # chased twice, due again
    assert any(e.state == "withdrawn" for e in enquiries)
    assert {e.answered_via for e in enquiries if e.answered_via} == {
        AnsweredVia.INBOX,
        AnsweredVia.LINK,
        AnsweredVia.OFFICER,
    }
    assert EnquiryEmail.objects.filter(state=DeliveryState.FAILED).exists()
    assert AuditEvent.objects.filter(verb=Verb.ENQUIRY_ESCALATED).exists()
    # Brothers and sisters, whose schools a CME3a offers.
    linked = Sibling.objects.filter(sibling__isnull=False).select_related("child")
    assert linked.count() == 2 and Sibling.objects.filter(sibling__isnull=True).exists()
    case = Case.objects.filter(child__siblings__school__isnull=False).first()
    assert case is not None
    assert SchoolReason.SIBLING_SCHOOL in {reason for _, reason, _ in school_suggestions(case)}
    # Other councils' CME4s to us: waiting, checked, answered on roll and not known.
    incoming = list(IncomingEnquiry.objects.all())
    assert any(i.is_outstanding and i.checked_at is None for i in incoming)
    assert any(i.is_outstanding and i.checked_at is not None for i in incoming)
    assert {i.outcome for i in incoming if not i.is_outstanding} == {"on_roll", "not_known"}
    on_roll = next(i for i in incoming if i.outcome == "on_roll")
    ems = next(r for r in on_roll.check_results if r["source"] == "ems")
    assert any(c["band"] == "likely" for c in ems["found"])  # the check found the pupil
    # The cases closed as whereabouts unknown hold their reasonable enquiries.
    lost = Case.objects.filter(status=CaseStatus.CLOSED, outcome=CaseOutcome.LOST)
    assert lost.exists()
    for case in lost:
        assert not missing_enquiries(case), case.pk
