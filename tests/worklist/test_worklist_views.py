"""The home page: what it names is audited as listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from factories import ReferralFactory

from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def test_the_home_page_audits_the_children_and_referrals_it_names(world: World) -> None:
    referral = ReferralFactory.create()
    keyworker, officer = Client(), Client()
    keyworker.force_login(world.users["keyworker"])
    officer.force_login(world.users["officer"])
    page = keyworker.get(reverse("worklist:home")).content.decode()
    assert world.case_at_a.child.full_name in page
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, actor=world.users["keyworker"], child_id=world.case_at_a.child_id
    ).exists()
    officer.get(reverse("worklist:home"))
    assert AuditEvent.objects.filter(
        verb=Verb.LIST,
        actor=world.users["officer"],
        subject_type="referral",
        subject_id=referral.pk,
    ).exists()
