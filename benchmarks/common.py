"""Shared set-up for the benchmarks: a PostgreSQL database of their own (or SQLite), Django
configured against it, and the BENCH line format."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests_support"))  # bangfu_testing.factories
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bangfu_bench"


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.6g} {unit}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def setup_django(*, fresh: bool = True) -> str:
    """Point Django at the benchmark database (recreated when `fresh`), migrate, return its URL."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgres") and fresh:
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif url.startswith("sqlite") and fresh:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("BANGFU_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    os.environ.setdefault("BANGFU_VAR", str(ROOT / "var" / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
