"""Fixtures shared across the suite: one signed-in user per role, with their organisations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import (
    EstablishmentFactory,
    OpenCaseFactory,
    OrganisationFactory,
    ReferralFactory,
    SchoolOrganisationFactory,
    UserFactory,
)
from hypothesis import settings as hypothesis_settings

from cme.accounts.models import OrganisationKind, Role, User
from cme.cases.models import Case
from cme.schools.models import Establishment

# No per-example deadline: a loaded 2-core CI machine is slow, not wrong. In CI the examples
# are derandomised, so a red build always means a change broke something, and the same
# failure shows on a rerun; locally each run explores new examples.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _fresh_match_indexes() -> Iterator[None]:
    """Each test starts without this process's match indexes: a test's rolled-back rows (and,
    on SQLite, its reused ids) must not be taken for the next test's register."""
    from cme.checks.matching_models import forget_active_model
    from cme.matching.sources import clear_cache

    clear_cache()
    forget_active_model()  # the model in use is read again from this test's database
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_truncate_trigger() -> Iterator[None]:
    """Between transactional tests (the browser tests' live server) Django empties every table
    with one TRUNCATE, which the audit trail's statement trigger refuses on PostgreSQL. The
    tests connect as a superuser, so the flush runs in session_replication_role = replica,
    which fires no triggers: the power the docs say a superuser keeps, and that the app's own
    role has not (it may neither set that nor truncate the table). Only the flush runs so;
    every test still meets the triggers."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@dataclass
class World:
    """A small authority: two schools, the CME team, PAEWS, an agency, and a case for each."""

    school_a: Establishment
    school_b: Establishment
    users: dict[str, User]
    case_at_a: Case  # last on roll at school A, key worker named, PAEWS officer named
    case_at_b: Case  # school B, nobody named
    case_referred_by_agency: Case


@pytest.fixture
def world(db: None) -> World:
    org_a = SchoolOrganisationFactory.create(name="School A staff")
    org_b = SchoolOrganisationFactory.create(name="School B staff")
    agency = OrganisationFactory.create(name="Police", kind=OrganisationKind.AGENCY)
    other_agency = OrganisationFactory.create(name="Health", kind=OrganisationKind.AGENCY)
    other_la = OrganisationFactory.create(name="Sefton Council", kind=OrganisationKind.OTHER_LA)
    paews_org = OrganisationFactory.create(name="PAEWS", kind=OrganisationKind.PAEWS)
    # Key workers come from an organisation the council approved for key work.
    health_visiting = OrganisationFactory.create(
        name="Health visiting", kind=OrganisationKind.AGENCY, approved_for_key_work=True
    )
    users = {
        "officer": UserFactory.create(username="officer", role=Role.CME_OFFICER),
        "manager": UserFactory.create(username="manager", role=Role.CME_MANAGER),
        "paews": UserFactory.create(
            username="paews", role=Role.PAEWS_OFFICER, organisation=paews_org
        ),
        "paews_other": UserFactory.create(
            username="paews_other", role=Role.PAEWS_OFFICER, organisation=paews_org
        ),
        "school_a": UserFactory.create(
            username="school_a", role=Role.SCHOOL_STAFF, organisation=org_a
        ),
        "school_b": UserFactory.create(
            username="school_b", role=Role.SCHOOL_STAFF, organisation=org_b
        ),
        "keyworker": UserFactory.create(
            username="keyworker", role=Role.KEY_WORKER, organisation=health_visiting
        ),
        "keyworker_other": UserFactory.create(
            username="keyworker_other", role=Role.KEY_WORKER, organisation=health_visiting
        ),
        "agency": UserFactory.create(
            username="agency", role=Role.PARTNER_AGENCY, organisation=agency
        ),
        "agency_other": UserFactory.create(
            username="agency_other", role=Role.PARTNER_AGENCY, organisation=other_agency
        ),
        "otherla": UserFactory.create(
            username="otherla", role=Role.OTHER_LA, organisation=other_la
        ),
        "admin": UserFactory.create(username="admin", role=Role.SYSTEM_ADMIN),
    }
    school_a, school_b = org_a.establishment, org_b.establishment
    assert school_a is not None and school_b is not None
    case_at_a = OpenCaseFactory.create(
        school=school_a, key_worker=users["keyworker"], paews_officer=users["paews"]
    )
    case_at_b = OpenCaseFactory.create(school=school_b)
    case_by_agency = OpenCaseFactory.create()
    ReferralFactory.create(
        referring_organisation=agency,
        case=case_by_agency,
        child=case_by_agency.child,
        status="accepted",
    )
    return World(school_a, school_b, users, case_at_a, case_at_b, case_by_agency)


@pytest.fixture
def establishment(db: None) -> Establishment:
    return EstablishmentFactory.create()


@pytest.fixture
def term_dates(db: None) -> None:
    """Liverpool's published term dates, which every school-day clock counts in."""
    from cme.calendars.services import term_dates_import
    from cme.cases import due

    term_dates_import(
        path=Path(__file__).resolve().parents[1] / "cme/calendars/data/liverpool-term-dates.csv"
    )
    # What the import queues for after its commit (cme.cases.apps), which a test's
    # transaction never reaches: the cases made before the term dates get their due dates.
    due.refresh_all()
