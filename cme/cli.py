"""The `cme` command: the operator's and officer's way in for imports, demo data and batch work.

Each subcommand is a Django management command, so `cme migrate` and `cme runserver` work too;
`cme` alone (or `cme --help`) lists the ones a council needs, in plain words.
"""

from __future__ import annotations

import os
import sys

# The commands a newcomer needs, grouped; Django's own are listed by `cme help --all`.
GUIDE = """\
CME Register command line

Usage: cme COMMAND [options]      (cme COMMAND --help explains one command)

Getting started
  migrate                   Create or update the database tables.
  demo                      Load the fictional demo authority (LA 341) with sign-ins.
  runserver [ADDR:PORT]     Serve the app for local use (make run does this for you).
  create-user USERNAME --role ROLE [--organisation NAME]
                            Create an account and print its one-time authenticator
                            set-up link. A system administrator (--role system_admin)
                            manages users and reference data only; a CME manager sets
                            everyone else's role. Do not create superusers for normal
                            running: a superuser can read every child's record.

Reference data
  import-establishments FILE
                            Load schools from DfE's Get Information about Schools CSV.
  import-ems FILE           Load pupils on roll (attendance, exclusions) from the EMS extract.
  import-lost-pupils FILE...
                            Load S2S lost-pupil CTF files (XXXXXXX / MMMMMMM).
  import-term-dates FILE    Add the authority's term dates (CSV or iCalendar).

Matching
  match link LEFT.csv RIGHT.csv --out PAIRS.csv
                            Find the same children in two lists.
  match dedupe FILE.csv --out PAIRS.csv
                            Find children listed more than once in one list.
  match retrain --by MANAGER [--skip-missing]
                            Re-estimate the matching model from the officers' confirmed
                            and rejected candidates on the Check step; reports precision
                            and recall before and after, and keeps the new model (not in
                            use until switched to).
  match models              The matching models kept, and the one every search uses.
  match use VERSION|shipped|FILE.json --by MANAGER [--reason TEXT]
                            Switch every search to another matching model (audited).

Operations
  export-ctf --child ID --to DEST --out DIR
                            One child's Common Transfer File (DEST a LAESTAB, XXXXXXX or MMMMMMM).
  export-child CHILD_ID --out FILE --by MANAGER
                            A subject access export: all the register holds on one child.
  apply-retention [--dry-run]
                            Remove records past their retention period (per category), audit kept.
  send-reminders            Email each worker what is overdue or due soon (daily, from cron).
  prune-index-changes       Remove old entries of the match indexes' change log (daily, cron).
  prune-idempotency-keys    Forget expired API Idempotency-Keys and their responses (daily, cron).
  db_worker                 Run queued background work (emails, reminders).
  create-api-token USERNAME --name NAME
                            Make an API token for a school MIS or another council's system.
  revoke-api-token ID       Stop a token working.
  check --deploy            Check the settings before going live.

Reports
  report dfe-return --census-date YYYY-MM-DD --out FILE.csv [--by USERNAME]
                            DfE's termly CME and EHE return as the register stood on
                            the census date, unrounded (DfE rounds).

Audit trail
  verify-audit [--expect NUMBER:HASH]
                            Check that no audit event was changed, removed or reordered.
  db-roles-sql --owner NAME --app NAME --database NAME
                            SQL creating the owner and app roles (PostgreSQL, run as superuser).
  check-audit-role          Check the app's role cannot change or empty the audit trail.

Settings come from environment variables: DATABASE_URL (PostgreSQL in production; SQLite
under var/ when unset), DATABASE_OWNER_URL (the owner role migrate and createcachetable use),
DJANGO_SETTINGS_MODULE (default cme.settings.dev), PORT.
All Django commands: cme help --all
"""


# These create tables, so they connect as the tables' owner when DATABASE_OWNER_URL is set.
OWNER_COMMANDS = {"migrate", "createcachetable"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cme.settings.dev")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        sys.stdout.write(GUIDE)
        return 0
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help"]
    # Django's command names are Python modules; people type hyphens.
    argv[1] = argv[1].replace("-", "_")
    if argv[1] in OWNER_COMMANDS:
        os.environ["CME_DATABASE_AS_OWNER"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
