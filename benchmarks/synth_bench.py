"""Benchmark of the synthetic data generator (issue 2 item 8): households written per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu .venv/bin/python benchmarks/synth_bench.py [HOUSEHOLDS]

prints `BENCH synth.households_per_s <value> households/s`. Standalone, it runs in a throwaway
database (Django's test database for DATABASE_URL, created and destroyed), so real data is never
touched. `bench_synth()` itself uses whatever database Django is connected to and leaves its rows
there; benchmarks/registry.py calls it inside its own setup.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

COUNTY = "340102"  # 瑶海区, 合肥市
SEED = 2024


def bench_synth(households: int, *, county_code: str = COUNTY, seed: int = SEED, batch: int = 5000, progress: bool = False) -> float:
    """Write `households` synthetic households and return households per second.

    Division loading and the county's generated townships and villages are done before the clock
    starts: the figure is the generation and bulk writing of households, persons and their rows.
    Django must be set up and the database migrated.
    """
    from bangfu.synth.services import synthesize

    synthesize(county_code=county_code, households=0, seed=seed, progress=False)
    start = time.perf_counter()
    counts = synthesize(county_code=county_code, households=households, seed=seed, batch=batch, progress=progress)
    elapsed = time.perf_counter() - start
    return counts["households"] / elapsed if elapsed > 0 else float("inf")


def setup_django() -> None:
    src = Path(__file__).resolve().parent.parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    os.environ.setdefault("BANGFU_TESTING", "1")
    import django

    django.setup()


@contextmanager
def throwaway_database():
    """Django's test database for the configured DATABASE_URL, migrated, dropped afterwards."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main(argv: list[str]) -> None:
    households = int(argv[1]) if len(argv) > 1 else 20_000
    setup_django()
    with throwaway_database():
        rate = bench_synth(households, progress=sys.stderr.isatty())
    print(f"BENCH synth.households_per_s {rate:.1f} households/s")


if __name__ == "__main__":
    main(sys.argv)
