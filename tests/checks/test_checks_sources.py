"""Each source finds the right child, with reasons an officer can read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from cme.checks.models import HomeEducatedChild
from cme.checks.sources import (
    EmsSource,
    HomeEducationSource,
    LostPupilSource,
    RegisterSource,
    Source,
    all_sources,
    child_record,
)

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def test_the_four_sources_are_registered_in_order():
    assert [s.name for s in all_sources()] == ["register", "ems", "lost_pupils", "home_education"]
    assert all(isinstance(s, Source) and s.label for s in all_sources())


def test_ems_finds_alfred_for_alfie_with_reasons(alfie, sources_with_alfred):
    found = EmsSource().candidates(child_record(alfie.child), limit=5)
    assert found, "Alfred Jones on roll should be found for Alfie Jones"
    best = found[0]
    assert best.details["name"] == "Alfred Jones" and best.band == "likely"
    assert best.details["school"] == "Fictional Academy"
    assert "On roll; attendance 90.0%" in best.details["status"]
    assert any("Alfie / Alfred" in r for r in best.reasons), best.reasons
    assert any("date of birth is the same" in r for r in best.reasons), best.reasons
    assert all(c.details["name"] != "Grace Okafor" for c in found)


def test_lost_pupil_found_from_the_ctf_capitals(alfie, sources_with_alfred):
    found = LostPupilSource().candidates(child_record(alfie.child), limit=5)
    assert [c.details["name"] for c in found] == ["ALFIE JONES"]
    assert "XXXXXXX" in found[0].details["status"]


def test_register_excludes_the_childs_own_record(alfie, other_alfie):
    found = RegisterSource().candidates(child_record(alfie.child), limit=5)
    ids = [c.record_id for c in found]
    assert str(alfie.child.pk) not in ids
    assert str(other_alfie.child.pk) in ids
    assert found[0].details["case_id"] == other_alfie.pk


def test_register_searches_former_names(alfie, world: World):
    from cme.people.models import FormerName

    other = world.case_at_b.child
    other.forename, other.surname, other.date_of_birth = "Zed", "Quill", alfie.child.date_of_birth
    other.save()
    FormerName.objects.create(child=other, forename="Alfie", surname="Jones")
    found = RegisterSource().candidates(child_record(alfie.child), limit=5)
    assert str(other.pk) in [c.record_id for c in found]
    assert len({c.record_id for c in found}) == len(found)  # one row per child


def test_index_is_rebuilt_when_the_rows_change(alfie):
    source = HomeEducationSource()
    assert source.candidates(child_record(alfie.child)) == []
    first = source.index()
    assert source.index() is first  # cached while nothing changes
    HomeEducatedChild.objects.create(
        forename="Alfie",
        surname="Jones",
        date_of_birth=alfie.child.date_of_birth,
        started_on=timezone.localdate(),
    )
    assert source.index() is not first
    found = source.candidates(child_record(alfie.child))
    assert found and found[0].details["school"] == "Home educated"


def _register_builds() -> int:
    from cme.matching.sources import builds

    return builds.get("register", 0)


def test_the_register_index_is_changed_in_place_never_rebuilt_for_one_change(alfie, world: World):
    from factories import ChildFactory

    from cme.people.models import Address, FormerName

    source = RegisterSource()
    other = world.case_at_b.child
    assert str(other.pk) not in [c.record_id for c in source.candidates(child_record(alfie.child))]
    built = _register_builds()
    first = source.index()

    # Corrected: the other child now has Alfie's name and date of birth.
    other.forename, other.surname, other.date_of_birth = "Alfie", "Jones", alfie.child.date_of_birth
    other.save()
    found = source.candidates(child_record(alfie.child))
    assert str(other.pk) in [c.record_id for c in found]

    # A new child, and a former name and a new address on another.
    new = ChildFactory.create(forename="Alfie", surname="Jones", date_of_birth=other.date_of_birth)
    third = world.case_referred_by_agency.child
    FormerName.objects.create(child=third, forename="Alfie", surname="Jones")
    third.date_of_birth = alfie.child.date_of_birth
    third.save()
    Address.objects.create(child=new, line_1="1 Fictional Road", postcode="L1 1AA")
    ids = [c.record_id for c in source.candidates(child_record(alfie.child), limit=10)]
    assert str(new.pk) in ids and str(third.pk) in ids
    assert ids.count(str(third.pk)) == 1  # the former name is the same child

    # Removed: gone from the index itself, not only filtered out when shown.
    other_pk = other.pk
    world.case_at_b.status_changes.all().delete()
    world.case_at_b.delete()
    other.delete()
    assert str(other_pk) not in [m.id for m in source.index().search(child_record(alfie.child))]

    assert source.index() is first
    assert _register_builds() == built  # every change applied in place: no rebuild


def test_pruning_the_change_log_never_leaves_an_index_missing_a_change(
    alfie, world: World, settings, monkeypatch
):
    """A process that has not looked at the log for half the kept time rebuilds; one that
    looked recently applies what is left in place, and the newest entry is never pruned."""
    from datetime import timedelta

    from cme.matching import sources as matching_sources
    from cme.people.index_log import index_changes_prune
    from cme.people.models import ChildIndexChange

    settings.CME_INDEX_CHANGE_LOG_HOURS = 48
    source = RegisterSource()
    first = source.index()
    built = _register_builds()
    other = world.case_at_b.child

    # This process looked a moment ago: a change is applied in place, no rebuild.
    other.forename, other.surname, other.date_of_birth = "Alfie", "Jones", alfie.child.date_of_birth
    other.save()
    assert str(other.pk) in [c.record_id for c in source.candidates(child_record(alfie.child))]
    assert source.index() is first and _register_builds() == built

    # Old entries go; the newest stays so the latest change id never goes back.
    now = timezone.now()
    ChildIndexChange.objects.update(at=now - timedelta(hours=49))
    newest = ChildIndexChange.objects.order_by("-pk").first()
    assert newest is not None
    before = ChildIndexChange.objects.count()
    assert before > 1
    assert index_changes_prune(now=now) == before - 1
    assert list(ChildIndexChange.objects.values_list("pk", flat=True)) == [newest.pk]

    # Idle for more than half the kept time: changes it missed may have been pruned, so the
    # next check rebuilds (and sees the child as it is now) rather than trusting the log.
    other.forename, other.surname = "Zed", "Quill"
    other.date_of_birth = alfie.child.date_of_birth.replace(year=alfie.child.date_of_birth.year - 3)
    other.save()
    ChildIndexChange.objects.filter(pk__gt=newest.pk).delete()  # pruned before it looked
    clock = matching_sources.time.monotonic() + 25 * 3600
    monkeypatch.setattr(matching_sources.time, "monotonic", lambda: clock)
    found = source.candidates(child_record(alfie.child))
    assert _register_builds() == built + 1
    assert str(other.pk) not in [c.record_id for c in found]
    assert source.index() is not first


def test_prune_index_changes_command_says_how_many_it_removed(world: World, settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command

    from cme.people.models import ChildIndexChange

    settings.CME_INDEX_CHANGE_LOG_HOURS = 1
    child = world.case_at_b.child
    for _ in range(3):
        child.save()
    ChildIndexChange.objects.update(at=timezone.now() - timedelta(hours=2))
    total = ChildIndexChange.objects.count()
    out = StringIO()
    call_command("prune_index_changes", stdout=out)
    assert out.getvalue().strip() == f"Removed {total - 1} change log entries."
    assert ChildIndexChange.objects.count() == 1


def test_the_register_index_is_mapped_from_its_file_with_the_changes_since(
    alfie, world: World, settings, tmp_path, caplog
):
    """`cme match build-index` writes the file; a process maps it rather than reading every
    child, applies the change log since it was built, and takes up a newer file."""
    from cme.checks.management.commands.match import build_index
    from cme.matching.sources import clear_cache

    path = tmp_path / "register.idx"
    assert build_index(["--out", str(path)]) == 0
    other = world.case_at_b.child
    other.forename, other.surname, other.date_of_birth = "Alfie", "Jones", alfie.child.date_of_birth
    other.save()  # after the file was built: in the change log only

    settings.CME_MATCH_INDEX_FILE = str(path)
    clear_cache()
    built = _register_builds()
    source = RegisterSource()
    found = source.candidates(child_record(alfie.child))
    assert str(other.pk) in [c.record_id for c in found]
    index = source.index()
    assert index.meta["file"] == str(path) and _register_builds() == built

    other.forename = "Zed"
    other.save()  # in place, as without a file
    assert str(other.pk) not in [c.record_id for c in source.candidates(child_record(alfie.child))]
    assert source.index() is index

    assert build_index([]) == 0  # the setting names the file; built again, with the change
    newer = source.index()
    assert newer is not index and newer.meta["file"] == str(path)
    assert _register_builds() == built

    # A file the code refuses is logged and the records are read instead.
    settings.CME_MATCH_INDEX_FILE = str(tmp_path / "missing.idx")
    clear_cache()
    with caplog.at_level("ERROR", logger="cme.matching.sources"):
        assert str(other.pk) not in [
            c.record_id for c in source.candidates(child_record(alfie.child))
        ]
    assert _register_builds() == built + 1
    assert "match index file not used" in caplog.text and "cannot be read" in caplog.text


def test_an_index_file_older_than_the_change_log_reaches_is_not_used(
    alfie, settings, tmp_path, caplog, monkeypatch
):
    from cme.checks.management.commands.match import build_index
    from cme.matching import sources as matching_sources
    from cme.matching.sources import clear_cache

    path = tmp_path / "register.idx"
    assert build_index(["--out", str(path)]) == 0
    settings.CME_MATCH_INDEX_FILE = str(path)
    settings.CME_INDEX_CHANGE_LOG_HOURS = 48
    clear_cache()
    built = _register_builds()
    later = matching_sources.time.time() + 25 * 3600
    monkeypatch.setattr(matching_sources.time, "time", lambda: later)
    with caplog.at_level("ERROR", logger="cme.matching.sources"):
        RegisterSource().index()
    assert _register_builds() == built + 1
    assert "older than half the time the change log is kept" in caplog.text


def test_build_index_says_where_to_write(settings, capsys):
    from cme.checks.management.commands.match import build_index

    settings.CME_MATCH_INDEX_FILE = ""
    with pytest.raises(SystemExit):
        build_index([])
    assert "--out PATH, or set CME_MATCH_INDEX_FILE" in capsys.readouterr().err
