"""`cme demo`: a deterministic, fictional authority that exercises every status and route."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cme.accounts.models import Role, User
from cme.audit.models import AuditEvent, Verb
from cme.cases.deadlines import Urgency, case_work_items
from cme.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus, Outcome
from cme.demo.accounts import DEMO_PASSWORD
from cme.demo.builder import DemoRefused, build_demo
from cme.people.models import Child, ChildRiskFactor, RiskFactor
from cme.referrals.models import Reason, Referral, ReferralStatus, Route
from cme.rules import validate_upn
from cme.schools.models import Establishment

AS_OF = date(2026, 3, 2)
DESCRIBED_KEYS = {
    "forename", "middle_names", "surname", "date_of_birth", "sex", "upn", "address_line_1",
    "town", "postcode",
}  # fmt: skip
NEXT_UPDATE = "Next update from the key worker"


class Rollback(Exception):
    pass


def snapshot() -> list[tuple]:
    """Everything that makes one demo child different from another, without database ids."""
    rows = []
    for child in Child.objects.prefetch_related(
        "cases", "addresses", "carers", "former_names", "risk_factors"
    ).order_by("surname", "forename", "date_of_birth", "upn"):
        rows.append((
            child.forename, child.middle_names, child.surname, child.date_of_birth, child.sex,
            child.upn,
            sorted(f.code for f in child.risk_factors.all()),
            sorted((a.line_1, a.postcode, a.lived_from, a.lived_until)
                   for a in child.addresses.all()),
            sorted((c.name, c.relationship, c.phone) for c in child.carers.all()),
            sorted((f.surname, f.used_until) for f in child.former_names.all()),
            sorted((c.status, c.outcome, c.opened_on, c.closed_on) for c in child.cases.all()),
        ))  # fmt: skip
    return rows


@pytest.mark.django_db
def test_same_seed_and_date_give_the_same_children() -> None:
    with pytest.raises(Rollback), transaction.atomic():
        build_demo(seed=7, as_of=AS_OF)
        first = snapshot()
        references = sorted(Referral.objects.values_list("reference", flat=True))
        raise Rollback
    assert not Child.objects.exists()

    build_demo(seed=7, as_of=AS_OF)

    assert snapshot() == first
    assert sorted(Referral.objects.values_list("reference", flat=True)) == references
    assert len(first) == 300


@pytest.mark.django_db
def test_another_seed_gives_other_children() -> None:
    with pytest.raises(Rollback), transaction.atomic():
        build_demo(seed=1, as_of=AS_OF)
        first = snapshot()
        raise Rollback

    build_demo(seed=2, as_of=AS_OF)

    assert snapshot() != first


@pytest.fixture
def demo(db: None) -> None:
    build_demo(as_of=AS_OF)


@pytest.mark.usefixtures("demo")
def test_covers_every_status_outcome_route_reason_and_risk_factor() -> None:
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(Case.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert set(Referral.objects.values_list("route", flat=True)) == set(Route.values)
    assert set(Referral.objects.values_list("reason", flat=True)) == set(Reason.values)
    used = set(ChildRiskFactor.objects.values_list("risk_factor__code", flat=True))
    assert used == set(RiskFactor.objects.values_list("code", flat=True))
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)


@pytest.mark.usefixtures("demo")
def test_children_are_fictional_with_valid_upns_and_three_years_of_history() -> None:
    assert Child.objects.count() == 300
    assert not Child.objects.filter(fictional=False).exists()
    upns = list(Child.objects.exclude(upn="").values_list("upn", flat=True))
    assert len(upns) > 200
    assert all(upn[1:4] == "341" and validate_upn(upn) == [] for upn in upns)
    opened = list(Case.objects.values_list("opened_on", flat=True))
    assert min(opened) >= AS_OF - timedelta(days=3 * 365)
    assert max(opened) <= AS_OF
    assert min(opened) < AS_OF - timedelta(days=2 * 365)
    for case in Case.objects.filter(status=CaseStatus.CLOSED):
        assert case.outcome and case.closed_on and case.opened_on <= case.closed_on <= AS_OF
    assert (
        Child.objects.filter(cases__status=CaseStatus.CLOSED)
        .filter(cases__opened_on__gt=AS_OF - timedelta(days=365))
        .exists()
    )
    two_cases = [c for c in Child.objects.prefetch_related("cases") if c.cases.count() == 2]
    assert len(two_cases) >= 10
    assert Child.objects.filter(former_names__isnull=False).exists()
    assert Child.objects.filter(addresses__lived_until__isnull=False).exists()
    assert not Child.objects.filter(carers__isnull=True).exists()


@pytest.mark.usefixtures("demo")
def test_cases_have_timelines_and_referrals() -> None:
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert kinds >= {"opened", "status", "note", "key_worker", "referral", "closed"}
    assert not Case.objects.filter(events__isnull=True).exists()
    for case in Case.objects.filter(status__in=[CaseStatus.ENGAGING, CaseStatus.IN_PROVISION]):
        assert case.key_worker_id is not None
    attached = Referral.objects.filter(status=ReferralStatus.ATTACHED).select_related("case")
    assert attached.exists()
    assert all(r.case is not None and r.case.status != CaseStatus.CLOSED for r in attached)
    for referral in Referral.objects.all():
        assert set(referral.described) == DESCRIBED_KEYS
    closed = CaseEvent.objects.filter(kind=CaseEventKind.CLOSED).count()
    assert closed == Case.objects.filter(status=CaseStatus.CLOSED).count()


@pytest.mark.usefixtures("demo")
def test_staff_in_every_role_share_the_demo_password_and_schools_came_through_the_import() -> None:
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
    school_staff = User.objects.filter(role=Role.SCHOOL_STAFF)
    assert school_staff.values("organisation__establishment").distinct().count() >= 2
    assert 55 <= Establishment.objects.filter(la_code="341").count() <= 65
    assert not Establishment.objects.filter(paews_officer__isnull=True).exists()
    assert AuditEvent.objects.filter(verb=Verb.IMPORT, subject_type="establishments").exists()
    assert Case.objects.filter(school__organisation__users__username="school").exists()
    assert Case.objects.filter(key_worker__username="keyworker").exists()


@pytest.mark.usefixtures("demo")
def test_the_demo_has_no_superuser_and_its_administrator_reads_no_children() -> None:
    assert not User.objects.filter(is_superuser=True).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.has_perm("accounts.change_user")
    assert not admin.has_perm("people.view_child") and not admin.has_perm("cases.view_case")


@pytest.mark.django_db
def test_command_prints_sign_ins_and_if_empty_leaves_a_loaded_database_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--as-of", "2026-03-02", "--seed", "3")
    out = capsys.readouterr().out
    assert "300 fictional children" in out
    assert "officer " in out and "keyworker" in out
    assert DEMO_PASSWORD in out
    children = Child.objects.count()

    call_command("demo", "--if-empty")

    assert "not loaded" in capsys.readouterr().out
    assert Child.objects.count() == children
    with pytest.raises(CommandError, match="already has children"):
        call_command("demo")


@pytest.mark.django_db
def test_demo_refuses_when_a_demo_username_is_taken() -> None:
    User.objects.create(username="admin")

    with pytest.raises(DemoRefused, match="admin"):
        build_demo(as_of=AS_OF)
    assert not Establishment.objects.exists()


@pytest.mark.usefixtures("demo")
def test_next_updates_fall_on_different_days_and_some_are_overdue() -> None:
    """The clock counts from each case's own last update from its key worker, backdated in
    the demo, not from the moment the demo was loaded."""
    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED).select_related("school")
    due = {}
    for case in open_cases:
        items = [i for i in case_work_items(case, today=AS_OF) if i.what == NEXT_UPDATE]
        due[case.pk] = items[0]
    assert len({item.due for item in due.values()}) > 10
    urgencies = {item.urgency for item in due.values()}
    assert Urgency.OVERDUE in urgencies and urgencies - {Urgency.OVERDUE}
    updated = open_cases.filter(last_key_worker_update_on__isnull=False)
    assert updated.exists()
    for case in updated:
        assert case.last_key_worker_update_on is not None
        assert case.opened_on <= case.last_key_worker_update_on <= AS_OF
        assert case.events.filter(by=case.key_worker_id, kind=CaseEventKind.NOTE).exists()


@pytest.mark.usefixtures("demo")
def test_transfer_duties_in_each_state_at_the_demo_schools() -> None:
    from cme.transfers.models import Transfer, TransferStatus

    states = set(Transfer.objects.values_list("status", flat=True))
    assert {TransferStatus.DUE, TransferStatus.SENT, TransferStatus.CONFIRMED} <= states
    assert any(t.is_overdue(AS_OF) for t in Transfer.objects.filter(status=TransferStatus.DUE))


@pytest.mark.usefixtures("demo")
def test_places_in_every_state_through_the_services() -> None:
    from cme.provision.models import Placement, PlacementState
    from cme.provision.selectors import provision_starts

    states = set(Placement.objects.values_list("state", flat=True))
    assert {PlacementState.OFFERED, PlacementState.WATCHING, PlacementState.WITHDRAWN} <= states
    assert {PlacementState.ATTENDING, PlacementState.NOT_ATTENDING} <= states
    assert len(provision_starts()) >= 4  # the reports can count progress into provision


@pytest.mark.usefixtures("demo")
def test_cme1_checklists_in_each_state_through_the_services() -> None:
    from cme.checklist.models import Checklist, Status

    states = set(Checklist.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    signed = Checklist.objects.filter(status=Status.SIGNED_OFF)
    assert signed and all(c.referral is not None for c in signed)
    assert all(c.returned_reasons for c in Checklist.objects.filter(status=Status.RETURNED))


@pytest.mark.usefixtures("demo")
def test_the_demo_has_enough_officer_decisions_for_cme_match_retrain() -> None:
    from cme.checks.learning import officer_decisions
    from cme.matching.retrain import MIN_CONFIRMED, MIN_REJECTED

    decisions = officer_decisions()
    confirmed = sum(p.match for p in decisions.pairs)
    assert confirmed >= MIN_CONFIRMED
    assert len(decisions.pairs) - confirmed >= MIN_REJECTED
    assert not decisions.missing


@pytest.mark.usefixtures("demo")
def test_the_demo_keeps_a_retrained_model_for_the_manager_not_in_use() -> None:
    from cme.checks.matching_models import active_model
    from cme.checks.models import MatchingModel
    from cme.matching import default_model

    kept = MatchingModel.objects.get()
    assert kept.version == f"{default_model().version}-demo"
    assert kept.report["decisions"]["rejected"] >= 10
    assert active_model().version == default_model().version
