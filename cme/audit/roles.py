"""The two PostgreSQL roles (docs/audit.md): an owner that runs the migrations and owns every
table, and the app's role, which may read and write the register's tables but only add to and
read the audit trail. Neither is a superuser.

`db_roles_sql` is what a database administrator runs once, as a superuser; `app_role_grant`
runs as the owner after every `cme migrate`; `app_role_check` runs as the app's role and says
what it can still do that it should not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import AuditEvent, Verb

AUDIT_TABLE = AuditEvent._meta.db_table
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
INSUFFICIENT_PRIVILEGE = "42501"


def role_name(name: str) -> str:
    """A role name safe to write into SQL unquoted-and-quoted alike, or ValueError."""
    if not ROLE_NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} cannot be used as a role or database name here: use lower-case "
            "letters, digits and underscores, starting with a letter."
        )
    return name


def db_roles_sql(*, owner: str, app: str, database: str) -> str:
    """SQL for a superuser, run connected to `database`: create both roles if they are missing,
    hand the database, its schema and anything already in it to the owner, and let the app's
    role connect. Running it again changes nothing."""
    owner, app, database = role_name(owner), role_name(app), role_name(database)
    # Names checked by role_name() above; this is a script to print, not a query to run.
    return f"""\
-- Run as a database superuser, connected to the register's database: psql -d {database}
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
        CREATE ROLE "{owner}" LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN
        CREATE ROLE "{app}" LOGIN;
    END IF;
END $$;
ALTER ROLE "{owner}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE "{app}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- A member of the owner role would hold the owner's powers over the audit table.
DO $$
BEGIN
    IF pg_has_role('{app}', '{owner}', 'MEMBER') THEN
        REVOKE "{owner}" FROM "{app}";
    END IF;
END $$;
ALTER DATABASE "{database}" OWNER TO "{owner}";
REVOKE ALL ON DATABASE "{database}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "{database}" TO "{app}";
ALTER SCHEMA public OWNER TO "{owner}";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Tables and functions made before these roles existed (an installation that ran as a
-- superuser) pass to the owner; a table's own sequences go with it.
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relowner <> '{owner}'::regrole
    LOOP
        EXECUTE format(
            'ALTER %s %s OWNER TO "{owner}"',
            CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                ELSE 'TABLE' END,
            item.name
        );
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> '{owner}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO "{owner}"', item.name);
    END LOOP;
END $$;
-- Give each role a password (psql: \\password {owner}, \\password {app}) unless the server
-- authenticates them another way. Then, with DATABASE_URL for {app} and DATABASE_OWNER_URL
-- for {owner}, `cme migrate` creates the tables and grants {app} its privileges.
"""  # noqa: S608


def app_role_grant(*, connection: BaseDatabaseWrapper, app_role: str) -> list[str]:
    """As the owner: the app's role reads and writes every table, may only add to and read
    the audit table, and gets the same on tables the owner makes later (default privileges).
    Run after every migration, so a new or rebuilt table never slips through."""
    app = f'"{role_name(app_role)}"'
    audit = connection.ops.quote_name(AUDIT_TABLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema_name = cursor.fetchone()
        if current_user == app_role:
            raise ValueError(
                "DATABASE_URL and DATABASE_OWNER_URL name the same role: the app needs a role "
                "of its own, which must not own the tables."
            )
        schema = connection.ops.quote_name(schema_name)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {app}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {app}, PUBLIC",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        ]
        with transaction.atomic(using=connection.alias):
            for statement in statements:
                cursor.execute(statement)
    return statements


@dataclass(frozen=True)
class RoleFinding:
    ok: bool
    what: str


def app_role_check(*, alias: str = "default") -> list[RoleFinding]:
    """As the app's role: what it can and cannot do to the audit trail. Everything it tries is
    rolled back, so the check leaves no event behind."""
    connection = connections[alias]
    with transaction.atomic(using=alias):
        findings = _identity_findings(connection) + _statement_findings(connection)
        transaction.set_rollback(True, using=alias)
    return findings


def _identity_findings(connection: BaseDatabaseWrapper) -> list[RoleFinding]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, c.relowner, 'USAGE')"
            " FROM pg_roles r, pg_class c"
            " WHERE r.rolname = current_user AND c.oid = %s::regclass",
            [AUDIT_TABLE],
        )
        superuser, bypass_rls, owns = cursor.fetchone()
        cursor.execute(
            "SELECT has_any_column_privilege(%s, 'UPDATE'), has_table_privilege(%s, 'DELETE')",
            [AUDIT_TABLE, AUDIT_TABLE],
        )
        may_update, may_delete = cursor.fetchone()
    return [
        RoleFinding(not superuser and not bypass_rls, "is not a superuser"),
        RoleFinding(not owns, "does not own the audit table, nor belongs to its owner"),
        RoleFinding(not may_update and not may_delete, "holds no UPDATE or DELETE privilege"),
    ]


def _statement_findings(connection: BaseDatabaseWrapper) -> list[RoleFinding]:
    from .services import audit_record

    event = audit_record(actor=None, verb=Verb.VIEW, subject_type="audit_role_check")
    read_back = AuditEvent.objects.filter(pk=event.pk).values_list("hash", flat=True).first()
    audit = connection.ops.quote_name(AUDIT_TABLE)
    refused = {
        "UPDATE": f"UPDATE {audit} SET actor_label = 'x' WHERE id = {event.pk:d}",  # noqa: S608
        "DELETE": f"DELETE FROM {audit} WHERE id = {event.pk:d}",  # noqa: S608
        "TRUNCATE": f"TRUNCATE {audit}",
        "ALTER TABLE ... DISABLE TRIGGER": f"ALTER TABLE {audit} DISABLE TRIGGER ALL",
        "SET session_replication_role": "SET LOCAL session_replication_role = replica",
    }
    findings = [RoleFinding(read_back == event.hash, "may INSERT and SELECT audit events")]
    for name, statement in refused.items():
        findings.append(RoleFinding(_refused(connection, statement), f"is refused {name}"))
    return findings


def _refused(connection: BaseDatabaseWrapper, statement: str) -> bool:
    """True only if the database refused for want of privilege (not a trigger, which a
    superuser could set aside)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as error:
        return getattr(error.__cause__, "sqlstate", None) == INSUFFICIENT_PRIVILEGE
    return False
