"""Real headless Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from typing import TypeAlias

    from playwright.sync_api import Browser, BrowserContext, Page

    # What the `policed` fixture hands a test: `with policed(context) as page:`.
    Policed: TypeAlias = Callable[[BrowserContext], AbstractContextManager[Page]]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: run `make browsers` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# Reports the page's Content-Security-Policy violations to the test (the browser also logs
# each to the console, which is watched as well, so pages without JavaScript are covered).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cmeReportViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
_POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


@contextmanager
def _policed(context: BrowserContext) -> Iterator[Page]:
    """A page in `context` that fails the test on any breach of the pages' security policies
    (an inline script or style the Content-Security-Policy refuses, a bad Permissions-Policy)."""
    violations: list[str] = []
    context.expose_binding("cmeReportViolation", lambda _source, text: violations.append(text))
    context.add_init_script(_REPORT_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if any(words in message.text for words in _POLICY_WORDS)
            else None
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    context.close()
    if violations:
        pytest.fail("The page broke its security policy:\n" + "\n".join(dict.fromkeys(violations)))


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def page(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[Page]:
    """Each journey runs twice: the pages must work without JavaScript too."""
    with _policed(chromium.new_context(java_script_enabled=request.param)) as page:
        yield page


@pytest.fixture
def policed() -> Policed:
    """For tests that make their own browser context: `with policed(context) as page:`."""
    return _policed
