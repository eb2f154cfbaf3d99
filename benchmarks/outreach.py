"""Outreach benchmark (issue 6): the overdue-visit list (R8, ≥ 2 visits per quarter) as a county
officer sees it, through the full Django stack, for a county with N pairings and M visits
(target p95 < 150 ms at 100,000 pairings and 1,000,000 visits).

The page reads one `QuarterVisits` row per pairing (kept by the visit services). The peer,
measured in the same process, is the same list computed the naive way: counting the quarter's
visits per pairing over the (pairing, date) index of the visits table.

    python benchmarks/outreach.py --pairings 100000 --visits 1000000 --rounds 100  # --reuse: keep the database
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random

from common import Timer, bench, median, percentile

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_outreach")

from common import setup_django  # noqa: E402

TOWNSHIPS = 12
VILLAGES_PER_TOWNSHIP = 20
HELPER_UNITS = 40


def _regions(county: str):
    from bangfu_testing.factories import region
    from bangfu.regions.choices import Level
    from bangfu.regions.models import Region

    from bangfu.regions.codes import CITY, PROVINCE, RegionCode

    code = RegionCode.parse(county)
    province = region(code.ancestor(PROVINCE).code, "省")
    city = region(code.ancestor(CITY).code, "市", province)
    county_region = region(county, "县", city)
    villages = []
    for t in range(1, TOWNSHIPS + 1):
        township = region(f"{county}{t:03d}", f"第{t}镇", county_region)
        for v in range(1, VILLAGES_PER_TOWNSHIP + 1):
            villages.append(Region(code=f"{county}{t:03d}{v:03d}", name=f"{t}镇{v}村", level=Level.VILLAGE, parent=township,
                                   full_name=f"第{t}镇{v}村"))
    Region.objects.bulk_create(villages, ignore_conflicts=True)
    return county_region, list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county).order_by("code"))


def _copy(model, columns: list[str], rows) -> None:
    """COPY on PostgreSQL, executemany elsewhere."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.read())
    else:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", list(rows))


def generate(pairings: int, visits: int, county: str, seed: int):
    """Households (one per pairing), helpers, pairings with 1–3 helpers and `visits` visits spread
    over the last eight quarters; then the per-quarter counts, as the services keep them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.outreach.models import Helper, Pairing, PairingHelper, QuarterVisits, Visit
    from bangfu.outreach.rules import quarter_of
    from bangfu.registry.models import Household

    rng = random.Random(seed)
    county_region, villages = _regions(county)
    user, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER, "region": county_region})
    today = timezone.localdate()
    first_day = quarter_of(today)[0] - dt.timedelta(days=7 * 91)
    now = timezone.now().isoformat()
    with Timer() as t, transaction.atomic():
        codes = [rng.choice(villages) for _ in range(pairings)]
        _copy(Household, ["region_id", "region_code", "address", "hukou_type", "housing_safety", "status", "note", "created_at", "updated_at"],
              ((v.pk, v.code, "", "rural", "unknown", "active", "", now, now) for v in codes))
        household_ids = list(Household.objects.filter(region_code__startswith=county).order_by("pk").values_list("pk", "region_id", "region_code"))
        helpers = max(1, pairings // 5)
        _copy(Helper, ["kind", "name", "unit", "phone", "region_id", "region_code", "active", "created_at"],
              (("party_member", f"帮扶人{i}", f"单位{i % HELPER_UNITS}", "", v.pk, v.code, True, now)
               for i, v in ((i, rng.choice(villages)) for i in range(helpers))))
        helper_ids = list(Helper.objects.order_by("pk").values_list("pk", flat=True))
        starts = [first_day + dt.timedelta(days=rng.randrange(0, 400)) for _ in range(pairings)]
        ends = [None if rng.random() > 0.05 else s + dt.timedelta(days=rng.randrange(100, 600)) for s in starts]
        _copy(Pairing, ["target_kind", "household_id", "village_id", "region_code", "start_date", "end_date", "measures", "measures_note",
                        "end_reason", "created_by_id", "created_at"],
              (("household", hid, rid, code, starts[i], ends[i], "[]", "", "", user.pk, now) for i, (hid, rid, code) in enumerate(household_ids)))
        pairing_rows = list(Pairing.objects.order_by("pk").values_list("pk", "region_code", "start_date", "end_date"))
        links = set()
        for pk, *_rest in pairing_rows:
            for j in range(rng.choice((1, 1, 1, 2, 3))):
                links.add((pk, rng.choice(helper_ids), j == 0))
        _copy(PairingHelper, ["pairing_id", "helper_id", "lead"], sorted({(p, h): (p, h, lead) for p, h, lead in links}.values()))

        def visit_rows():
            for _ in range(visits):
                pk, code, start, end = pairing_rows[rng.randrange(len(pairing_rows))]
                last = min(end or today, today)
                span = (last - start).days
                if span < 0:
                    continue
                yield pk, code, start + dt.timedelta(days=rng.randrange(span + 1)), "home", "走访", "", "", "", user.pk, now

        _copy(Visit, ["pairing_id", "region_code", "date", "way", "findings", "needs", "follow_up", "other_visitors", "recorded_by_id", "created_at"],
              visit_rows())
        quarter_expr = ("date_trunc('quarter', date)::date" if connection.vendor == "postgresql"
                        else "date(strftime('%Y-', date) || printf('%02d', ((cast(strftime('%m', date) as integer) - 1) / 3) * 3 + 1) || '-01')")
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {QuarterVisits._meta.db_table} (pairing_id, quarter, visits) "
                           f"SELECT pairing_id, {quarter_expr}, COUNT(*) FROM {Visit._meta.db_table} GROUP BY 1, 2")
    bench("outreach.generate_s", t.seconds, "s")
    bench("outreach.pairings", Pairing.objects.count(), "pairings")
    bench("outreach.visits", Visit.objects.count(), "visits")
    _vacuum()
    return user, villages


def _vacuum() -> None:
    """The steady state autovacuum keeps (visibility map set, statistics fresh): a table just
    filled by COPY has neither, and every index-only scan would read the heap."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")


