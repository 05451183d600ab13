"""The CME manager's matching models page (/checks/matching-models/): every model with what it
was trained on and what its retrain measured, the one in use, the switches, and the form that
switches; only a CME manager sees or acts, and bad input is refused in plain words with what
was typed kept (docs/matching.md, "Learning from the officers")."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from concurrency import all_at_once, on_postgresql
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.checks.matching_models import (
    active_model,
    forget_active_model,
    in_use,
    matching_model_add,
    matching_model_switch,
)
from cme.checks.models import MatchingModel, MatchingModelSwitch
from cme.matching.model import default_model

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

PAGE = "/checks/matching-models/"
SWITCH = "/checks/matching-models/switch/"
SHIPPED = default_model().version
OTHER_ROLES = [
    "officer",
    "paews",
    "school_a",
    "keyworker",
    "agency",
    "otherla",
    "admin",
]

# As retrain_from_decisions keeps it (cme.matching.retrain): counts and shares, no child.
REPORT = {
    "base": SHIPPED,
    "version": "la-1",
    "likely": default_model().likely,
    "decisions": {"confirmed": 24, "rejected": 12},
    "decisions_base": {
        "precision": 0.9,
        "recall": 0.75,
        "predicted_likely": 20,
        "true_positives": 18,
        "matches": 24,
    },
    "decisions_new": {
        "precision": 0.95,
        "recall": 0.7916666,
        "predicted_likely": 20,
        "true_positives": 19,
        "matches": 24,
    },
    "folds": 5,
    "benchmark_base": {
        "precision": 0.995,
        "recall": 0.88,
        "predicted_likely": 1000,
        "true_positives": 995,
        "matches": 1131,
    },
    "benchmark_new": {
        "precision": None,
        "recall": 0.0,
        "predicted_likely": 0,
        "true_positives": 0,
        "matches": 1131,
    },
    "left_out_missing": 2,
}


def _content(version: str) -> str:
    return default_model().to_json().replace(f'"version": "{SHIPPED}"', f'"version": "{version}"')


def _keep(world: World, version: str, report: dict[str, Any] | None = None) -> MatchingModel:
    return matching_model_add(content=_content(version), by=world.users["manager"], report=report)


def _break(version: str) -> None:
    """The code's levels changed under a kept model (an upgrade)."""
    data = json.loads(_content(version))
    data["comparisons"][0]["comparison_levels"].pop(2)
    MatchingModel.objects.filter(version=version).update(content=json.dumps(data))
    forget_active_model()


@pytest.fixture
def kept(world: World) -> World:
    manager = world.users["manager"]
    manager.first_name, manager.last_name = "Morgan", "Fictional"
    manager.save()
    _keep(world, "la-1", REPORT)
    _keep(world, "from-file")  # given as a file: no report
    return world


def _manager(world: World) -> Client:
    client = Client()
    client.force_login(world.users["manager"])
    return client


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_manager_sees_every_model_with_its_figures_and_the_one_in_use(kept: World) -> None:
    response = _manager(kept).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Every search uses model <strong>{SHIPPED}</strong>" in text
    assert "No one has switched the model" in text
    for version in (SHIPPED, "la-1", "from-file"):
        assert f'data-model="{version}"' in text
    assert "Kept on" in text and "by Morgan Fictional" in text
    # what it was trained on: the shipped model's note from its file
    assert str(default_model().meta["trained_on"]) in text
    # the retrain's figures, old against new, on the decisions and on the benchmark
    assert f"Model {SHIPPED}, with 24 confirmed and 12 rejected decisions" in text
    assert "2 decisions left out" in text
    assert "90.0% (18 of 20)" in text and "95.0% (19 of 20)" in text
    assert "75.0% (18 of 24)" in text and "79.2% (19 of 24)" in text
    assert "The generated benchmark" in text and "99.5% (995 of 1,000)" in text
    assert "Cannot say (none to count)" in text  # no record marked likely: no precision
    assert "5-fold cross-validation" in text
    assert f"{default_model().likely:.4f}" in text
    assert "this model was given as a file" in text
    assert "cme match retrain --by YOUR-USERNAME" in text
    # every usable model is a choice; the form names the version shown in use
    for choice in ("shipped", "la-1", "from-file"):
        assert f'value="{choice}"' in text
    assert f'name="in_use" value="{SHIPPED}"' in text


