"""The app's PostgreSQL role may add to and read the audit trail, and nothing more with it.

The roles are made inside each test's transaction (PostgreSQL rolls CREATE ROLE back with
it), so nothing is left on the server. CI also runs the whole set-up for real (.ci/run).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cme.audit.models import AuditEvent
from cme.audit.roles import app_role_check, app_role_grant, db_roles_sql, role_name
from cme.cases.models import Case

if TYPE_CHECKING:
    from conftest import World

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and privileges are PostgreSQL's"
)


def run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    run(f'SET LOCAL ROLE "{role}"')
    try:
        yield
    finally:
        run("RESET ROLE")


@pytest.fixture
def roles(db: None) -> tuple[str, str]:
    """An owner and an app role set up as README says, the owner holding the test database."""
    # The world's rows still hold deferred foreign-key checks, which would stop ALTER TABLE.
    run("SET CONSTRAINTS ALL IMMEDIATE")
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"cme_test_owner_{suffix}", f"cme_test_app_{suffix}"
    run(db_roles_sql(owner=owner, app=app, database=connection.settings_dict["NAME"]))
    # Twice: an administrator may run it again, and it changes nothing.
    run(db_roles_sql(owner=owner, app=app, database=connection.settings_dict["NAME"]))
    with acting_as(owner):
        app_role_grant(connection=connection, app_role=app)
    return owner, app


@postgres_only
def test_the_app_role_may_only_add_to_and_read_the_trail(world: World, roles) -> None:
    _, app = roles
    with acting_as(app):
        findings = app_role_check()
        # It still does the register's work on every other table.
        assert Case.objects.filter(pk=world.case_at_a.pk).update(version=2) == 1
    assert [f.what for f in findings if not f.ok] == []
    assert len(findings) == 9
    # The check wrote its event and took it back.
    assert not AuditEvent.objects.filter(subject_type="audit_role_check").exists()


@postgres_only
def test_the_command_passes_for_the_app_role(world: World, roles) -> None:
    from io import StringIO

    out = StringIO()
    with acting_as(roles[1]):
        call_command("check_audit_role", stdout=out)
    assert "FAIL" not in out.getvalue() and "is refused TRUNCATE" in out.getvalue()


@postgres_only
def test_the_owner_and_a_superuser_fail_the_check(world: World, roles) -> None:
    owner, _ = roles
    with acting_as(owner):
        failed = {f.what for f in app_role_check() if not f.ok}
    assert "is refused UPDATE" in failed and "is refused TRUNCATE" in failed
    assert "does not own the audit table, nor belongs to its owner" in failed
    # The tests' own connection is a superuser: everything is open to it.
    with pytest.raises(CommandError, match="can change the audit trail") as refused:
        call_command("check_audit_role")
    assert refused.value.returncode == 1


@postgres_only
def test_a_role_given_update_on_the_trail_fails_the_check(world: World, roles) -> None:
    owner, app = roles
    with acting_as(owner):
        run(f'GRANT UPDATE (actor_label) ON audit_auditevent TO "{app}"')
    with acting_as(app):
        failed = {f.what for f in app_role_check() if not f.ok}
    assert failed == {"holds no UPDATE or DELETE privilege", "is refused UPDATE"}


@postgres_only
def test_grants_reach_tables_the_owner_makes_later(world: World, roles) -> None:
    owner, app = roles
    with acting_as(owner):
        run("CREATE TABLE later_table (id int)")
    with acting_as(app):
        run("INSERT INTO later_table VALUES (1)")
        run("DELETE FROM later_table")


@postgres_only
def test_the_app_and_the_owner_must_be_two_roles(db) -> None:
    with pytest.raises(ValueError, match="same role"):
        app_role_grant(connection=connection, app_role=connection.settings_dict["USER"])
    with pytest.raises(CommandError, match="two different roles"):
        call_command("db_roles_sql", owner="cme", app="cme", database="cme")


@pytest.mark.parametrize("name", ['cme"; DROP TABLE x; --', "Cme", "1cme", ""])
def test_role_names_that_could_break_the_sql_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="cannot be used"):
        role_name(name)
