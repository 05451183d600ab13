"""The load test's users (bench/load.py runs this with locust): officers, a manager, key
workers and schools, each signed in with an account of their own, making a request every few
seconds through the pages they use, and signing out and in again now and then. A member of
the public fills in nothing but opens the public form. Any error prints the request and the
response."""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["CME_LOAD_PLAN"]).read_text())
_counters = {role: itertools.count() for role in PLAN["accounts"]}
_lock = threading.Lock()


@events.request.add_listener
def _print_errors(request_type: str, name: str, response: Any, exception: Any, **_: Any) -> None:
    if exception is None:
        return
    body = getattr(response, "text", "") or ""
    sent = getattr(response, "request", None)
    print(
        f"ERROR {request_type} {getattr(response, 'url', name)} -> "
        f"{getattr(response, 'status_code', '?')}: {exception}\n"
        f"request: {getattr(sent, 'method', '')} {getattr(sent, 'url', name)} "
        f"body {getattr(sent, 'body', '')!r}\n"
        f"response: {body[:2000]}",
        flush=True,
    )


class Signed(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 5)

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        with _lock:
            # Distinct accounts: the sign-in throttle counts per account and address.
            self.account = accounts[next(_counters[self.role]) % len(accounts)]
        self.rng = random.Random(self.account["username"])
        self.sign_in()

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def sign_in(self) -> None:
        self.client.get("/sign-in/", name="sign-in (form)")
        with self.client.post(
            "/sign-in/",
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}, not a redirect")

    @task(1)
    def sign_out_and_in(self) -> None:
        self.client.post(
            "/sign-out/",
            data={"csrfmiddlewaretoken": self._csrf()},
            name="sign-out",
            allow_redirects=False,
        )
        self.sign_in()

    @task(6)
    def home(self) -> None:
        self.client.get("/", name="home")

    def case(self) -> int:
        cases = self.account.get("cases") or PLAN["cases"]
        return int(self.rng.choice(cases))


class Officer(Signed):
    role = "officer"
    weight = 30

    @task(3)
    def register(self) -> None:
        self.client.get("/register/", name="register")

    @task(1)
    def deep_page(self) -> None:
        self.client.get(f"/register/?page={PLAN['deep_page']}", name="register, deep page")

    @task(2)
    def filtered(self) -> None:
        which = self.rng.choice(
            [
                f"status=locating&school={self.rng.choice(PLAN['schools'])}",
                f"risk={self.rng.choice(PLAN['risks'])}",
                f"key_worker={self.rng.choice(PLAN['key_workers'])}",
                "min_age=11&max_age=14",
            ]
        )
        self.client.get(f"/register/?{which}", name="register, filter")

    @task(2)
    def name_search(self) -> None:
        self.client.get(
            f"/register/?status=all&q={self.rng.choice(PLAN['prefixes'])}",
            name="register, name search",
        )

    @task(4)
    def case_page(self) -> None:
        self.client.get(f"/register/cases/{self.case()}/", name="case")

    @task(1)
    def child_page(self) -> None:
        self.client.get(f"/children/{self.rng.choice(PLAN['children'])}/", name="child")

    @task(1)
    def checks(self) -> None:
        case = self.case()
        self.client.get(f"/checks/cases/{case}/", name="checks")

    @task(1)
    def check_run(self) -> None:
        self.client.post(
            f"/checks/cases/{self.case()}/run/",
            data={"csrfmiddlewaretoken": self._csrf()},
            name="checks, run",
        )

    @task(1)
    def plan(self) -> None:
        self.client.get(f"/plans/cases/{self.case()}/", name="plan")

    @task(1)
    def queue(self) -> None:
        self.client.get("/queue/overdue/", name="work queue")

    @task(1)
    def referral_form(self) -> None:
        self.client.get("/referrals/new/", name="referral form")

    @task(1)
    def enquiries(self) -> None:
        self.client.get(f"/enquiries/cases/{self.case()}/", name="enquiries on a case")


class Manager(Signed):
    role = "manager"
    weight = 3

    @task(2)
    def reports(self) -> None:
        self.client.get("/reports/", name="reports")

    @task(1)
    def audit(self) -> None:
        self.client.get("/audit/", name="audit trail")

    @task(2)
    def register(self) -> None:
        self.client.get("/register/", name="register")


class KeyWorker(Signed):
    role = "key_worker"
    weight = 10

    @task(4)
    def case_page(self) -> None:
        self.client.get(f"/register/cases/{self.case()}/", name="case")

    @task(2)
    def plan(self) -> None:
        self.client.get(f"/plans/cases/{self.case()}/", name="plan")


class School(Signed):
    role = "school"
    weight = 5

    @task(2)
    def register(self) -> None:
        self.client.get("/register/", name="register")

    @task(1)
    def inbox(self) -> None:
        self.client.get("/enquiries/inbox/", name="enquiries inbox")

    @task(1)
    def transfers(self) -> None:
        self.client.get("/transfers/", name="transfers")


class Public(HttpUser):
    weight = 2
    wait_time = between(2, 5)

    @task
    def form(self) -> None:
        self.client.get("/refer/", name="public form")
