"""Case inbox plans (issue 17): the query plans PostgreSQL chooses for the inbox's tabs, filters
and searches over N cases in one province, and their execution times (EXPLAIN ANALYZE), so that
a filter that falls back to reading the whole table shows here. Prints each plan's first lines and
`BENCH inbox_plans.<query>.ms`, plus `BENCH inbox_plans.<query>.seq_scan 0|1`.

    python benchmarks/inbox_plans.py --cases 300000

Uses its own database (BENCH_DATABASE_URL, default bangfu_bench_inbox).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_inbox")

from common import bench, setup_django  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def generate(n: int, seed: int, today: dt.date) -> dict:
    """A province of 10 counties × 15 townships × 12 villages, and `n` cases spread over them:
    two in three open (waiting for a township or the county), a third closed."""
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.cases.choices import CaseState as S
    from bangfu.cases.models import NO_DEADLINE, Case, Level
    from bangfu_testing.factories import make_id_number, region

    rng = random.Random(seed)
    province = region("340000", "安徽省")
    city = region("341100", "滁州市", province)
    villages, townships, counties = [], [], []
    for c in range(10):
        county = region(f"3411{c + 20:02d}", f"县{c}", city)
        counties.append(county)
        for t in range(15):
            township = region(f"{county.code[:6]}{t + 1:03d}", f"镇{c}-{t}", county)
            townships.append(township)
            villages += [region(f"{township.code[:9]}{v + 1:03d}", f"村{c}-{t}-{v}", township) for v in range(12)]
    open_states = [(S.SUBMITTED, Level.TOWNSHIP), (S.ACCEPTED, Level.TOWNSHIP), (S.INVESTIGATED, Level.TOWNSHIP),
                   (S.AWAITING_DECISION, Level.COUNTY)]
    batch = []
    for i in range(n):
        village = rng.choice(villages)
        if rng.random() < 1 / 3:
            state, waits, due = S.COMPLETED, "", NO_DEADLINE
        else:
            state, waits = rng.choice(open_states)
            due = today + dt.timedelta(days=rng.randint(-30, 40))
        batch.append(Case(case_type=rng.choice(["dibao", "tekun", "temporary_expenditure"]), state=state, waits_for=waits,
                          region_code=village.code, applicant_name=rng.choice(SURNAMES) + rng.choice("秀建志明丽伟芳军敏"),
                          applicant_id_number=make_id_number(area=village.code[:6], seq=rng.randint(0, 499)),
                          applied_on=today - dt.timedelta(days=60), due_date=due,
                          receipt_number=f"BF{i:010d}" if rng.random() < 0.2 else None))
        if len(batch) == 20000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    county_officer = User.objects.create(username="bench_county", role=Role.COUNTY_OFFICER, region=counties[0])
    township_officer = User.objects.create(username="bench_township", role=Role.TOWNSHIP_OFFICER, region=townships[0])
    return {"county": county_officer, "township": township_officer, "townships": townships, "villages": villages}


def plans(world: dict, today: dt.date) -> None:
    from django.db import connection

    from bangfu.cases import selectors
    from bangfu.cases.models import Case

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
    some = Case.objects.within(world["county"].region).exclude(receipt_number=None).first()
    F = selectors.InboxFilter
    queries = {
        "township_mine": (world["township"], F()),
        "county_mine": (world["county"], F()),
        "county_others_township_overdue": (world["county"], F(tab="others", township=world["townships"][3].code, overdue=True)),
        "county_others_village": (world["county"], F(tab="others", village=world["villages"][5].code)),
        "county_others_receipt": (world["county"], F(tab="others", q=some.receipt_number)),
        "county_others_id_tail": (world["county"], F(tab="others", q=some.applicant_id_number[-6:])),
        "county_others_id_whole": (world["county"], F(tab="others", q=some.applicant_id_number)),
        "county_others_name": (world["county"], F(tab="others", q=some.applicant_name)),
    }
    for name, (viewer, flt) in queries.items():
        qs = selectors.inbox_queryset(viewer, flt, today=today).only(*selectors.ROW_FIELDS).order_by("due_date", "pk")[:51]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        text = "\n".join(plan)
        print(f"--- {name}\n" + "\n".join(plan[:8]))
        bench(f"inbox_plans.{name}.seq_scan", int("Seq Scan on cases_case" in text), "bool")
        ms = float(plan[-1].split(":")[1].strip().split()[0]) if plan[-1].startswith("Execution Time") else float("nan")
        bench(f"inbox_plans.{name}.ms", ms, "ms")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--reuse", action="store_true", help="keep the migrated database; replace its cases")
    parser.add_argument("--plans-only", action="store_true", help="keep the database and its cases (after a first run)")
    args = parser.parse_args(argv)
    setup_django(fresh=not (args.reuse or args.plans_only))
    today = dt.date(2026, 12, 3)
    if args.plans_only:
        from bangfu.accounts.models import User
        from bangfu.regions.models import Region

        county, township = User.objects.get(username="bench_county"), User.objects.get(username="bench_township")
        world = {"county": county, "township": township,
                 "townships": list(Region.objects.within(county.region).filter(level=4).order_by("code")),
                 "villages": list(Region.objects.within(county.region).filter(level=5).order_by("code"))}
        plans(world, today)
        return
    if args.reuse:
        from bangfu.accounts.models import User
        from bangfu.cases.models import Case

        Case.objects.all().delete()
        User.objects.filter(username__startswith="bench_").delete()
    world = generate(args.cases, args.seed, today)
    bench("inbox_plans.cases", args.cases, "cases")
    plans(world, today)


if __name__ == "__main__":
    main()
