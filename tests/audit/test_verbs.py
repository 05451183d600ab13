"""Every domain verb fits the audit table and is stored as written."""

from __future__ import annotations

import pytest

from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record


@pytest.mark.django_db
def test_the_longest_verb_is_stored_whole() -> None:
    longest = max(Verb, key=lambda verb: len(verb.value))
    max_length = AuditEvent._meta.get_field("verb").max_length
    assert max_length is not None
    assert len(longest.value) <= max_length
    event = audit_record(actor=None, verb=longest, subject_type="case")
    assert AuditEvent.objects.get(pk=event.pk).verb == longest


def test_the_verbs_still_to_be_used_are_there_for_the_coming_steps() -> None:
    for name in ("ENQUIRY_SENT", "CME1_SIGNED_OFF", "RETURN_RECEIVED", "CTF_SENT"):
        assert name in Verb.__members__
