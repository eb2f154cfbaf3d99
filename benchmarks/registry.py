"""Registry benchmark (issue 2): synthetic generation rate, household list and search response
times with N persons in PostgreSQL (target p95 < 150 ms at 1,000,000 persons), and import of a
100,000-row sheet (target < 20 s) beside pandas + openpyxl only reading the same file.

    python benchmarks/registry.py --persons 1000000 --import-rows 100000
"""

from __future__ import annotations

import argparse
import random

from common import Timer, bench, median, percentile, setup_django

AVERAGE_HOUSEHOLD_SIZE = 2.95  # as synth makes them; only used to size the generation


def generate(persons: int, county: str, seed: int) -> dict:
    from bangfu.registry.models import Household, Person
    from bangfu.synth.services import synthesize

    households = max(1, round(persons / AVERAGE_HOUSEHOLD_SIZE))
    with Timer() as t:
        synthesize(county_code=county, households=households, seed=seed, progress=False)
    n_households, n_persons = Household.objects.count(), Person.objects.count()
    bench("registry.synth_households_per_s", n_households / t.seconds, "households/s")
    bench("registry.synth_persons_per_s", n_persons / t.seconds, "persons/s")
    bench("registry.persons", n_persons, "persons")
    return {"households": n_households, "persons": n_persons}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def list_and_search(county: str, *, rounds: int, seed: int) -> None:
    """Time the household list page as a county officer sees it, through the full Django stack."""
    from django.test import Client

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu.registry.models import Classification, Person

    rng = random.Random(seed)
    county_region = Region.objects.get(code=RegionCode.parse(county).code)
    user, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER, "region": county_region})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    villages = list(Region.objects.filter(code__startswith=county, level=5).values_list("code", flat=True))
    sample = list(Person.objects.order_by("?").values_list("name", "id_number")[: rounds * 2]) if rounds else []
    categories = list(Classification.objects.filter(kind="category").values_list("code", flat=True).distinct())

    queries: dict[str, list[dict]] = {
        "list": [{} for _ in range(rounds)],
        "village": [{"village": rng.choice(villages)} for _ in range(rounds)],
        "name": [{"q": name} for name, _ in sample[:rounds]],
        "surname": [{"q": name[0]} for name, _ in sample[:rounds]],
        "id_full": [{"q": number} for _, number in sample[rounds:]],
        "id_tail": [{"q": number[-4:]} for _, number in sample[rounds:]],
        "category": [{"category": rng.choice(categories)} for _ in range(rounds)] if categories else [],
    }
    client.get("/registry/")  # warm the template cache and the connection
    all_times: list[float] = []
    search_times: list[float] = []
    for kind, params_list in queries.items():
        times = []
        for params in params_list:
            with Timer() as t:
                response = client.get("/registry/", params)
            assert response.status_code == 200, (kind, params, response.status_code)
            times.append(t.seconds * 1000)
        if not times:
            continue
        all_times += times
        if kind not in ("list", "village"):
            search_times += times
        bench(f"registry.list.{kind}.median_ms", median(times), "ms")
        bench(f"registry.list.{kind}.p95_ms", percentile(times, 0.95), "ms")
    # keyset paging ten pages deep
    deep = []
    for _ in range(max(1, rounds // 5)):
        before = None
        for _page in range(10):
            with Timer() as t:
                response = client.get("/registry/", {"before": before} if before else {})
            deep.append(t.seconds * 1000)
            before = response.context["next_before"] if response.context and "next_before" in response.context else None
            if not before:
                break
    bench("registry.list.paging.p95_ms", percentile(deep, 0.95), "ms")
    bench("registry.list_all.median_ms", median(all_times), "ms")
    bench("registry.list_all.p95_ms", percentile(all_times, 0.95), "ms")
    bench("registry.search.p95_ms", percentile(search_times, 0.95), "ms")


def import_sheet(rows: int, county: str) -> None:
    from bangfu.regions.codes import RegionCode
    from import_bench import _villages, bench_import

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.regions.models import Region

    county_region = Region.objects.get(code=RegionCode.parse(county).code)
    user, _ = User.objects.get_or_create(username="bench_importer", defaults={"role": Role.COUNTY_OFFICER, "region": county_region})
    result = bench_import(rows, user=user, villages=_villages(county_region))
    bench(f"registry.import_{rows}_rows_s", result["import_s"], "s")
    bench(f"registry.pandas_openpyxl_read_{rows}_rows_s", result["pandas_openpyxl_read_s"], "s")
    bench(f"registry.import_{rows}_rows.ratio_vs_pandas_openpyxl", result["ratio_vs_pandas_openpyxl"], "x")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="requests per kind of query")
    parser.add_argument("--county", default="341122")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    url = setup_django()
    print(f"# registry benchmark on {url.split('@')[-1]}: {args.persons} persons, {args.import_rows}-row import", flush=True)
    from bangfu.regions.services import national_divisions_load

    national_divisions_load()
    generate(args.persons, args.county, args.seed)
    _analyze()
    list_and_search(args.county, rounds=args.rounds, seed=args.seed)
    if args.import_rows:
        # a second county for the import, so the import creates rather than updates
        import_sheet(args.import_rows, "341125")


if __name__ == "__main__":
    main()
