"""Done when (issue 15, item 4): a CME manager opens the matching models page from their home
page, sees a kept model's figures, switches every search to it, and switches back to the
model that comes with the register; a reason left out is asked for with the choice kept; an
officer is refused the page. Headless Chromium, with and without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from browser_steps import sign_in
from factories import UserFactory

from cme.accounts.models import Role
from cme.audit.models import AuditEvent, Verb
from cme.checks.matching_models import active_model, forget_active_model, matching_model_add
from cme.checks.models import MatchingModelSwitch
from cme.matching.model import default_model

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHIPPED = default_model().version


@pytest.fixture
def kept(transactional_db: None) -> Iterator[None]:
    """A model kept by a retrain (the demo keeps none: `cme match retrain` makes one)."""
    forget_active_model()
    manager = UserFactory.create(username="manager", role=Role.CME_MANAGER)
    UserFactory.create(username="officer", role=Role.CME_OFFICER)
    content = default_model().to_json().replace(f'"version": "{SHIPPED}"', '"version": "la-1"')
    report = {
        "base": SHIPPED,
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
            "recall": 0.79,
            "predicted_likely": 20,
            "true_positives": 19,
            "matches": 24,
        },
        "folds": 5,
    }
    matching_model_add(content=content, by=manager, report=report)
    yield
    forget_active_model()


def test_a_manager_switches_to_a_kept_model_and_back(live_server, page: Page, kept: None) -> None:
    base = live_server.url
    sign_in(page, base, "manager")
    page.get_by_role("link", name="Matching models").click()
    assert page.get_by_role("heading", name="Matching models", level=1).is_visible()
    card = page.locator('[data-model="la-1"]').inner_text()
    assert "95.0% (19 of 20)" in card and "Retrained from" in card

    # No reason: asked for, with the model chosen still chosen.
    page.get_by_label("la-1, kept on").check()
    page.get_by_role("button", name="Switch model").click()
    assert (
        "Say why you are switching the model" in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("la-1, kept on").is_checked()
    assert not MatchingModelSwitch.objects.exists()

    page.get_by_label("Reason for the switch").fill("Recall up on our own decisions")
    page.get_by_role("button", name="Switch model").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"Every search now uses model la-1 (it was {SHIPPED})" in banner
    assert "Every search uses model la-1" in page.locator('[data-section="in-use"]').inner_text()
    forget_active_model()  # the live server switched in its own thread
    assert active_model().version == "la-1"

    page.get_by_label(f"{SHIPPED}, the model that comes with the register").check()
    page.get_by_label("Reason for the switch").fill("Back while we check the twins")
    page.get_by_role("button", name="Switch model").click()
    assert (
        f"Every search now uses model {SHIPPED} (it was la-1)"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    history = page.locator('[data-section="switches"]').inner_text()
    assert history.index("Back while we check the twins") < history.index("Recall up")
    events = AuditEvent.objects.filter(verb=Verb.MATCHING_MODEL_SWITCHED).order_by("pk")
    assert [e.details["to"] for e in events] == ["la-1", SHIPPED]

    page.context.clear_cookies()
    sign_in(page, base, "officer")
    assert page.get_by_role("link", name="Matching models").count() == 0
    page.goto(f"{base}/checks/matching-models/")
    assert "You cannot see this page" in page.locator("main").inner_text()
    assert "la-1" not in page.content()
