"""One referral per form: the CME2 form carries a one-time key and redirects to a confirmation
page of its own, so a reload, a double click or Back-and-send records nothing twice."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.referrals.models import Referral
from cme.referrals.public_views import JOURNEY
from cme.referrals.services import recording, referral_record

if TYPE_CHECKING:
    from conftest import World

KEY = re.compile(r'<input type="hidden" name="submission_key" value="([^"]+)"')


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


def _form(client: Client) -> dict[str, str]:
    """The CME2 form as the page gives it, filled in: its one-time key included."""
    page = client.get(reverse("referrals:new")).content.decode()
    found = KEY.search(page)
    assert found, "the form carries its one-time key"
    today = timezone.localdate()
    return {
        "submission_key": found.group(1),
        "route": "phone",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "reason": "whereabouts_unknown",
        "forename": "Maisie",
        "surname": "Fictional",
        "sex": "F",
        "postcode": "L1 1JQ",
        "referrer_name": "A Neighbour",
    }


def _made(world: World) -> Any:
    return Referral.objects.filter(recorded_by=world.users["officer"])


def test_sending_redirects_to_a_confirmation_that_can_be_reloaded(world: World) -> None:
    client = _officer(world)
    sent = client.post(reverse("referrals:new"), _form(client))
    referral = _made(world).get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("referrals:sent", args=[referral.pk])
    for _ in range(2):  # shown, then reloaded
        page = client.get(sent["Location"])
        assert page.status_code == 200
        assert referral.reference in page.content.decode()
    assert _made(world).count() == 1


def test_the_same_form_sent_again_makes_no_second_referral(world: World) -> None:
    client = _officer(world)
    form = _form(client)
    first = client.post(reverse("referrals:new"), form)
    # A second click, or Back and send again, even with a detail changed on the way.
    again = client.post(reverse("referrals:new"), {**form, "surname": "Fictionall"}, follow=True)
    referral = _made(world).get()
    assert again.redirect_chain[-1][0] == first["Location"]
    assert f"You had already sent this form: it made referral {referral.reference}" in (
        again.content.decode()
    )
    assert referral.described["surname"] == "Fictional"
    assert AuditEvent.objects.filter(verb=Verb.CREATE, subject_type="referral").count() == 1


def test_a_new_form_is_a_new_referral(world: World) -> None:
    client = _officer(world)
    client.post(reverse("referrals:new"), _form(client))
    client.post(reverse("referrals:new"), {**_form(client), "forename": "Ava"})
    assert _made(world).count() == 2


def test_the_confirmation_is_only_for_the_session_that_sent_it(world: World) -> None:
    client = _officer(world)
    url = client.post(reverse("referrals:new"), _form(client))["Location"]
    referral = _made(world).get()
    manager = Client()
    manager.force_login(world.users["manager"])
    # The same officer signed in elsewhere, and the CME manager, may read the referral, but
    # its confirmation belongs to the session that sent it.
    for other in (_officer(world), manager):
        assert other.get(url).status_code == 404
        assert other.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert client.get(url).status_code == 200


def test_a_form_without_its_key_is_refused_kept_and_given_a_fresh_key(world: World) -> None:
    client = _officer(world)
    form = _form(client)
    for sent_key in ("", "not a key!"):
        refused = client.post(reverse("referrals:new"), {**form, "submission_key": sent_key})
        page = refused.content.decode()
        assert refused.status_code == 400
        assert "The page was out of date. Check the details and send the referral again" in page
        assert 'value="Maisie"' in page
        fresh = KEY.search(page)
        assert fresh and fresh.group(1) not in ("", sent_key)
    assert not _made(world).exists()
    assert fresh is not None
    again = client.post(reverse("referrals:new"), {**form, "submission_key": fresh.group(1)})
    assert again.status_code == 302 and _made(world).count() == 1


def test_a_refused_form_keeps_its_key_so_the_corrected_one_is_sent_once(world: World) -> None:
    client = _officer(world)
    form = _form(client)
    refused = client.post(reverse("referrals:new"), {**form, "postcode": "NOTAPC"})
    assert refused.status_code == 400
    assert f'value="{form["submission_key"]}"' in refused.content.decode()
    client.post(reverse("referrals:new"), form)
    client.post(reverse("referrals:new"), form)
    assert _made(world).count() == 1


def _record(by: Any, key: str) -> Referral:
    return referral_record(
        by=by,
        route="phone",
        reason="whereabouts_unknown",
        received_on=timezone.localdate(),
        described={"forename": "Maisie", "surname": "Fictional"},
        submission_key=key,
    )


def test_two_sends_at_once_record_one_referral(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique key decides a race the first look missed: the loser returns the winner's."""
    officer = world.users["officer"]
    first = _record(officer, "k" * 32)
    real = recording.referral_sent_with
    calls = {"n": 0}

    def first_look_misses(**kwargs: Any) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(**kwargs)

    monkeypatch.setattr(recording, "referral_sent_with", first_look_misses)
    second = _record(officer, "k" * 32)
    assert second.pk == first.pk and calls["n"] == 2
    assert Referral.objects.filter(submission_key="k" * 32).count() == 1


def test_another_persons_key_is_refused_in_words(world: World) -> None:
    _record(world.users["officer"], "m" * 32)
    with pytest.raises(ValidationError, match="The page was out of date"):
        _record(world.users["manager"], "m" * 32)
    assert Referral.objects.filter(submission_key="m" * 32).count() == 1


def test_the_public_form_sent_twice_at_once_records_once(settings: Any, db: None) -> None:
    from test_public_referral import CHECK, SENT, walk

    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 0
    client = Client()
    walk(client)
    assert client.get(CHECK).status_code == 200
    journey = client.session[JOURNEY]
    assert client.post(CHECK)["Location"] == SENT
    # The second click's request read the session before the first one's cleared it.
    session = client.session
    session[JOURNEY] = journey
    session.save()
    assert client.post(CHECK)["Location"] == SENT
    assert Referral.objects.count() == 1
