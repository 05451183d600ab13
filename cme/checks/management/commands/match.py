"""`cme match ...`: bulk matching of children's lists (cme.matching), and the model in use.

`link` and `dedupe` are cme.matching's own command line, which runs without Django.
`retrain`, `models` and `use` need the register: the officers' decisions, the models kept and
the one in use (docs/matching.md, "Learning from the officers").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cme.core.errors import NotAllowed

REGISTER_COMMANDS = {"retrain", "models", "use"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cme match",
        description="The matching model: retrain it from the officers' decisions, list the "
        "models kept, switch the one every search uses.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    re = sub.add_parser(
        "retrain",
        help="re-estimate the model in use from the Check step's confirmed and rejected "
        "candidates, and keep it for a manager to switch to",
    )
    re.add_argument("--by", required=True, metavar="USERNAME", help="a CME manager")
    re.add_argument("--version", help="the new model's name (default: <current>-<date>)")
    re.add_argument("--out", help="also write the model file here (default: under var/)")
    re.add_argument(
        "--skip-missing",
        action="store_true",
        help="leave out decisions on records no longer held (otherwise refused)",
    )
    re.add_argument("--no-benchmark", action="store_true", help="do not compare on generated data")
    sub.add_parser("models", help="list the models kept and the one in use")
    use = sub.add_parser("use", help="switch every search to another model")
    use.add_argument(
        "model", metavar="VERSION|FILE.json", help="a model kept, 'shipped', or a model file"
    )
    use.add_argument("--by", required=True, metavar="USERNAME", help="a CME manager")
    use.add_argument("--reason", default="", help="why (kept with the switch)")
    return parser


def _user(username: str) -> Any:
    from cme.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active account is called {username!r}.")
    return user


def _retrain(args: argparse.Namespace, out: Any) -> None:
    from cme.checks.learning import retrain_from_decisions
    from cme.checks.matching_models import active_model
    from cme.matching.retrain import describe

    by = _user(args.by)
    version = args.version or f"{active_model().version}-{timezone.localdate():%Y%m%d}"
    result, row = retrain_from_decisions(
        by=by, version=version, skip_missing=args.skip_missing, benchmark=not args.no_benchmark
    )
    path = Path(args.out) if args.out else settings.VAR_DIR / "matching-models" / f"{version}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(row.content, encoding="utf-8")
    out.write(describe(result.report) + "\n")
    if result.report.get("left_out_missing"):
        out.write(
            f"Left out {result.report['left_out_missing']} decisions on records no longer held.\n"
        )
    out.write(
        f"Kept as model {row.version} (file {path}); not in use yet. A manager switches to it "
        f"with: cme match use {row.version} --by USERNAME\n"
    )


def _models(out: Any) -> None:
    from cme.checks.matching_models import in_use
    from cme.checks.models import MatchingModel
    from cme.matching.model import default_model

    current, _ = in_use()
    shipped = default_model().version
    out.write(f"{'*' if current == shipped else ' '} {shipped} (shipped with the register)\n")
    for row in MatchingModel.objects.order_by("added_at", "pk"):
        mark = "*" if row.version == current else " "
        made = f"added {row.added_at:%-d %B %Y} by {row.added_by.get_username()}"
        out.write(f"{mark} {row.version} ({made})\n")
    out.write("* in use\n")


def _use(args: argparse.Namespace, out: Any) -> None:
    from cme.checks.matching_models import matching_model_add, matching_model_switch

    by = _user(args.by)
    version = args.model
    if version.endswith(".json"):
        try:
            content = Path(version).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"Cannot read {version}: {exc.strerror}. The current model is kept."
            ) from exc
        version = matching_model_add(content=content, by=by).version
    switch = matching_model_switch(version=version, by=by, reason=args.reason)
    now = switch.model.version if switch.model else version
    out.write(f"Every search now uses model {now} (was {switch.previous_version}).\n")


class Command(BaseCommand):
    help = (
        "Find the same children in two CSV lists (link) or repeats in one (dedupe); retrain "
        "the matching model from the officers' decisions (retrain), list the models (models), "
        "switch the one in use (use). Run `cme match --help` for the details."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        if len(argv) > 2 and argv[2] in REGISTER_COMMANDS:
            code = self.register_command(argv[2:])
            if code:
                sys.exit(code)
            return
        # The matching package owns its own argument parsing, so it also runs without Django.
        from cme.matching.cli import main

        code = main(argv[2:])
        if code:
            sys.exit(code)

    def register_command(self, argv: list[str]) -> int:
        from cme.matching.errors import MatchingError

        args = build_parser().parse_args(argv)
        try:
            if args.command == "retrain":
                _retrain(args, self.stdout)
            elif args.command == "models":
                _models(self.stdout)
            else:
                _use(args, self.stdout)
        except (CommandError, MatchingError) as exc:
            self.stderr.write(f"error: {exc}")
            return 2
        except ValidationError as exc:
            self.stderr.write("error: " + " ".join(exc.messages))
            return 2
        except NotAllowed:
            self.stderr.write(
                f"error: {args.by} is not a CME manager; only a CME manager may "
                "retrain or switch the matching model."
            )
            return 2
        return 0

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Use: cme match link LEFT.csv RIGHT.csv --out PAIRS.csv")
