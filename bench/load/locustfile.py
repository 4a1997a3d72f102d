"""Locust users for the load test (``bench/load/run.py`` drives them): patients who search,
open a doctor's availability calendar and race each other for the same few slots, and
admins on the live dashboard. Everything goes through the public REST API (``/api/v1``),
as an app or an integration would; no Reflex websocket sessions are simulated.

Patients (``PatientUser``), each signed in with an account of its own: search doctors
("search"), open a hot doctor's calendar ("open calendar"), read the earliest bookable
day's slots ("day slots"), book one of the first few free slots ("book") and pay for it by
UPI ("pay", once more with a new key if the mock bank declines). Every patient aims at
the same few doctors and the earliest free slots, so bookings race: the losers get 409
``slot-unavailable``, which is the right answer (not counted as an error). A think time
(``HCP_LOAD_WAIT``) separates each step.

Admins (``AdminUser``, ``HCP_LOAD_ADMINS`` of the users): reload the dashboard's
statistics ("admin dashboard") and its appointments table ("admin appointments") about
every 2-3 s, as a live dashboard does while bookings keep changing the data.

Set by ``run.py`` in the environment:

- ``HCP_LOAD_PLAN``: a JSON file with the accounts, their password, the hot doctors, the
  cities and specializations to search;
- ``HCP_LOAD_SUMMARY``: where the status codes, booking outcomes and server errors are
  written (JSON) when Locust stops;
- ``HCP_LOAD_HOSTS`` (optional): base URLs to share the users between, round robin, when
  no proxy balances them (otherwise Locust's ``--host``);
- ``HCP_LOAD_WAIT``: a patient's think time between steps, ``min,max`` seconds (``1,3``);
- ``HCP_LOAD_ADMINS``: how many users are admins (10);
- ``HCP_LOAD_SETTLE``: seconds after the last user is spawned at which Locust's statistics
  start afresh (0: never), so that they leave out the rush of every user signing in.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from collections import Counter
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import FastHttpUser, between, events, task
from locust.env import Environment

V1 = "/api/v1"
SLOT_CHOICES = 3  # a patient books one of the first few free slots of the earliest day
SORTS = ("relevance", "fee", "experience", "name")
UPI = {"method": "upi", "upi_vpa": "loadtest@okaxis"}


def _plan() -> dict[str, Any]:
    path = os.environ.get("HCP_LOAD_PLAN")
    if not path:
        raise SystemExit("HCP_LOAD_PLAN is not set: run the load test with bench/load/run.py")
    with open(path, encoding="utf-8") as f:
        plan: dict[str, Any] = json.load(f)
    return plan


PLAN = _plan()
_WAIT = [float(x) for x in os.environ.get("HCP_LOAD_WAIT", "1,3").split(",")]
_HOSTS = [h for h in os.environ.get("HCP_LOAD_HOSTS", "").split(",") if h]
_host_turn = itertools.count()
_patient_turn = itertools.count()
_admin_turn = itertools.count()

# What the summary reports besides Locust's own statistics.
STATUS: Counter[str] = Counter()  # "name status" -> count
OUTCOMES: Counter[str] = Counter()
FAILED: Counter[str] = Counter()  # name -> requests counted as failures, spawning included
SERVER_ERRORS: list[dict[str, Any]] = []
# Sign-ins happen while the users are spawned, before run.py's statistics are reset.
SIGN_IN_MS: list[float] = []


@events.request.add_listener
def _count(
    request_type: str,
    name: str,
    response_time: float,
    response: Any,
    exception: BaseException | None,
    **_kw: Any,
) -> None:
    code = getattr(response, "status_code", 0) or 0
    STATUS[f"{name} {code}"] += 1
    if exception is not None:
        FAILED[name] += 1
    if name == "sign in":
        SIGN_IN_MS.append(float(response_time))
    if code >= 500 and len(SERVER_ERRORS) < 50:
        body = getattr(response, "text", "") or ""
        SERVER_ERRORS.append({"name": name, "status": code, "body": body[:2000]})
    elif code == 0 and exception is not None and len(SERVER_ERRORS) < 50:
        SERVER_ERRORS.append({"name": name, "status": 0, "body": repr(exception)[:500]})


def _write_summary(**_kw: Any) -> None:
    path = os.environ.get("HCP_LOAD_SUMMARY")
    if not path:
        return
    with open(path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "status": dict(STATUS),
                "outcomes": dict(OUTCOMES),
                "failures": dict(FAILED),
                "server_errors": SERVER_ERRORS,
                "sign_in_ms": SIGN_IN_MS,
            },
            f,
            indent=1,
        )


events.test_stop.add_listener(_write_summary)
events.quitting.add_listener(_write_summary)


_ENV: list[Environment] = []


@events.init.add_listener
def _keep_environment(environment: Environment, **_kw: Any) -> None:
    _ENV.append(environment)


@events.spawning_complete.add_listener
def _settle_then_measure(user_count: int, **_kw: Any) -> None:
    """Every user is spawned (and signing in): Locust's statistics start afresh
    ``HCP_LOAD_SETTLE`` seconds later, once the sign-in rush has been served, so that they
    describe the steady state (the sign-ins keep their own record, ``SIGN_IN_MS``)."""
    settle = float(os.environ.get("HCP_LOAD_SETTLE", "0"))
    runner = _ENV[0].runner if _ENV else None
    if settle <= 0 or runner is None:
        return

    def reset() -> None:
        gevent.sleep(settle)
        runner.stats.reset_all()

    gevent.spawn(reset)


def _problem_type(response: Any) -> str:
    try:
        return str(response.json().get("type", "")).rsplit("/", 1)[-1]
    except Exception:
        return ""


class ApiUser(FastHttpUser):
    """A signed-in caller of the API: its own account, its own bearer token."""

    abstract = True

    def __init__(self, environment: Environment) -> None:
        if _HOSTS:  # no balancer in front: share the users between the app processes
            self.host = _HOSTS[next(_host_turn) % len(_HOSTS)]
        super().__init__(environment)
        self.token = ""

    def account(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        self.email = self.account()
        self.sign_in()

    def sign_in(self) -> None:
        form = {"username": self.email, "password": PLAN["password"]}
        with self.client.post(
            f"{V1}/auth/token", data=form, name="sign in", catch_response=True
        ) as r:
            if r.status_code == 200:
                self.token = r.json()["access_token"]
            else:
                r.failure(f"sign-in {r.status_code}: {r.text[:200]}")

    def headers(self, *, key: bool = False) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.token}"}
        if key:
            out["Idempotency-Key"] = str(uuid.uuid4())
        return out

    def expired(self, response: Any) -> bool:
        """A 401 (the 15-minute access token ran out in a long run): sign in again."""
        if response.status_code != 401:
            return False
        response.success()
        OUTCOMES["signed in again"] += 1
        self.sign_in()
        return True


class PatientUser(ApiUser):
    weight = 1
    wait_time = between(_WAIT[0], _WAIT[-1])

    def account(self) -> str:
        accounts: list[str] = PLAN["patients"]
        return accounts[next(_patient_turn) % len(accounts)]

    @task
    def find_and_book(self) -> None:
        self.search()
        self.wait()
        doctor = random.choice(PLAN["hot_doctors"])
        day = self.open_calendar(doctor)
        if day is None:
            return
        self.wait()
        start = self.pick_slot(doctor, day)
        if start is None:
            return
        self.wait()
        appointment = self.book(doctor, start)
        if appointment is None:
            return
        self.wait()
        if not self.pay(appointment):
            self.pay(appointment)  # declined by the mock bank: a second try, a new key

    def search(self) -> None:
        params: dict[str, Any] = {"sort": random.choice(SORTS), "limit": 20}
        if random.random() < 0.7:
            params["city_id"] = random.choice(PLAN["cities"])
        if random.random() < 0.6:
            params["specialization"] = random.choice(PLAN["specializations"])
        with self.client.get(
            f"{V1}/doctors", params=params, name="search", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")

    def open_calendar(self, doctor: int) -> str | None:
        with self.client.get(
            f"{V1}/doctors/{doctor}/availability", name="open calendar", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return None
            days = [d for d in r.json()["days"] if d["bookable"] and d["free"] > 0]
        if not days:
            OUTCOMES["calendar full"] += 1
            return None
        return str(days[0]["date"])  # the earliest day: what everyone wants

    def pick_slot(self, doctor: int, day: str) -> str | None:
        with self.client.get(
            f"{V1}/doctors/{doctor}/slots",
            params={"date": day},
            name="day slots",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return None
            free = [s["start_at"] for s in r.json()["slots"] if s["state"] == "free"]
        if not free:
            OUTCOMES["day full"] += 1
            return None
        return str(random.choice(free[:SLOT_CHOICES]))

    def book(self, doctor: int, start: str) -> str | None:
        body = {"doctor_id": doctor, "start_at": start, "reason": "Fever for 3 days"}
        with self.client.post(
            f"{V1}/appointments",
            json=body,
            headers=self.headers(key=True),
            name="book",
            catch_response=True,
        ) as r:
            if self.expired(r):
                return None
            if r.status_code == 201:
                OUTCOMES["book: won the slot"] += 1
                return str(r.json()["id"])
            kind = _problem_type(r)
            if r.status_code == 409 and kind == "slot-unavailable":
                OUTCOMES["book: lost the race (409 slot-unavailable)"] += 1
                r.success()
            elif r.status_code == 409:
                OUTCOMES[f"book: 409 {kind}"] += 1
                r.success()  # e.g. the patient already has a visit at that time
            else:
                OUTCOMES[f"book: {r.status_code} {kind}"] += 1
                r.failure(f"{r.status_code}: {r.text[:200]}")
        return None

    def pay(self, appointment: str) -> bool:
        """Whether the payment went through (or is pending at the bank)."""
        with self.client.post(
            f"{V1}/appointments/{appointment}/payment",
            json=UPI,
            headers=self.headers(key=True),
            name="pay",
            catch_response=True,
        ) as r:
            if self.expired(r):
                return True
            if r.status_code in (200, 202):
                OUTCOMES[f"pay: {r.json()['result']}"] += 1
                return True
            kind = _problem_type(r)
            OUTCOMES[f"pay: {r.status_code} {kind}"] += 1
            if r.status_code == 402:  # the mock bank's declines (HCP_PAYMENT_SUCCESS_RATE)
                r.success()
                return False
            r.failure(f"{r.status_code}: {r.text[:200]}")
            return True


class AdminUser(ApiUser):
    fixed_count = int(os.environ.get("HCP_LOAD_ADMINS", "10"))
    wait_time = between(2, 3)

    def account(self) -> str:
        accounts: list[str] = PLAN["admins"]
        return accounts[next(_admin_turn) % len(accounts)]

    @task
    def live_dashboard(self) -> None:
        for path, name, params in (
            (f"{V1}/admin/statistics", "admin dashboard", {}),
            (f"{V1}/admin/appointments", "admin appointments", {"page_size": 20}),
        ):
            with self.client.get(
                path, params=params, headers=self.headers(), name=name, catch_response=True
            ) as r:
                if self.expired(r):
                    return
                if r.status_code != 200:
                    r.failure(f"{r.status_code}: {r.text[:200]}")
