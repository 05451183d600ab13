"""Logs: JSON lines, a request id on every line and in the response, no personal data."""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from log_capture import captured_log, personal_data_held

from cme.core.jsonlog import JsonFormatter
from cme.core.request_id import RequestIdMiddleware, current_request_id
from cme.referrals.services import new_submission_key

if TYPE_CHECKING:
    from conftest import World

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _record(name: str, message: str, *args: object, **attrs: object) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.ERROR, __file__, 1, message, args or None, None)
    for key, value in attrs.items():
        setattr(record, key, value)
    return record


def test_each_response_carries_a_new_request_id(db) -> None:
    first, second = Client().get("/healthz"), Client().get("/healthz")
    assert HEX_ID.fullmatch(first["X-Request-ID"]) and HEX_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept(db) -> None:
    incoming = "9f1c7a52-4b1e-4c0a-8f3e-2d5b6a7c8e90"
    response = Client().get("/healthz", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", ["Alfie Fictional", "AlfieFictionalL81AB", "<script>", "abc", "a" * 65, ""]
)
def test_a_request_id_that_could_carry_words_is_replaced(db, incoming) -> None:
    response = Client().get("/healthz", headers={"X-Request-ID": incoming})
    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_every_line_written_during_a_request_carries_its_id() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        logging.getLogger("cme.somewhere").warning("inside the request")
        return HttpResponse("ok")

    middleware = RequestIdMiddleware(view)
    request = RequestFactory().get("/register/?q=Alfie")
    request.resolver_match = None
    with captured_log() as log:
        response = middleware(request)
    lines = [json.loads(line) for line in log.lines]
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert [line["logger"] for line in lines] == ["cme.somewhere", "cme.request"]
    assert lines[1]["path"] == "/register/" and lines[1]["status"] == 200
    assert "Alfie" not in "\n".join(log.lines)
    assert current_request_id() is None  # nothing leaks into the next request on this thread


def test_an_error_is_logged_as_its_type_and_place_not_its_message() -> None:
    try:
        raise ValueError('duplicate key (surname)=(Fictional) DETAIL: "Alfie" 2015-02-14')
    except ValueError:
        record = _record("django.request", "Internal Server Error: %s", "/register/cases/3/")
        record.exc_info = __import__("sys").exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["exception"] == "ValueError"
    assert line["message"] == "Internal Server Error: /register/cases/3/"
    assert any("test_logging.py" in frame for frame in line["stack"])
    assert "Fictional" not in json.dumps(line) and "2015" not in json.dumps(line)


def test_query_strings_request_objects_and_text_extras_stay_out() -> None:
    request = RequestFactory().post("/refer/?q=Alfie", {"forename": "Alfie"})
    record = _record(
        "django.server",
        '"%s" %s %s',
        "GET /register/?q=Alfie+Fictional HTTP/1.1",
        200,
        512,
        request=request,
        status_code=200,
        child_name="Alfie",
        path="/register/?q=Alfie",
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == '"GET /register/ HTTP/1.1" 200 512'
    assert line["status_code"] == 200 and line["path"] == "/register/"
    assert "Alfie" not in json.dumps(line) and "request" not in line


def test_one_time_link_tokens_stay_out_of_the_logs() -> None:
    token = "Zx9-secret_TOKEN"
    for path in (f"/enquiry-reply/{token}/", f"/sign-in/set-up/{token}/"):
        record = _record("cme.request", "request", path=path)
        line = json.loads(JsonFormatter().format(record))
        assert token not in json.dumps(line) and line["path"].endswith("/(token)/")
        served = _record("django.server", '"%s" %s %s', f"GET {path} HTTP/1.1", 200, 9)
        assert token not in JsonFormatter().format(served)
    access = logging.makeLogRecord(
        {"name": "gunicorn.access", "msg": "", "args": {"m": "GET", "U": path, "s": "200"}}
    )
    assert token not in JsonFormatter().format(access)


def test_a_journey_through_the_test_client_logs_no_personal_data(world: World) -> None:
    """The cheap twin of the browser journey's check, with SQL capture switched on as well:
    at DEBUG Django would log each statement with its parameters."""
    client = Client()
    client.force_login(world.users["officer"])
    today = timezone.localdate()
    referral = {
        "route": "phone",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "reason": "whereabouts_unknown",
        "forename": "Zebedee",
        "surname": "Nonesuch",
        "date_of_birth_0": "3",
        "date_of_birth_1": "7",
        "date_of_birth_2": "2015",
        "sex": "M",
        "upn": "X341200115001",
        "address_line_1": "99 Pretend Road",
        "postcode": "L8 2CD",
        "submission_key": new_submission_key(),
    }
    case = world.case_at_a
    with captured_log() as log, CaptureQueriesContext(connection) as queries:
        sent = client.post(reverse("referrals:new"), referral, follow=True)
        assert sent.status_code == 200 and sent.redirect_chain
        again = {**referral, "postcode": "NOTAPC", "submission_key": new_submission_key()}
        bad = client.post(reverse("referrals:new"), again)
        assert bad.status_code == 400
        child = case.child
        search = f"{reverse('cases:register')}?q={child.forename}+{child.surname}"
        assert client.get(search).status_code == 200
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        school = Client()
        school.force_login(world.users["school_b"])
        assert school.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert len(queries) > 0 and len(log.lines) >= 5

    held = personal_data_held(["Zebedee", "Nonesuch", "X341200115001", "L8 2CD", "NOTAPC"])
    assert {child.forename, child.surname, "X341200115001"} <= held
    assert log.found(held) == []