def test_the_home_page_links_to_it_for_managers_only(kept: World) -> None:
    assert PAGE in _manager(kept).get("/").content.decode()
    for who in OTHER_ROLES:
        client = Client()
        client.force_login(kept.users[who])
        assert PAGE not in client.get("/").content.decode(), who


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_every_other_role_is_refused_the_page_and_the_switch(kept: World, who: str) -> None:
    client = Client()
    client.force_login(kept.users[who])
    page = client.get(PAGE)
    assert page.status_code == 403
    text = page.content.decode()
    assert "You cannot see this page" in text
    for leak in ("la-1", "from-file", "Morgan", "Matching models", "precision"):
        assert leak not in text
    sent = client.post(SWITCH, {"model": "la-1", "reason": "Try it", "in_use": SHIPPED})
    assert sent.status_code == 403
    assert "la-1" not in sent.content.decode()
    assert not MatchingModelSwitch.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.MATCHING_MODEL_SWITCHED).exists()
    assert in_use()[0] == SHIPPED
    # the refusal is on the audit trail, as every refusal is
    assert AuditEvent.objects.filter(actor=kept.users[who], verb=Verb.DENIED).count() == 2


def test_signed_out_visitors_are_sent_to_sign_in(kept: World) -> None:
    for response in (Client().get(PAGE), Client().post(SWITCH, {"model": "la-1"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not MatchingModelSwitch.objects.exists()


def test_a_switch_without_the_csrf_token_is_refused(kept: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(kept.users["manager"])
    response = client.post(SWITCH, {"model": "la-1", "reason": "Try it", "in_use": SHIPPED})
    assert response.status_code == 403
    assert not MatchingModelSwitch.objects.exists()


def test_the_switch_address_only_takes_a_post(kept: World) -> None:
    response = _manager(kept).get(SWITCH)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not MatchingModelSwitch.objects.exists()


def test_a_manager_switches_to_a_kept_model_and_back(kept: World) -> None:
    client = _manager(kept)
    response = client.post(
        SWITCH, {"model": "la-1", "reason": "Recall up on our decisions", "in_use": SHIPPED}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    assert _said(response) == [
        f"Every search now uses model la-1 (it was {SHIPPED}). The switch is on the audit trail."
    ]
    assert active_model().version == "la-1"
    event = AuditEvent.objects.get(verb=Verb.MATCHING_MODEL_SWITCHED)
    assert event.actor == kept.users["manager"]
    assert event.details == {"from": SHIPPED, "to": "la-1", "reason": "Recall up on our decisions"}

    text = client.get(PAGE).content.decode()
    assert "Every search uses model <strong>la-1</strong>" in text
    assert "by Morgan Fictional, who gave the reason: “Recall up on our decisions”" in text
    assert 'name="in_use" value="la-1"' in text
    assert "(in use now)" in text

    back = client.post(SWITCH, {"model": "shipped", "reason": "Back to be safe", "in_use": "la-1"})
    assert _said(back) == [
        f"Every search now uses model {SHIPPED} (it was la-1). The switch is on the audit trail."
    ]
    assert active_model().version == SHIPPED
    text = client.get(PAGE).content.decode()
    history = text.split('data-section="switches"')[1]
    # newest first: from, to, who, reason
    assert history.index("Back to be safe") < history.index("Recall up on our decisions")
    assert "The model that comes with the register" in history and "la-1" in history
    assert list(
        MatchingModelSwitch.objects.order_by("number").values_list("number", flat=True)
    ) == [
        1,
        2,
    ]


def test_no_reason_is_refused_and_the_choice_kept(kept: World) -> None:
    response = _manager(kept).post(SWITCH, {"model": "la-1", "reason": "  ", "in_use": SHIPPED})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Say why you are switching the model" in text
    assert 'value="la-1" checked' in text
    assert not MatchingModelSwitch.objects.exists()


def test_no_model_chosen_is_refused_and_the_reason_kept(kept: World) -> None:
    response = _manager(kept).post(SWITCH, {"reason": "Our decisions", "in_use": SHIPPED})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select the model to use for every search" in text
    assert "Our decisions</textarea>" in text
    assert not MatchingModelSwitch.objects.exists()


def test_an_unknown_version_is_refused_in_words_and_the_reason_kept(kept: World) -> None:
    response = _manager(kept).post(
        SWITCH, {"model": "la-9", "reason": "Typed by hand", "in_use": SHIPPED}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no model called “la-9” now. Select one of the models listed" in text
    assert "Typed by hand</textarea>" in text
    assert not MatchingModelSwitch.objects.exists()


def test_a_kept_model_that_no_longer_fits_the_code_is_shown_as_not_usable(kept: World) -> None:
    _break("from-file")
    text = _manager(kept).get(PAGE).content.decode()
    card = next(
        c for c in text.split('class="govuk-summary-card"') if 'data-model="from-file"' in c
    )
    assert "Cannot be used" in card
    assert "comparison forename should have levels" in card
    assert "Retrain to make a model that fits" in card and "cme match retrain" in card
    assert 'value="from-file"' not in text  # no radio: it cannot be chosen
    assert 'value="la-1"' in text

    sent = _manager(kept).post(
        SWITCH, {"model": "from-file", "reason": "An old tab", "in_use": SHIPPED}
    )
    assert sent.status_code == 400
    body = sent.content.decode()
    assert "It cannot be used with this version of the register" in body
    assert "An old tab</textarea>" in body
    assert not MatchingModelSwitch.objects.exists()


def test_the_page_warns_when_the_model_chosen_no_longer_fits_and_switches_back(
    kept: World,
) -> None:
    manager = kept.users["manager"]
    matching_model_switch(version="la-1", by=manager, reason="Ours")
    _break("la-1")
    client = _manager(kept)
    text = client.get(PAGE).content.decode()
    warning = text.split('data-section="chosen-unusable"')[1].split("</div>")[0]
    assert f"Model la-1 was chosen, but every search uses {SHIPPED} instead" in warning
    assert "Retrain to make a model that fits" in warning
    assert f"Every search uses model <strong>{SHIPPED}</strong>" in text
    assert 'name="in_use" value="la-1"' in text  # what the switch service calls "from"
    response = client.post(
        SWITCH, {"model": "shipped", "reason": "la-1 no longer fits", "in_use": "la-1"}
    )
    assert response.status_code == 302
    assert in_use() == (SHIPPED, None)
    assert MatchingModelSwitch.objects.count() == 2


def test_a_form_sent_twice_switches_once(kept: World) -> None:
    client = _manager(kept)
    form = {"model": "la-1", "reason": "Recall up", "in_use": SHIPPED}
    first = client.post(SWITCH, form)
    again = client.post(SWITCH, form)  # a double click, or Back and Switch again
    assert first.status_code == again.status_code == 302
    said = _said(again)[-1]  # the first one's message is still waiting to be shown
    assert said.startswith("Model la-1 is in use since ")
    assert said.endswith("switched by Morgan Fictional. Nothing was switched twice.")
    assert MatchingModelSwitch.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.MATCHING_MODEL_SWITCHED).count() == 1


def test_a_switch_from_a_page_out_of_date_is_refused_with_what_is_in_use_now(
    kept: World,
) -> None:
    client = _manager(kept)
    matching_model_switch(version="from-file", by=kept.users["manager"], reason="Another tab")
    response = client.post(SWITCH, {"model": "la-1", "reason": "Recall up", "in_use": SHIPPED})
    assert response.status_code == 400
    text = response.content.decode()
    assert "The model in use changed while you were choosing: it is now from-file" in text
    assert "Recall up</textarea>" in text and 'value="la-1" checked' in text
    assert 'name="in_use" value="from-file"' in text  # sent again, it switches
    assert in_use()[0] == "from-file"
    again = client.post(SWITCH, {"model": "la-1", "reason": "Recall up", "in_use": "from-file"})
    assert again.status_code == 302 and in_use()[0] == "la-1"


def test_choosing_the_model_in_use_is_refused(kept: World) -> None:
    response = _manager(kept).post(
        SWITCH, {"model": "shipped", "reason": "Why not", "in_use": SHIPPED}
    )
    assert response.status_code == 400
    assert f"Model {SHIPPED} is already in use. Select another one" in response.content.decode()
    assert not MatchingModelSwitch.objects.exists()


def test_a_page_sent_without_its_hidden_field_is_refused(kept: World) -> None:
    response = _manager(kept).post(SWITCH, {"model": "la-1", "reason": "Recall up"})
    assert response.status_code == 400
    assert "The page was out of date or incomplete" in response.content.decode()
    assert not MatchingModelSwitch.objects.exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_switches_sent_at_once_from_the_same_page_record_one(kept: World) -> None:
    manager = kept.users["manager"]

    def send(_n: int) -> str:
        try:
            matching_model_switch(version="la-1", by=manager, reason="Twice", expected=SHIPPED)
        except Exception as error:  # the one that lost: refused in words, nothing written
            return type(error).__name__
        return "switched"

    results = all_at_once(2, send)
    assert sorted(results) == ["StaleEdit", "switched"]
    assert MatchingModelSwitch.objects.count() == 1
