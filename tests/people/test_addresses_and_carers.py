"""Addresses and carers kept up to date: dated addresses (a move makes the old one previous, a
future one waits), a "do not share" address kept to the CME team, carers added, changed and
ended; every change audited with before and after, stale forms refused, bad input named in
words and nothing half-written, and each role reaching exactly what record_access allows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.core.errors import NotAllowed, StaleEdit
from cme.people.models import Address, Carer, Child, RecordChange
from cme.people.services import (
    AddressDetails,
    CarerDetails,
    address_add,
    address_correct,
    address_end,
    carer_add,
    carer_correct,
    carer_end,
)

if TYPE_CHECKING:
    from conftest import World


def _today() -> date:
    return timezone.localdate()


def _home(child: Child, **fields: object) -> Address:
    values: dict[str, object] = {
        "line_1": "1 Old Road",
        "town": "Liverpool",
        "postcode": "L1 1AA",
        "lived_from": _today() - timedelta(days=300),
    }
    values.update(fields)
    return Address.objects.create(child=child, **values)


def _fresh(child: Child) -> Child:
    return Child.objects.get(pk=child.pk)


# --- addresses: the service --------------------------------------------------------------


def test_moving_in_a_new_current_address_makes_the_old_one_previous(world: World) -> None:
    child = world.case_at_a.child
    old = _home(child)
    moved = _today() - timedelta(days=3)
    change = address_add(
        child=child,
        details=AddressDetails(
            line_1="2 New Street", postcode="l8 7ab", lived_from=moved, lives_with="Jo"
        ),
        by=world.users["officer"],
        expected_version=child.version,
    )
    old.refresh_from_db()
    assert old.lived_until == moved - timedelta(days=1)
    assert old.period(_today()) == "previous"
    new = Address.objects.get(child=child, line_1="2 New Street")
    assert new.postcode == "L8 7AB" and new.period(_today()) == "current"
    assert change.after["line_1"] == "2 New Street" and change.before == {}
    ended = RecordChange.objects.get(subject_type="address", subject_id=old.pk)
    assert ended.before == {"lived_until": None}
    assert ended.after == {"lived_until": (moved - timedelta(days=1)).isoformat()}
    assert _fresh(child).version == 3  # the added address and the ended one
    events = AuditEvent.objects.filter(child_id=child.pk, verb__in=[Verb.CREATE, Verb.UPDATE])
    assert {e.details["action"] for e in events} == {"added", "ended"}
    assert all("New Street" not in str(e.details) for e in events)


def test_a_future_address_keeps_the_current_one_until_the_day_before(world: World) -> None:
    child = world.case_at_a.child
    old = _home(child)
    moving = _today() + timedelta(days=14)
    address_add(
        child=child,
        details=AddressDetails(line_1="3 Future Lane", lived_from=moving, lives_with="Mother"),
        by=world.users["officer"],
        expected_version=None,
    )
    old.refresh_from_db()
    assert old.period(_today()) == "current"
    assert old.lived_until == moving - timedelta(days=1)
    future = Address.objects.get(line_1="3 Future Lane")
    assert future.period(_today()) == "future" and future.lives_with == "Mother"
    assert future.period(moving) == "current" and old.period(moving) == "previous"


def test_recording_a_previous_address_ends_nothing(world: World) -> None:
    child = world.case_at_a.child
    now = _home(child)
    address_add(
        child=child,
        details=AddressDetails(
            line_1="9 Long Ago",
            lived_from=_today() - timedelta(days=900),
            lived_until=_today() - timedelta(days=301),
        ),
        by=world.users["officer"],
        expected_version=None,
    )
    now.refresh_from_db()
    assert now.lived_until is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"line_1": ""}, "line_1", "Enter the first line of the address"),
        ({"postcode": "NOT A CODE"}, "postcode", "Enter a real postcode, like L1 1JQ"),
        ({"line_1": "x" * 201}, "line_1", "Address line 1 must be 200 characters or fewer"),
        (
            {"lived_from": date(2025, 5, 1), "lived_until": date(2025, 4, 1)},
            "lived_until",
            "must be the same as or after the date they moved in (1 May 2025)",
        ),
    ],
)
def test_a_bad_address_is_refused_by_field_and_nothing_is_written(
    world: World, fields: dict[str, object], field: str, words: str
) -> None:
    child = world.case_at_a.child
    old = _home(child)
    details = AddressDetails(**{"line_1": "2 New Street", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as refused:
        address_add(child=child, details=details, by=world.users["officer"], expected_version=1)
    assert words in " ".join(refused.value.message_dict[field])
    assert Address.objects.filter(child=child).count() == 1
    old.refresh_from_db()
    assert old.lived_until is None
    assert _fresh(child).version == 1 and not RecordChange.objects.exists()


def test_ending_an_address_refuses_a_date_to_come_or_before_the_move_in(world: World) -> None:
    child = world.case_at_a.child
    moved_in = _today() - timedelta(days=300)
    home = _home(child, lived_from=moved_in)
    cases: tuple[tuple[date | None, str], ...] = (
        (_today() + timedelta(days=1), "must be today or in the past"),
        (moved_in - timedelta(days=1), "the date they moved in"),
        (None, "Enter the last date the child lived at this address"),
    )
    for when, words in cases:
        with pytest.raises(ValidationError) as refused:
            address_end(
                child=child,
                address_id=home.pk,
                ended_on=when,
                by=world.users["officer"],
                expected_version=None,
            )
        assert words in " ".join(refused.value.message_dict["ended_on"])
    address_end(
        child=child,
        address_id=home.pk,
        ended_on=_today(),
        by=world.users["officer"],
        expected_version=None,
    )
    home.refresh_from_db()
    assert home.lived_until == _today()
    with pytest.raises(ValidationError):  # ended already
        address_end(
            child=child,
            address_id=home.pk,
            ended_on=_today(),
            by=world.users["officer"],
            expected_version=None,
        )


def test_correcting_an_address_keeps_before_and_after_and_its_do_not_share_flag(
    world: World,
) -> None:
    child = world.case_at_a.child
    home = _home(child, do_not_share=True)
    change = address_correct(
        child=child,
        address_id=home.pk,
        details=AddressDetails.of(home, postcode="L1 1AB"),
        by=world.users["officer"],
        expected_version=child.version,
    )
    assert change is not None
    assert change.before == {"postcode": "L1 1AA"} and change.after == {"postcode": "L1 1AB"}
    home.refresh_from_db()
    assert home.do_not_share is True and home.postcode == "L1 1AB"
    assert (
        address_correct(
            child=child,
            address_id=home.pk,
            details=AddressDetails.of(home),
            by=world.users["officer"],
            expected_version=None,
        )
        is None
    )


def test_a_do_not_share_address_is_the_cme_teams_even_for_paews(world: World) -> None:
    child = world.case_at_a.child
    refuge = _home(child, do_not_share=True)
    with pytest.raises(NotAllowed):
        address_correct(
            child=child,
            address_id=refuge.pk,
            details=AddressDetails.of(refuge, line_1="Guessed"),
            by=world.users["paews"],
            expected_version=None,
        )
    refuge.refresh_from_db()
    assert refuge.line_1 == "1 Old Road"


def test_a_stale_address_edit_is_refused(world: World) -> None:
    child = world.case_at_a.child
    home = _home(child)
    address_correct(
        child=child,
        address_id=home.pk,
        details=AddressDetails.of(home, town="Bootle"),
        by=world.users["manager"],
        expected_version=1,
    )
    with pytest.raises(StaleEdit) as refused:
        address_correct(
            child=child,
            address_id=home.pk,
            details=AddressDetails.of(home, town="Wirral"),
            by=world.users["officer"],
            expected_version=1,
        )
    assert "changed the addresses (town or city)" in refused.value.messages[0]
    home.refresh_from_db()
    assert home.town == "Bootle"


@pytest.mark.parametrize("who", ["keyworker", "school_a", "agency", "otherla", "admin"])
def test_only_those_record_access_lets_write_addresses_and_carers(world: World, who: str) -> None:
    child = world.case_at_a.child
    with pytest.raises(NotAllowed):
        address_add(
            child=child,
            details=AddressDetails(line_1="Intruder"),
            by=world.users[who],
            expected_version=None,
        )
    with pytest.raises(NotAllowed):
        carer_add(
            child=child,
            details=CarerDetails(name="Intruder"),
            by=world.users[who],
            expected_version=None,
        )
    assert not Address.objects.filter(line_1="Intruder").exists()
    assert not Carer.objects.filter(name="Intruder").exists()


# --- carers: the service -----------------------------------------------------------------


def test_a_carer_is_added_changed_and_ended_with_before_and_after(world: World) -> None:
    child = world.case_at_a.child
    paews = world.users["paews"]  # PAEWS finds a new partner at home on a visit
    added = carer_add(
        child=child,
        details=CarerDetails(
            name=" Sam Carer ",
            relationship="Stepfather",
            parental_responsibility=False,
            lives_with_child=True,
            phone="0151  496 0000",
            emergency_phone="+44 7700 900123",
        ),
        by=paews,
        expected_version=child.version,
    )
    carer = Carer.objects.get(child=child)
    assert (carer.name, carer.phone) == ("Sam Carer", "0151 496 0000")
    assert added.after["emergency_phone"] == "+44 7700 900123" and added.part == "carers"
    changed = carer_correct(
        child=child,
        carer_id=carer.pk,
        details=CarerDetails.of(carer, parental_responsibility=True),
        by=paews,
        expected_version=_fresh(child).version,
    )
    assert changed is not None
    assert changed.before == {"parental_responsibility": False}
    assert changed.after == {"parental_responsibility": True}
    carer_end(
        child=child,
        carer_id=carer.pk,
        ended_on=_today(),
        by=paews,
        expected_version=_fresh(child).version,
    )
    carer.refresh_from_db()
    assert carer.ended_on == _today()
    assert _fresh(child).version == 4
    assert list(RecordChange.objects.order_by("version").values_list("action", flat=True)) == [
        "added",
        "changed",
        "ended",
    ]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Enter the parent's or carer's name"),
        ({"phone": "call me"}, "phone", "Enter the telephone number in the right format"),
        ({"emergency_phone": "0151"}, "emergency_phone", "emergency telephone number"),
        ({"email": "not-an-email"}, "email", "like name@example.com"),
        ({"relationship": "x" * 61}, "relationship", "60 characters or fewer"),
    ],
)
def test_a_bad_carer_is_refused_by_field(
    world: World, fields: dict[str, object], field: str, words: str
) -> None:
    child = world.case_at_a.child
    with pytest.raises(ValidationError) as refused:
        carer_add(
            child=child,
            details=CarerDetails(**{"name": "Jo", **fields}),  # type: ignore[arg-type]
            by=world.users["officer"],
            expected_version=None,
        )
    assert words in " ".join(refused.value.message_dict[field])
    assert not Carer.objects.exists() and _fresh(child).version == 1


def test_ending_a_carer_refuses_a_date_to_come(world: World) -> None:
    child = world.case_at_a.child
    carer = Carer.objects.create(child=child, name="Jo")
    with pytest.raises(ValidationError) as refused:
        carer_end(
            child=child,
            carer_id=carer.pk,
            ended_on=_today() + timedelta(days=2),
            by=world.users["officer"],
            expected_version=None,
        )
    assert "must be today or in the past" in refused.value.message_dict["ended_on"][0]


def test_paews_cannot_change_a_carer_address_withheld_from_them(world: World) -> None:
    child = world.case_at_a.child
    _home(child, do_not_share=True)
    carer = Carer.objects.create(child=child, name="Jo", address="Refuge Road")
    with pytest.raises(ValidationError) as refused:
        carer_correct(
            child=child,
            carer_id=carer.pk,
            details=CarerDetails.of(carer, address="Somewhere"),
            by=world.users["paews"],
            expected_version=None,
        )
    assert "Only the CME team" in refused.value.message_dict["address"][0]
    # Left out (None), the address stays as it is while the rest changes.
    carer_correct(
        child=child,
        carer_id=carer.pk,
        details=CarerDetails.of(carer, address=None, phone="0151 496 0001"),
        by=world.users["paews"],
        expected_version=None,
    )
    carer.refresh_from_db()
    assert (carer.address, carer.phone) == ("Refuge Road", "0151 496 0001")


# --- the pages ---------------------------------------------------------------------------


def _date(prefix: str, when: date | None) -> dict[str, str]:
    if when is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {
        f"{prefix}_0": str(when.day),
        f"{prefix}_1": str(when.month),
        f"{prefix}_2": str(when.year),
    }


def _address_post(child: Child, **fields: str) -> dict[str, str]:
    return {
        "version": str(_fresh(child).version),
        "line_1": "2 New Street",
        "line_2": "",
        "town": "Liverpool",
        "postcode": "L8 7AB",
        **_date("lived_from", _today()),
        **_date("lived_until", None),
        "lives_with": "",
        "do_not_share": "no",
        **fields,
    }


def _carer_post(child: Child, **fields: str) -> dict[str, str]:
    return {
        "version": str(_fresh(child).version),
        "name": "Sam Carer",
        "relationship": "Stepfather",
        "lives_with_child": "yes",
        "parental_responsibility": "no",
        "phone": "0151 496 0000",
        "emergency_phone": "07700 900123",
        "email": "",
        "address": "",
        **fields,
    }


def test_the_page_adds_an_address_and_the_child_page_shows_both_with_their_periods(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    _home(child)
    client.force_login(world.users["officer"])
    detail = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert reverse("people:address-add", args=[child.pk]) in detail
    response = client.post(reverse("people:address-add", args=[child.pk]), _address_post(child))
    assert response.status_code == 302
    shown = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Address added" in shown
    assert "2 New Street" in shown and "1 Old Road" in shown
    assert ">Previous</strong> 1 Old Road" in shown and ">Current</strong> 2 New Street" in shown


def test_bad_address_input_is_in_the_summary_and_beside_the_field_and_kept(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("people:address-add", args=[child.pk]),
        _address_post(
            child,
            line_1="",
            postcode="XYZ",
            town="Typed Town",
            **_date("lived_until", _today() - timedelta(days=10)),
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert text.count("Enter the first line of the address, like 1 Example Street") == 2
    assert "Enter a real postcode, like L1 1JQ" in text
    assert 'value="Typed Town"' in text
    assert "This field is required" not in text
    assert not Address.objects.filter(child=child).exists()


def test_end_before_start_is_refused_on_the_page(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("people:address-add", args=[child.pk]),
        _address_post(
            child,
            **_date("lived_from", _today() - timedelta(days=5)),
            **_date("lived_until", _today() - timedelta(days=10)),
        ),
    )
    assert response.status_code == 400
    assert "must be the same as or after the date they moved in" in response.content.decode()


def test_a_stale_address_form_shows_the_latest_values_and_the_change(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    home = _home(child)
    opened = _fresh(child).version
    address_correct(
        child=child,
        address_id=home.pk,
        details=AddressDetails.of(home, town="Bootle"),
        by=world.users["manager"],
        expected_version=opened,
    )
    client.force_login(world.users["officer"])
    url = reverse("people:address-correct", args=[child.pk, home.pk])
    data = _address_post(child, version=str(opened), line_1="1 Old Road", town="Wirral")
    response = client.post(url, data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this record" in text
    assert 'value="Bootle"' in text
    assert "Town or city" in text and "Liverpool" in text  # was / now
    home.refresh_from_db()
    assert home.town == "Bootle"


def test_a_stale_table_never_shows_a_withheld_address_to_paews(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    refuge = _home(child, do_not_share=True, line_1="5 Secret Refuge")
    carer = Carer.objects.create(child=child, name="Jo")
    opened = _fresh(child).version
    address_correct(
        child=child,
        address_id=refuge.pk,
        details=AddressDetails.of(refuge, town="Hidden Town"),
        by=world.users["officer"],
        expected_version=opened,
    )
    client.force_login(world.users["paews"])
    response = client.post(
        reverse("people:carer-correct", args=[child.pk, carer.pk]),
        _carer_post(child, version=str(opened), name="Jo"),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Hidden Town" not in text and "Secret Refuge" not in text
    assert "Withheld" in text


def test_the_page_adds_changes_and_ends_a_carer(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["paews"])
    response = client.post(reverse("people:carer-add", args=[child.pk]), _carer_post(child))
    assert response.status_code == 302
    carer = Carer.objects.get(child=child)
    assert carer.emergency_phone == "07700 900123" and not carer.parental_responsibility
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Sam Carer (Stepfather)" in page and "in an emergency 07700 900123" in page
    assert reverse("people:carer-end", args=[child.pk, carer.pk]) in page
    edit = client.get(reverse("people:carer-correct", args=[child.pk, carer.pk]))
    assert 'value="Sam Carer"' in edit.content.decode()
    client.post(
        reverse("people:carer-correct", args=[child.pk, carer.pk]),
        _carer_post(child, parental_responsibility="yes"),
    )
    carer.refresh_from_db()
    assert carer.parental_responsibility
    response = client.post(
        reverse("people:carer-end", args=[child.pk, carer.pk]),
        {"version": str(_fresh(child).version), **_date("ended_on", _today())},
    )
    assert response.status_code == 302
    carer.refresh_from_db()
    assert carer.ended_on == _today()
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "No longer caring for the child since" in page


def test_bad_carer_input_is_named_beside_the_field(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("people:carer-add", args=[child.pk]),
        _carer_post(child, name="", phone="ring the school", lives_with_child=""),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count("Enter the parent&#x27;s or carer&#x27;s name") == 2
    assert "Enter the telephone number in the right format" in text
    assert "Answer yes or no: does the child live with them?" in text
    assert 'value="ring the school"' in text
    assert not Carer.objects.exists()


def test_paews_gets_no_address_box_for_a_carer_while_an_address_is_withheld(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    _home(child, do_not_share=True)
    carer = Carer.objects.create(child=child, name="Jo", address="Refuge Road")
    url = reverse("people:carer-correct", args=[child.pk, carer.pk])
    client.force_login(world.users["paews"])
    text = client.get(url).content.decode()
    assert 'name="address"' not in text and "Refuge Road" not in text
    client.force_login(world.users["officer"])
    assert 'name="address"' in client.get(url).content.decode()


# Who may reach each page: the CME team writes both parts; PAEWS (named on the case) writes
# addresses and carers; a key worker and the school read or do not read them but never write
# (403); anyone who cannot see the child gets 404, as if there were none.
WRITERS = {"officer": 200, "manager": 200, "paews": 200}
READERS_ONLY = {"keyworker": 403, "school_a": 403}
OUTSIDE = {"school_b": 404, "agency": 404, "otherla": 404, "admin": 404, "paews_other": 404}


@pytest.mark.parametrize("who", [*WRITERS, *READERS_ONLY, *OUTSIDE])
def test_who_reaches_the_address_and_carer_pages(client: Client, world: World, who: str) -> None:
    child = world.case_at_a.child
    home = _home(child)
    carer = Carer.objects.create(child=child, name="Jo")
    expected = {**WRITERS, **READERS_ONLY, **OUTSIDE}[who]
    client.force_login(world.users[who])
    pages = [
        (reverse("people:address-add", args=[child.pk]), _address_post(child)),
        (
            reverse("people:address-correct", args=[child.pk, home.pk]),
            _address_post(child, line_1="1 Changed Road"),
        ),
        (
            reverse("people:address-end", args=[child.pk, home.pk]),
            {"version": "0", **_date("ended_on", _today())},
        ),
        (reverse("people:carer-add", args=[child.pk]), _carer_post(child)),
        (
            reverse("people:carer-correct", args=[child.pk, carer.pk]),
            _carer_post(child, name="Jo Changed"),
        ),
        (
            reverse("people:carer-end", args=[child.pk, carer.pk]),
            {"version": "0", **_date("ended_on", _today())},
        ),
    ]
    for url, data in pages:
        assert client.get(url).status_code == expected, url
        data = {**data, "version": str(_fresh(child).version)}
        assert client.post(url, data).status_code == (302 if expected == 200 else expected), url
    written = Address.objects.filter(child=child).count() == 2
    assert written == (expected == 200)
    assert Carer.objects.filter(child=child).count() == (2 if expected == 200 else 1)
    home.refresh_from_db()
    carer.refresh_from_db()
    assert (home.lived_until is not None) == (expected == 200)
    assert (carer.ended_on is not None) == (expected == 200)
    if expected != 404:
        page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
        assert (reverse("people:address-add", args=[child.pk]) in page) == (expected == 200)
        assert (reverse("people:carer-add", args=[child.pk]) in page) == (expected == 200)


def test_a_withheld_address_has_no_page_for_paews(client: Client, world: World) -> None:
    child = world.case_at_a.child
    refuge = _home(child, do_not_share=True)
    client.force_login(world.users["paews"])
    for name in ("people:address-correct", "people:address-end"):
        assert client.get(reverse(name, args=[child.pk, refuge.pk])).status_code == 404
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert reverse("people:address-correct", args=[child.pk, refuge.pk]) not in page
    client.force_login(world.users["officer"])
    assert (
        client.get(reverse("people:address-correct", args=[child.pk, refuge.pk])).status_code == 200
    )


def test_another_childs_address_is_a_404(client: Client, world: World) -> None:
    child = world.case_at_a.child
    elsewhere = _home(world.case_at_b.child)
    client.force_login(world.users["officer"])
    url = reverse("people:address-correct", args=[child.pk, elsewhere.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _address_post(child)).status_code == 404
