"""Learning from the officers: decisions on the Check step are labelled pairs; `cme match
retrain` re-estimates the model from them and keeps it; a manager switches every search to it,
audited; bad input is refused with the current model kept (docs/matching.md)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from factories import ChildFactory, EstablishmentFactory, OpenCaseFactory

from cme.audit.models import AuditEvent, Verb
from cme.checks.learning import officer_decisions, retrain_from_decisions
from cme.checks.matching_models import (
    active_model,
    forget_active_model,
    in_use,
    matching_model_add,
    matching_model_switch,
)
from cme.checks.models import CheckCandidate, MatchingModel, MatchingModelSwitch, PupilOnRoll
from cme.checks.services import candidate_confirm, candidate_reject, check_run
from cme.checks.sources import EmsSource, RegisterSource
from cme.core.errors import NotAllowed
from cme.matching.model import active_model as matching_active_model
from cme.matching.model import default_model
from cme.matching.retrain import RetrainRefused
from cme.people.models import Address

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

FORENAMES = ["Alfie", "Evie", "Mohammed", "Isabella", "Oliver", "Amelia", "Noah", "Ruby"]
NICKNAMES = {"Alfie": "Alfred", "Evie": "Evelyn", "Mohammed": "Muhammad", "Isabella": "Izzy"}


def _decided(world: World, confirmed: int, rejected: int) -> None:
    """Cases whose child an EMS roll holds (under a nickname, or after a move: confirmed) or
    whose twin it holds (rejected), each checked and decided through the services."""
    school = EstablishmentFactory.create(name="Fictional Primary")
    now = timezone.now()
    officer = world.users["officer"]
    for n in range(confirmed + rejected):
        forename = FORENAMES[n % len(FORENAMES)]
        dob = date(2014, 1, 1) + timedelta(days=37 * n)
        child = ChildFactory.create(
            forename=forename, surname=f"Fictionalname{n}x", date_of_birth=dob, sex="M"
        )
        Address.objects.create(
            child=child, line_1=f"{n} Example Road", postcode=f"L{n % 30 + 1} 2AB"
        )
        case = OpenCaseFactory.create(child=child)
        twin = n >= confirmed
        moved = n % 3 == 0
        PupilOnRoll.objects.create(
            establishment=school,
            forename="Zebedee" if twin else NICKNAMES.get(forename, forename),
            surname=child.surname,
            date_of_birth=dob,
            sex="M",
            address="99 Other Street" if moved and not twin else f"{n} Example Road",
            postcode="L40 9ZZ" if moved and not twin else f"L{n % 30 + 1} 2AB",
            loaded_at=now,
        )
        check_run(case=case, by=officer, sources=[EmsSource()])
        for candidate in CheckCandidate.objects.filter(check_run__case=case):
            if twin:
                candidate_reject(candidate=candidate, by=officer, reason="A twin, not this child.")
            else:
                candidate_confirm(candidate=candidate, by=officer)


@pytest.fixture
def decided(world: World) -> World:
    _decided(world, confirmed=24, rejected=12)
    return world


def test_each_decision_on_the_check_step_is_a_labelled_pair(decided):
    decisions = officer_decisions()
    assert sum(p.match for p in decisions.pairs) == 24
    assert sum(not p.match for p in decisions.pairs) == 12
    assert not decisions.missing
    pair = next(p for p in decisions.pairs if not p.match)
    assert pair.right["forename"] == "Zebedee" and pair.left["surname"] == pair.right["surname"]
    # the prior is scaled to the records that check searched (the roll grew as cases came)
    assert pair.register_size is not None and 1 <= pair.register_size <= PupilOnRoll.objects.count()


def test_retrain_keeps_a_new_model_that_is_not_in_use_until_a_manager_switches(decided):
    manager = decided.users["manager"]
    out = StringIO()
    call_command_argv(
        ["match", "retrain", "--by", "manager", "--version", "la-1", "--no-benchmark"], out=out
    )
    text = out.getvalue()
    assert (
        f"re-estimated from {default_model().version} with 24 confirmed and 12 rejected decisions"
        in text
    )
    assert "5-fold cross-validated" in text and "cme match use la-1" in text
    row = MatchingModel.objects.get(version="la-1")
    assert json.loads(row.content)["cme"]["version"] == "la-1"
    assert row.report["decisions"] == {"confirmed": 24, "rejected": 12}
    assert in_use()[0] == default_model().version  # kept, not switched
    retrained = AuditEvent.objects.get(verb=Verb.MATCHING_RETRAINED)
    assert retrained.actor == manager and retrained.details["confirmed"] == 24
    children = set(
        AuditEvent.objects.filter(verb=Verb.MATCHING_LABELS_READ).values_list("child_id", flat=True)
    )
    assert len(children) == 36

    matching_model_switch(version="la-1", by=manager, reason="Trained on our decisions")
    assert active_model().version == "la-1" == matching_active_model().version
    switch = AuditEvent.objects.get(verb=Verb.MATCHING_MODEL_SWITCHED)
    shipped = default_model().version
    assert switch.details == {"from": shipped, "to": "la-1", "reason": "Trained on our decisions"}
    # every source's index scores with it, without a rebuild
    assert RegisterSource().index().model.version == "la-1"
    matching_model_switch(version="shipped", by=manager)
    assert active_model().version == shipped
    assert MatchingModelSwitch.objects.count() == 2 and MatchingModel.objects.count() == 1


def test_too_few_decisions_are_refused_and_nothing_is_kept(world: World):
    _decided(world, confirmed=6, rejected=2)
    with pytest.raises(RetrainRefused, match="Too few decisions to retrain: 6 confirmed and 2"):
        retrain_from_decisions(by=world.users["manager"], version="x", benchmark=False)
    assert not MatchingModel.objects.exists()
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command_argv(["match", "retrain", "--by", "manager"], err)
    assert exit_.value.code == 2
    assert "Too few decisions" in err.getvalue() and "current model is kept" in err.getvalue()


def call_command_argv(
    argv: list[str], err: StringIO | None = None, out: StringIO | None = None
) -> None:
    from cme.checks.management.commands.match import Command

    command = Command(stdout=out or StringIO(), stderr=err or StringIO())
    command.run_from_argv(["cme", *argv])


def test_decisions_on_records_no_longer_held_are_refused_unless_left_out(decided):
    gone = CheckCandidate.objects.filter(decision="confirmed").first()
    assert gone is not None
    PupilOnRoll.objects.filter(pk=int(gone.source_record_id)).delete()
    manager = decided.users["manager"]
    with pytest.raises(RetrainRefused, match="1 decisions are on records no longer held"):
        retrain_from_decisions(by=manager, version="x", benchmark=False)
    assert not MatchingModel.objects.exists()
    result, row = retrain_from_decisions(
        by=manager, version="x", benchmark=False, skip_missing=True
    )
    assert result.report["left_out_missing"] == 1
    assert row.report["decisions"]["confirmed"] == 23


def test_a_model_file_whose_levels_do_not_fit_is_refused_and_the_current_kept(
    world: World, tmp_path
):
    manager = world.users["manager"]
    data = json.loads(default_model().to_json())
    data["comparisons"][0]["comparison_levels"].pop(2)  # a forename level the code has
    data["cme"]["version"] = "old-levels"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="cannot be used with this version"):
        matching_model_add(content=path.read_text(), by=manager)
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command_argv(["match", "use", str(path), "--by", "manager"], err)
    assert "comparison forename should have levels" in err.getvalue()
    assert "current model is kept" in err.getvalue()
    assert not MatchingModel.objects.exists() and not MatchingModelSwitch.objects.exists()
    assert active_model().version == default_model().version


def test_a_kept_model_that_no_longer_fits_the_code_is_not_used(world: World):
    """After an upgrade that changed the levels, searches fall back to the shipped model."""
    manager = world.users["manager"]
    content = (
        default_model()
        .to_json()
        .replace(f'"version": "{default_model().version}"', '"version": "la-2"')
    )
    matching_model_add(content=content, by=manager)
    matching_model_switch(version="la-2", by=manager)
    assert active_model().version == "la-2"
    data = json.loads(content)
    data["comparisons"][0]["comparison_levels"].pop(2)
    MatchingModel.objects.filter(version="la-2").update(content=json.dumps(data))
    forget_active_model()
    assert active_model().version == default_model().version
    with pytest.raises(ValidationError, match="cannot be used"):
        matching_model_switch(version="la-2", by=manager)


def test_only_a_manager_retrains_or_switches(decided):
    officer = decided.users["officer"]
    with pytest.raises(NotAllowed):
        retrain_from_decisions(by=officer, version="x", benchmark=False)
    with pytest.raises(NotAllowed):
        matching_model_switch(version="shipped", by=officer)
    with pytest.raises(ValidationError, match="There is no model called"):
        matching_model_switch(version="nope", by=decided.users["manager"])
