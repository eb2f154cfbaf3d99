"""Benefits benchmark (issue 4): response times of the due-review worklist, the publication page
and the monthly register for a county officer, with N benefits (a county of `--persons` persons, a
share of its households enrolled), and the register's SQL aggregate beside the same total summed in
Python from the rows (the peer).

    python benchmarks/benefits.py --persons 1000000 --share 0.3 --rounds 40

Uses its own database (BENCH_DATABASE_URL, default bangfu_bench_benefits) so it never collides with
the other benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_benefits")

from common import Timer, bench, median, percentile, setup_django  # noqa: E402

AVERAGE_HOUSEHOLD_SIZE = 2.95


def generate(persons: int, county: str, share: float, seed: int, today: dt.date) -> int:
    """Synthetic households (bangfu.synth), then benefits for `share` of them, bulk-created with
    their history rows: grants 1–36 months ago, a third of them raised or lowered since, review
    dates spread over the past 3 and next 12 months."""
    from django.db import connection

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.benefits.choices import BenefitStatus, ChangeKind, Programme
    from bangfu.benefits.models import Benefit, BenefitAmount
    from bangfu.common.months import add_months, month_of
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household
    from bangfu.synth.services import synthesize

    synthesize(county_code=county, households=max(1, round(persons / AVERAGE_HOUSEHOLD_SIZE)), seed=seed, progress=False)
    actor, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER,
                                                                         "region": Region.objects.get(code=RegionCode.parse(county).code)})
    rng = random.Random(seed)
    this_month = month_of(today)
    households = list(Household.objects.filter(region_code__startswith=county).values_list("pk", "region_code"))
    chosen = rng.sample(households, int(len(households) * share))
    with Timer() as t:
        for first in range(0, len(chosen), 20000):
            benefits, plans = [], []
            for pk, code in chosen[first:first + 20000]:
                approved = add_months(today, -rng.randint(1, 36))
                start = add_months(month_of(approved), 1)
                amount = rng.randint(100, 900) * 100
                change = None
                if rng.random() < 0.33 and start < this_month:  # a third raised or lowered since
                    decided = start + dt.timedelta(days=rng.randint(0, (this_month - start).days))
                    change = (decided, max(100, amount + rng.choice([-1, 1]) * rng.randint(1, 20) * 1000))
                benefits.append(Benefit(household_id=pk, region_code=code, programme=Programme.DIBAO, status=BenefitStatus.ACTIVE,
                                        monthly_amount_fen=change[1] if change else amount, start_month=start,
                                        review_class="B" if rng.random() < 0.4 else "A",
                                        next_review_date=today + dt.timedelta(days=rng.randint(-90, 365))))
                plans.append((approved, amount, change))
            Benefit.objects.bulk_create(benefits, batch_size=5000)
            rows = []
            for b, (approved, amount, change) in zip(benefits, plans, strict=True):
                if change:
                    decided, new = change
                    rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT, amount_fen=amount,
                                              from_month=b.start_month, to_month=month_of(decided), decided_by=actor, decided_on=approved))
                    rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.RAISE if new > amount else ChangeKind.LOWER,
                                              amount_fen=new, from_month=add_months(month_of(decided), 1), decided_by=actor, decided_on=decided))
                else:
                    rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT, amount_fen=amount,
                                              from_month=b.start_month, decided_by=actor, decided_on=approved))
            BenefitAmount.objects.bulk_create(rows, batch_size=5000)
    n = Benefit.objects.count()
    bench("benefits.generate_benefits_per_s", n / t.seconds, "benefits/s")
    bench("benefits.benefits", n, "benefits")
    bench("benefits.amount_rows", BenefitAmount.objects.count(), "rows")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return n


def pages(county: str, *, rounds: int, seed: int) -> None:
    from django.test import Client

    from bangfu.accounts.models import User
    from bangfu.regions.models import Region

    rng = random.Random(seed)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench_county"))
    townships = list(Region.objects.filter(code__startswith=county, level=4).values_list("code", flat=True))
    villages = list(Region.objects.filter(code__startswith=county, level=5).values_list("code", flat=True))
    kinds = {
        "worklist": ("/benefits/", lambda: {}),
        "worklist_office": ("/benefits/", lambda: {"office": rng.choice(townships)}),
        "publication": ("/benefits/publication/", lambda: {}),
        "publication_village": ("/benefits/publication/", lambda: {"area": rng.choice(villages)}),
        "register": ("/benefits/register/", lambda: {}),
        "api_due": ("/api/benefits/due", lambda: {}),
    }
    all_times = []
    for kind, (url, params) in kinds.items():
        client.get(url, params())  # warm
        times = []
        for _ in range(rounds):
            with Timer() as t:
                response = client.get(url, params())
            assert response.status_code == 200, (kind, response.status_code)
            times.append(t.seconds * 1000)
        all_times += times
        bench(f"benefits.{kind}_p95_ms", percentile(times, 0.95), "ms")
        bench(f"benefits.{kind}_median_ms", median(times), "ms")
    bench("benefits.pages_p95_ms", percentile(all_times, 0.95), "ms")


def register_vs_python(county: str, *, rounds: int, today: dt.date) -> None:
    """The month's payroll total: the register's grouped SQL aggregate against loading the amount
    rows in force and summing them in Python (the peer)."""
    from django.db.models import Q

    from bangfu.accounts.models import User
    from bangfu.benefits import selectors
    from bangfu.benefits.models import BenefitAmount
    from bangfu.common.months import month_of

    user = User.objects.get(username="bench_county")
    month = month_of(today)
    sql_times, py_times = [], []
    for _ in range(max(3, rounds // 4)):
        with Timer() as t:
            total_sql = sum(r["total_fen"] for r in selectors.register(user, month=month) if r["programme"] != "temporary_assistance")
        sql_times.append(t.seconds)
        with Timer() as t:
            rows = (BenefitAmount.objects.filter(region_code__startswith=county, from_month__lte=month, amount_fen__gt=0)
                    .filter(Q(to_month__isnull=True) | Q(to_month__gte=month)).values_list("amount_fen", flat=True))
            total_py = sum(rows.iterator(chunk_size=20000))
        py_times.append(t.seconds)
        assert total_sql == total_py, (total_sql, total_py)
    bench("benefits.register_sql_s", median(sql_times), "s")
    bench("benefits.register_python_s", median(py_times), "s")
    bench("benefits.register.ratio_vs_python_sum", median(py_times) / median(sql_times), "x")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--share", type=float, default=0.3, help="share of households enrolled")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--county", default="341122")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reuse", action="store_true", help="time the pages on the database a previous run left")
    args = parser.parse_args(argv)
    url = setup_django(fresh=not args.reuse)
    print(f"# benefits benchmark on {url.split('@')[-1]}: {args.persons} persons, {args.share:.0%} enrolled", flush=True)
    today = dt.date.today()
    if not args.reuse:
        from bangfu.regions.services import national_divisions_load

        national_divisions_load()
        generate(args.persons, args.county, args.share, args.seed, today)
    pages(args.county, rounds=args.rounds, seed=args.seed)
    register_vs_python(args.county, rounds=args.rounds, today=today)


if __name__ == "__main__":
    main()
