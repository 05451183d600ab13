"""The pages under their security policies in a real browser: the policy refuses what it
should, the pages (staff, public, admin) work under it, and no name typed into the register
search ever leaves the page in a URL."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from factories import ChildFactory, OpenCaseFactory, UserFactory

from cme.accounts.models import Role

if TYPE_CHECKING:
    from browser.conftest import Policed
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
NAME = "Quuxleyworth"
UPN = "A12345678901B"


def _signed_in(page: Page, base: str, user) -> None:
    """A session made on the server side, so these tests do not depend on the sign-in pages."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_watch_fails_a_page_that_breaks_its_policy(
    chromium: Browser, policed: Policed, javascript
) -> None:
    """The check every browser test runs under can fail: an inline script and a style
    attribute the policy does not allow are caught, with JavaScript on or off."""
    bad = "<!DOCTYPE html><title>t</title><script>1</script><p style='color:red'>x</p>"

    def serve(route) -> None:
        route.fulfill(
            body=bad,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'none'"},
        )

    context = chromium.new_context(java_script_enabled=javascript)
    with (
        pytest.raises(pytest.fail.Exception, match=r"Content Security Policy"),
        policed(context) as page,
    ):
        page.route("http://policy.test/**", serve)
        page.goto("http://policy.test/")


def test_admin_pages_work_under_the_policy(live_server, page: Page) -> None:
    admin = UserFactory.create(username="sysadmin", role=Role.SYSTEM_ADMIN, is_staff=True)
    admin.is_superuser = True
    admin.save()
    base = live_server.url
    _signed_in(page, base, admin)
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/accounts/organisation/add/",
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]


def test_no_name_typed_into_the_register_search_reaches_a_url_or_log(
    live_server, page: Page, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(55):
        OpenCaseFactory.create(child=ChildFactory.create(surname=NAME))
    OpenCaseFactory.create(child=ChildFactory.create(surname="Otherly", upn=UPN))
    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER)
    base = live_server.url
    sent: list[str] = []  # every address the browser asked for, and every Referer it sent
    page.on("request", lambda r: sent.extend([r.url, r.headers.get("referer", "")]))
    page.on("response", lambda r: sent.append(r.headers.get("location", "")))
    _signed_in(page, base, officer)

    page.goto(f"{base}/register/")
    page.get_by_label("Name or UPN").fill(NAME)
    page.get_by_label("Status").select_option(label="All cases")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("55 cases").wait_for()
    assert page.get_by_label("Name or UPN").input_value() == NAME  # kept as typed
    page.get_by_role("link", name="Next page").click()
    page.get_by_text("Page 2 of 2").wait_for()
    assert page.get_by_label("Name or UPN").input_value() == NAME
    searched = page.url
    page.go_back()
    page.get_by_text("Page 1 of 2").wait_for()

    page.get_by_label("Name or UPN").fill(UPN)
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("1 case", exact=True).wait_for()

    # Signed out, the search's address goes to sign-in, with a `next=` that names nobody.
    page.context.clear_cookies()
    page.goto(searched)
    page.get_by_label("Username").wait_for()
    assert "next=" in page.url

    assert len(sent) > 10
    for url in sent:
        assert NAME.lower() not in url.lower() and UPN.lower() not in url.lower(), url
    for record in caplog.records:
        line = record.getMessage()
        assert NAME.lower() not in line.lower() and UPN.lower() not in line.lower(), line