def naive_overdue(user, quarter, *, limit: int = 50) -> list:
    """The peer: the first page of the same list, counting visits per pairing in the quarter over
    the (pairing, date) index instead of reading the per-quarter count."""
    from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from bangfu.outreach import selectors
    from bangfu.outreach.models import Visit

    counted = (Visit.objects.filter(pairing=OuterRef("pk"), date__gte=quarter.start, date__lte=quarter.end)
               .values("pairing").annotate(n=Count("pk")).values("n")[:1])
    qs = selectors.pairings_with_counts(user, quarter).annotate(
        naive=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))).filter(naive__lt=F("required"))
    return list(qs.order_by("region_code", "pk").values_list("pk", flat=True)[:limit])


def measure(user, villages, *, rounds: int, seed: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from bangfu.outreach import selectors

    rng = random.Random(seed)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    today = timezone.localdate()
    current = selectors.Quarter.of(today)
    previous = selectors.Quarter.of(current.start - dt.timedelta(days=1))
    from bangfu.outreach.models import Helper as _Helper

    helper_ids = list(_Helper.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    client.get("/outreach/overdue/")  # warm templates and connection
    queries = {
        "county": [{} for _ in range(rounds)],
        "previous_quarter": [{"q": previous.start.isoformat()} for _ in range(rounds)],
        "village": [{"village": rng.choice(villages).code} for _ in range(rounds)],
        "unit": [{"unit": f"单位{rng.randrange(HELPER_UNITS)}", "by": "unit"} for _ in range(rounds)],
        "helper": [{"helper": rng.choice(helper_ids), "by": "helper"} for _ in range(rounds)],
    }
    summaries = {
        "summary_village": [{"part": "summary", "by": "village"} for _ in range(rounds)],
        "summary_unit": [{"part": "summary", "by": "unit"} for _ in range(rounds)],
        "summary_helper": [{"part": "summary", "by": "helper"} for _ in range(rounds)],
    }
    all_times = []
    for kind, params_list in queries.items():
        times = []
        for params in params_list:
            with Timer() as t:
                response = client.get("/outreach/overdue/", params)
            assert response.status_code == 200, (kind, response.status_code)
            times.append(t.seconds * 1000)
        all_times += times
        bench(f"outreach.overdue.{kind}.median_ms", median(times), "ms")
        bench(f"outreach.overdue.{kind}.p95_ms", percentile(times, 0.95), "ms")
    bench("outreach.overdue.p95_ms", percentile(all_times, 0.95), "ms")
    # the county-wide summaries the page loads after the list (a second request, htmx)
    for kind, params_list in summaries.items():
        times = []
        for params in params_list:
            with Timer() as t:
                response = client.get("/outreach/overdue/", params)
            assert response.status_code == 200, (kind, response.status_code)
            times.append(t.seconds * 1000)
        bench(f"outreach.overdue.{kind}.median_ms", median(times), "ms")
        bench(f"outreach.overdue.{kind}.p95_ms", percentile(times, 0.95), "ms")
    # the list query alone, beside the naive count over the visits index
    ours, peer = [], []
    for _ in range(rounds):
        with Timer() as t:
            rows = list(selectors.overdue_pairings(user, current).values_list("pk", flat=True)[:50])
        ours.append(t.seconds * 1000)
        with Timer() as t:
            naive = naive_overdue(user, current)
        peer.append(t.seconds * 1000)
        assert rows == naive
    bench("outreach.overdue_query.median_ms", median(ours), "ms")
    bench("outreach.naive_count_query.median_ms", median(peer), "ms")
    bench("outreach.overdue_query.ratio_vs_naive_count", median(peer) / median(ours), "x")
    # the helper's to-do list
    from bangfu.outreach.models import Helper

    helper = Helper.objects.order_by("pk").first()
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User

    account, _ = User.objects.get_or_create(username="bench_helper", defaults={"role": Role.HELPER, "region": user.region})
    Helper.objects.filter(pk=helper.pk).update(user=account)
    helper_client = Client(HTTP_HOST="127.0.0.1")
    helper_client.force_login(account)
    times = []
    for _ in range(rounds):
        with Timer() as t:
            assert helper_client.get("/outreach/mine/").status_code == 200
        times.append(t.seconds * 1000)
    bench("outreach.helper_todo.p95_ms", percentile(times, 0.95), "ms")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairings", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--county", default="341122")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the benchmark database from an earlier run of the same size (pages only)")
    args = parser.parse_args(argv)
    url = setup_django(fresh=not args.reuse)
    print(f"# outreach benchmark on {url.split('@')[-1]}: {args.pairings} pairings, {args.visits} visits", flush=True)
    if args.reuse:
        from bangfu.accounts.models import User
        from bangfu.outreach.models import Pairing, Visit
        from bangfu.regions.choices import Level
        from bangfu.regions.models import Region

        bench("outreach.pairings", Pairing.objects.count(), "pairings")
        bench("outreach.visits", Visit.objects.count(), "visits")
        _vacuum()
        user = User.objects.get(username="bench_county")
        villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=args.county).order_by("code"))
    else:
        user, villages = generate(args.pairings, args.visits, args.county, args.seed)
    measure(user, villages, rounds=args.rounds, seed=args.seed)


if __name__ == "__main__":
    main()
