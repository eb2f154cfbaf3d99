"""Reports benchmark (issue 16): the monthly statistics (统计月报) of one county and of the province
that holds it, from synthetic data with 24 months of history — dibao benefits granted, changed and
stopped across the months, tekun persons with basic and care parts, temporary assistance, each
county's payroll for the month (built by the payments service, 98% of its lines then marked paid)
and cases applied, decided and pending across the months.

    python benchmarks/reports.py --persons 1000000 --counties 5    # the issue's target: province < 5 s

The peer is the same figures (dibao households and persons per township) counted by a loop over
the benefits and their members in Python, timed on the county. Uses its own database
(BENCH_DATABASE_URL, default bangfu_bench_reports).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_reports")

from common import Timer, bench, median, setup_django  # noqa: E402

AVERAGE_HOUSEHOLD_SIZE = 2.95


def generate(county: str, persons: int, share: float, seed: int, month: dt.date, actor) -> None:
    """One county: households (bangfu.synth), `share` of them on dibao granted 1–24 months before
    `month` (a third changed since, a tenth stopped), 2% of heads on tekun, 1% of households given
    temporary assistance in the month, and cases for 5% of households across 24 months."""
    from bangfu.benefits.choices import BenefitStatus, ChangeKind, OneOffKind, Programme, SupportMode
    from bangfu.benefits.models import Benefit, BenefitAmount, OneOffPayment
    from bangfu.cases.models import Case
    from bangfu.common.months import add_months
    from bangfu.regions.codes import RegionCode
    from bangfu.registry.models import Household
    from bangfu.synth.services import synthesize

    synthesize(county_code=county, households=max(1, round(persons / AVERAGE_HOUSEHOLD_SIZE)), seed=seed, progress=False)
    rng = random.Random(seed)
    households = list(Household.objects.within(RegionCode.parse(county)).filter(head__isnull=False)
                      .values_list("pk", "region_code", "head_id"))
    chosen = rng.sample(households, int(len(households) * share))
    tekun = rng.sample(households, int(len(households) * 0.02))
    for first in range(0, len(chosen), 20000):
        benefits, plans = [], []
        for pk, code, _head in chosen[first:first + 20000]:
            start = add_months(month, -rng.randint(0, 24))
            amount = rng.randint(100, 900) * 100
            end = add_months(start, rng.randint(0, 12)) if rng.random() < 0.1 else None
            change = add_months(start, rng.randint(1, 6)) if rng.random() < 0.33 else None
            benefits.append(Benefit(household_id=pk, region_code=code, programme=Programme.DIBAO,
                                    status=BenefitStatus.STOPPED if end else BenefitStatus.ACTIVE, monthly_amount_fen=amount,
                                    start_month=start, end_month=end, review_class="A"))
            plans.append((amount, change, end))
        Benefit.objects.bulk_create(benefits, batch_size=5000)
        rows = []
        for b, (amount, change, end) in zip(benefits, plans, strict=True):
            decided = add_months(b.start_month, -1)
            last = end
            if change and (end is None or change <= end):
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT,
                                          amount_fen=amount, from_month=b.start_month, to_month=add_months(change, -1),
                                          decided_by=actor, decided_on=decided))
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.RAISE,
                                          amount_fen=amount + 5000, from_month=change, to_month=last, decided_by=actor,
                                          decided_on=add_months(change, -1)))
            else:
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT,
                                          amount_fen=amount, from_month=b.start_month, to_month=last, decided_by=actor,
                                          decided_on=decided))
            if end:
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.STOP,
                                          amount_fen=0, from_month=add_months(end, 1), decided_by=actor, decided_on=end))
        BenefitAmount.objects.bulk_create(rows, batch_size=5000)
    t_benefits = [Benefit(household_id=pk, person_id=head, region_code=code, programme=Programme.TEKUN, status=BenefitStatus.ACTIVE,
                          monthly_amount_fen=100000, start_month=add_months(month, -rng.randint(0, 24)), review_class="A",
                          support_mode=rng.choice([SupportMode.DISPERSED, SupportMode.INSTITUTIONAL]))
                  for pk, code, head in tekun]
    Benefit.objects.bulk_create(t_benefits, batch_size=5000)
    BenefitAmount.objects.bulk_create([BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT,
                                                     amount_fen=100000, basic_fen=70000, care_fen=30000, from_month=b.start_month,
                                                     decided_by=actor, decided_on=b.start_month) for b in t_benefits], batch_size=5000)
    OneOffPayment.objects.bulk_create([OneOffPayment(household_id=pk, region_code=code, kind=rng.choice(OneOffKind.values),
                                                     amount_fen=rng.randint(5, 50) * 10000, approved_on=month + dt.timedelta(days=rng.randint(0, 27)),
                                                     month=month, created_by=actor)
                                       for pk, code, _head in rng.sample(households, int(len(households) * 0.01))], batch_size=5000)
    cases = []
    for pk, code, _head in rng.sample(households, int(len(households) * 0.05)):
        applied = add_months(month, -rng.randint(0, 23)) + dt.timedelta(days=rng.randint(0, 27))
        decided = applied + dt.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.8 else None
        cases.append(Case(case_type=rng.choice(["dibao", "tekun", "temporary_emergency", "review"]), region_code=code, household_id=pk,
                          applied_on=applied, accepted_on=applied, decided_on=decided,
                          state=("approved" if rng.random() < 0.8 else "closed_rejected") if decided else "investigating",
                          overall_deadline=applied + dt.timedelta(days=45)))
    Case.objects.bulk_create(cases, batch_size=5000)


def python_loop(county, month: dt.date) -> float:
    """The peer: dibao households and persons per township by a loop over the county's benefits
    and their households' members, read row by row. Seconds."""
    from collections import Counter

    from bangfu.benefits.models import Benefit
    from bangfu.registry.models import Membership

    households, persons = Counter(), Counter()
    with Timer() as t:
        for b in Benefit.objects.within(county).filter(programme="dibao").iterator(chunk_size=2000):
            if b.pays_in(month):
                town = county.__class__(b.region_code).township.code
                households[town] += 1
                persons[town] += Membership.objects.filter(household_id=b.household_id, end_date__isnull=True).count()
    return t.seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons in the province (spread over --counties)")
    parser.add_argument("--counties", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.3, help="share of households on dibao")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true", help="skip the Python-loop peer")
    args = parser.parse_args(argv)
    url = setup_django(fresh=True)
    print(f"# reports benchmark on {url.split('@')[-1]}: {args.persons} persons in {args.counties} counties", flush=True)
    from django.db import connection
    from django.db.models.functions import Mod

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.common.months import month_of, previous_month
    from bangfu.payments import services
    from bangfu.payments.models import PayrollLine
    from bangfu.regions.codes import COUNTY, RegionCode
    from bangfu.regions.models import Region
    from bangfu.regions.services import national_divisions_load
    from bangfu.reports.monthly import monthly_report

    national_divisions_load()
    province = RegionCode.parse("340000")
    counties = list(Region.objects.within(province).filter(level=COUNTY).order_by("code").values_list("code", flat=True)[:args.counties])
    month = previous_month(month_of(dt.date.today()))
    actor, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER,
                                                                               "region": Region.objects.get(code=province.code)})
    with Timer() as t:
        for i, code in enumerate(counties):
            generate(code, args.persons // len(counties), args.share, args.seed + i, month, actor)
        for code in counties:
            payroll, _built = services.payroll_build(acting_user=actor, county_code=code, month=month)
            PayrollLine.objects.filter(payroll=payroll).update(status="paid")
            PayrollLine.objects.filter(payroll=payroll).annotate(r=Mod("id", 50)).filter(r=0).update(status="failed")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"# data and payrolls in {t.seconds:.0f} s", flush=True)
    county = RegionCode(counties[0])
    county_times, province_times = [], []
    for _round in range(args.rounds):
        with Timer() as t:
            report = monthly_report(county, month)
        county_times.append(t.seconds)
        with Timer() as t:
            whole = monthly_report(province, month)
        province_times.append(t.seconds)
    bench("reports.dibao_households_province", sum(whole.total.value(f"dibao_{h}_households") for h in ("urban", "rural")), "households")
    bench("reports.dibao_persons_province", sum(whole.total.value(f"dibao_{h}_persons") for h in ("urban", "rural")), "persons")
    bench("reports.monthly_county_s", median(county_times), "s")
    bench("reports.monthly_province_s", median(province_times), "s")
    if not args.no_peer:
        peer = python_loop(county, month)
        bench("reports.python_loop_county_s", peer, "s")
        bench("reports.monthly_county.ratio_vs_python_loop", peer / median(county_times), "x")
    del report


if __name__ == "__main__":
    main()
