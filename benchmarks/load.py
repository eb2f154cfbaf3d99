"""Load: the documented production setup under a bounded load (issue 13, "Load").

docs/deployment.md's setup on this machine: gunicorn with sync workers serving bangfu.wsgi, with
the production settings (no debug, BANGFU_HTTPS=1: secure cookies, CSRF with origin checks), reached
as through the documented nginx (every request carries X-Forwarded-Proto and X-Forwarded-For),
PostgreSQL. The data: `bangfu demo-setup` for one county (synthetic households, every app's demo
rows, one login per role).

Simulated users (threads; a new connection per request, as the sync workers close it) log in with
the login form, then work in a loop with a think time between requests, a third each:
- village worker: the household list, a household page of the village, a search;
- township officer: the case inbox, a case page, the overdue list;
- county officer: the benefits list, a household's assessment (determination page), the findings.

Prints BENCH load.rps (answered requests per second), load.p95_ms (95th percentile of the
response time) and load.errors (answers other than 200/302, or failed connections; logins count).

    python benchmarks/load.py --users 50 --seconds 60        # make bench
    python benchmarks/load.py --users 10 --seconds 10        # make bench-quick
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_load")

from common import ROOT, bench, percentile, setup_django  # noqa: E402

COUNTY = "341122"
PASSWORD = "bangfu-demo-2026"  # demo_setup's DEMO_PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One simulated user: cookies, CSRF token, a client address; the headers nginx would add."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes, float]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "X-Forwarded-For": self.address,
                   "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, content, elapsed

    def login(self, username: str) -> bool:
        status, _, _ = self.request("GET", "/accounts/login/")
        if status != 200 or "csrftoken" not in self.cookies:
            return False
        status, _, _ = self.request("POST", "/accounts/login/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        return status == 302 and "sessionid" in self.cookies


def _work() -> dict[str, list[str]]:
    """The pages each role's simulated users visit, from the demo data."""
    from bangfu.accounts.models import User
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household

    village = User.objects.get(username="village").region
    township = User.objects.get(username="township").region
    county = User.objects.get(username="county").region
    village_households = list(Household.objects.within(village).order_by("pk").values_list("pk", flat=True)[:200])
    county_households = list(Household.objects.within(county).order_by("pk").values_list("pk", flat=True)[:500])
    cases = list(Case.objects.within(township).order_by("pk").values_list("pk", flat=True))
    return {
        "village": ["/registry/", "/registry/?q=%E7%8E%8B"] + [f"/registry/households/{pk}/" for pk in village_households],
        "township": ["/cases/", "/cases/overdue/"] + [f"/cases/{pk}/" for pk in cases],
        "county": ["/benefits/", "/matching/findings/"] + [f"/policy/households/{pk}/determination/" for pk in county_households],
    }


def run(args) -> int:
    url = setup_django(fresh=not args.reuse)
    from django.core.management import call_command

    if not args.reuse:
        call_command("demo_setup", county=COUNTY, households=args.households, seed=2026, stdout=open(os.devnull, "w"))
    work = _work()

    port = _free_port()
    var = ROOT / "var" / "bench-load"
    var.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secrets.token_urlsafe(50), BANGFU_DEBUG="0", BANGFU_TESTING="0",
               BANGFU_HTTPS="1", ALLOWED_HOSTS="127.0.0.1", CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
               BANGFU_VAR=str(var), PYTHONPATH=str(ROOT / "src"), BANGFU_LOGIN_FAILURES="1000", BANGFU_TRUSTED_PROXIES="1")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bangfu.wsgi", "--workers", str(args.workers),
                               "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=var)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("gunicorn did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        return _load(args, port, work)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _load(args, port: int, work: dict[str, list[str]]) -> int:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = threading.Barrier(args.users + 1)  # every user has logged in
    go = threading.Event()  # the clock of the figures has started
    roles = ["village", "township", "county"]

    def user(i: int) -> None:
        rng = random.Random(f"load:{i}")
        role = roles[i % 3]
        browser = Browser(port, f"10.{i // 250}.{i % 250}.{rng.randrange(1, 250)}")
        try:
            ok = browser.login(role)
        except OSError:
            ok = False
        if not ok:
            with lock:
                errors[0] += 1
        started.wait()
        go.wait()
        if not ok:
            return
        while time.monotonic() < end[0]:
            path = rng.choice(work[role])
            try:
                status, _, elapsed = browser.request("GET", path)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                if status != 200:
                    errors[0] += 1
                times.append(elapsed)
            time.sleep(rng.uniform(0.5 * args.think, 1.5 * args.think))

    end = [0.0]
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(args.users)]
    for t in threads:
        t.start()
    started.wait()
    begin = time.monotonic()
    end[0] = begin + args.seconds
    go.set()
    for t in threads:
        t.join(timeout=args.seconds + 120)
    wall = time.monotonic() - begin
    bench("load.rps", len(times) / wall, "req/s")
    bench("load.p95_ms", percentile(times, 0.95) * 1000, "ms")
    bench("load.errors", errors[0], "count")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docs/deployment.md: 3)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a user's requests")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
