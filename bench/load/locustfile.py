"""The load test's users: caseworkers working the queue and partners uploading files.

Run by bench/load/run.py, which prepares the database and passes, through the
environment: LOAD_SAMPLES (a JSON file with the accounts and some postcodes and
surnames that exist), LOAD_PASSWORD, LOAD_UPLOADS (a JSON-lines file where every
upload is written before it is sent and again with its answer, for the runner's
reconciliation), LOAD_PARTNERS (how many of the users are partners, default 5) and
LOAD_RUN (a tag that makes every file's references unique to this run) and
LOAD_THINK (a caseworker's seconds between two actions, from,to; default 5,15).

Every user logs in once through the real login form (CSRF token and all; the
runner switches two-factor authentication off), then works through real forms
only. A request counts as failed when its status is not the expected one, when it
lands on the login page (the session was lost) or when a form was refused.
"""

import itertools
import json
import os
import random
import re
import time
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task
from locust.runners import STATE_STOPPING
from signalfile import PARTNERS, signal_file

SAMPLES = json.loads(Path(os.environ["LOAD_SAMPLES"]).read_text())
PASSWORD = os.environ["LOAD_PASSWORD"]
UPLOADS = Path(os.environ["LOAD_UPLOADS"])
RUN = os.environ.get("LOAD_RUN", "0")
ROWS = tuple(int(n) for n in os.environ.get("LOAD_UPLOAD_ROWS", "300,3000").split(","))
THINK = tuple(float(n) for n in os.environ.get("LOAD_THINK", "5,15").split(","))
TZ = ZoneInfo("Europe/Amsterdam")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/zaken/(\d+)/"')
REFRESH = 'http-equiv="refresh"'
ATTEMPT_SAVED = "De contactpoging is vastgelegd."

_caseworkers = itertools.cycle(SAMPLES["caseworkers"])
_partners = itertools.cycle(SAMPLES["partners"])


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise ValueError(f"no CSRF token on {response.url}")
    return match.group(1)


def _log_upload(**fields) -> None:
    with UPLOADS.open("a") as out:
        out.write(json.dumps(fields) + "\n")


class VroegUser(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        form = self.client.get("/inloggen/", name="login form")
        with self.client.post(
            "/inloggen/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(form), "next": ""},
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/inloggen/" in response.url:
                response.failure(f"login of {self.username} failed ({response.status_code} at {response.url})")
                self.stop()

    def page(self, url: str, name: str, *, expect: str = ""):
        """GET a page; fails when it is not a 200 of the page asked for."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif "/inloggen/" in response.url:
                response.failure("sent to the login page: session lost")
            elif expect and expect not in response.text:
                response.failure(f"{expect!r} not on the page")
            return response

    def post_redirect(self, url: str, name: str, data: dict, *, files: dict | None = None, to: str = "") -> str:
        """POST a form; it must answer with a redirect (to a path starting with `to`).
        Returns where it redirects to, or '' when it failed."""
        with self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302:
                response.failure(f"status {response.status_code}, expected a redirect")
                return ""
            if not location.startswith(to) or location.startswith("/inloggen/"):
                response.failure(f"redirected to {location}")
                return ""
            return location


class Caseworker(VroegUser):
    """A caseworker: the queue, searches, case pages, now and then a contact attempt."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.username = next(_caseworkers)
        super().on_start()
        self.case_ids: list[str] = []

    @task(4)
    def queue(self) -> None:
        response = self.page("/werk/", "queue, first page")
        self.case_ids = CASE_LINK.findall(response.text) or self.case_ids

    @task(3)
    def search(self) -> None:
        form = self.page("/werk/", "queue, first page")
        if random.random() < 0.5:
            term, name = random.choice(SAMPLES["surnames"]), "queue search: surname start (POST)"
        else:
            term, name = random.choice(SAMPLES["addresses"]), "queue search: postcode + number (POST)"
        location = self.post_redirect(
            "/werk/", name, {"csrfmiddlewaretoken": _csrf(form), "q": term}, to="/werk/?zoek="
        )
        if location:
            response = self.page(location, "queue search: result (?zoek=)")
            self.case_ids = CASE_LINK.findall(response.text) or self.case_ids

    @task(3)
    def case_page(self) -> None:
        if not self.case_ids:
            self.queue()
        if self.case_ids:
            self.page(f"/zaken/{random.choice(self.case_ids)}/", "case page")

    @task(1)
    def contact_attempt(self) -> None:
        mine = CASE_LINK.findall(self.page("/werk/?mijn=1", "queue, my cases").text)
        if not mine:
            return
        pk = random.choice(mine)
        case = self.page(f"/zaken/{pk}/", "case page", expect="attempt-form")
        # A minute ago, in the municipality's time (an attempt cannot lie in the future).
        at = datetime.now(TZ) - timedelta(minutes=1)
        location = self.post_redirect(
            f"/zaken/{pk}/contactpoging/",
            "contact attempt (POST)",
            {
                "csrfmiddlewaretoken": _csrf(case),
                "kind": random.choice(["Telefoon", "Telefoon", "Brief", "Huisbezoek"]),
                "reached": "1" if random.random() < 0.2 else "0",
                "date": at.date().isoformat(),
                "time": at.strftime("%H:%M"),
                "note": "Belastingtest: geen gehoor." if random.random() < 0.5 else "",
            },
            to=f"/zaken/{pk}/",
        )
        if location:
            self.page(location, "case page after the attempt", expect=ATTEMPT_SAVED)


class Partner(VroegUser):
    """A partner's employee: uploads a Signaal-CSV v1 file through the upload form and
    watches its delivery page (which refreshes itself every 2 s) until the report is
    ready."""

    fixed_count = int(os.environ.get("LOAD_PARTNERS", "5"))
    wait_time = between(15, 30)

    def on_start(self) -> None:
        self.username, self.code = next(_partners)
        super().on_start()
        self.uploads = 0
        self.previous: list[tuple[str, str]] = []

    @task
    def upload(self) -> None:
        self.page("/partner/", "partner: deliveries")
        form = self.page("/partner/leveringen/nieuw/", "partner: upload form")
        self.uploads += 1
        rows = random.randint(*ROWS)
        prefix = f"L{RUN}-{self.code}-{self.uploads:03d}"
        name = f"{prefix}.csv"
        content, sent = signal_file(
            rows=rows,
            seed=zlib.crc32(prefix.encode()),
            prefix=prefix,
            types=PARTNERS[self.code][2],
            received=datetime.now(TZ).date(),
            repeats=random.sample(self.previous, min(len(self.previous), rows // 50)),
        )
        self.previous = sent
        _log_upload(name=name, partner=self.code, rows=rows, sent_at=time.time())
        location = self.post_redirect(
            "/partner/leveringen/nieuw/",
            "partner: upload (POST)",
            {"csrfmiddlewaretoken": _csrf(form)},
            files={"file": (name, content, "text/csv")},
            to="/partner/leveringen/",
        )
        _log_upload(name=name, partner=self.code, rows=rows, answered=bool(location), location=location)
        if not location:
            return
        # The delivery page, as the browser reloads it, until the report is there.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.environment.runner.state != STATE_STOPPING:
            response = self.page(location, "partner: delivery page")
            if response.status_code != 200 or REFRESH not in response.text:
                break
            time.sleep(2)
