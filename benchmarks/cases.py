"""Cases benchmark (issue 4): inbox and overdue-list response times with N open cases (target p95
under 150 ms with 100,000), and the throughput of `due_review_cases_open` — review cases for every
benefit due in a county of `--persons` persons — beside opening them one by one through the
per-case service (the peer, on a sample).

    python benchmarks/cases.py --persons 1000000 --share 0.3 --open-cases 100000 --rounds 40

Uses its own database (BENCH_DATABASE_URL, default bangfu_bench_cases).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_cases")

from common import Timer, bench, median, percentile, setup_django  # noqa: E402

AVERAGE_HOUSEHOLD_SIZE = 2.95
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ["秀英", "桂英", "建国", "志强", "明", "丽", "伟", "芳", "军", "敏"]


def generate(persons: int, county: str, share: float, seed: int, today: dt.date):
    """Synthetic households (bangfu.synth), then dibao benefits for `share` of them,
    bulk-created directly; four in five are due for review by `today`."""
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.benefits.choices import BenefitStatus, Programme
    from bangfu.benefits.models import Benefit
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household
    from bangfu.synth.services import synthesize

    synthesize(county_code=county, households=max(1, round(persons / AVERAGE_HOUSEHOLD_SIZE)), seed=seed, progress=False)
    county_region = Region.objects.get(code=RegionCode.parse(county).code)
    actor, _ = User.objects.get_or_create(username="bench_county",
                                          defaults={"role": Role.COUNTY_OFFICER, "region": county_region})
    rng = random.Random(seed)
    households = list(Household.objects.filter(region_code__startswith=county).values_list("pk", "region_code"))
    chosen = rng.sample(households, int(len(households) * share))
    for start in range(0, len(chosen), 20000):
        Benefit.objects.bulk_create([
            Benefit(household_id=pk, region_code=code, programme=Programme.DIBAO, status=BenefitStatus.ACTIVE,
                    monthly_amount_fen=rng.randint(100, 900) * 100, start_month=dt.date(2024, 1, 1), review_class="A",
                    next_review_date=today + dt.timedelta(days=rng.randint(-120, 30 if rng.random() < 0.8 else 400)))
            for pk, code in chosen[start:start + 20000]], batch_size=5000)
    bench("cases.households", len(households), "households")
    bench("cases.benefits", len(chosen), "benefits")
    return actor, households


def open_reviews_throughput(actor, today: dt.date, peer_sample: int) -> int:
    from django.db import transaction

    from bangfu.benefits.models import Benefit
    from bangfu.benefits.selectors import reviews_due_within
    from bangfu.cases import services
    from bangfu.cases.models import Case

    due = list(reviews_due_within(actor.region, as_of=today).values_list("pk", flat=True))
    # the peer: one service call (one transaction) per benefit, on the first `peer_sample`
    sample = due[:peer_sample]
    with Timer() as t_peer:
        for pk in sample:
            services.review_cases_open(acting_user=actor, benefit_ids=[pk], today=today)
    peer_rate = len(sample) / t_peer.seconds if sample else float("nan")
    with transaction.atomic():
        Case.objects.filter(benefit_id__in=sample).delete()  # the bulk run opens them again
    import cProfile
    import pstats

    prof = cProfile.Profile() if os.environ.get("BENCH_PROFILE_CASES") else None
    with Timer() as t:
        if prof:
            prof.enable()
        opened = services.due_review_cases_open(acting_user=actor, as_of=today, today=today)
        if prof:
            prof.disable()
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    rate = opened / t.seconds
    bench("cases.open_due_reviews_cases", opened, "cases")
    bench("cases.open_due_reviews_s", t.seconds, "s")
    bench("cases.open_due_reviews_per_s", rate, "cases/s")
    bench("cases.open_reviews_one_by_one_per_s", peer_rate, "cases/s")
    bench("cases.open_due_reviews.ratio_vs_one_by_one", rate / peer_rate, "x")
    assert Benefit.objects.count() >= opened
    return opened


def top_up_open_cases(target: int, households, today: dt.date, seed: int) -> int:
    """Application cases in every open state, to reach `target` open cases."""
    from bangfu.cases.choices import FINAL_STATES, CaseState as S, CaseType as T
    from bangfu.cases.models import Case, Level
    from bangfu.cases.transitions import waiting_level
    from bangfu.regions.codes import COUNTY, RegionCode

    have = Case.objects.exclude(state__in=FINAL_STATES).count()
    need = max(0, target - have)
    rng = random.Random(seed)
    states = [S.SUBMITTED, S.DOCUMENTS_REQUESTED, S.ACCEPTED, S.INVESTIGATING, S.INVESTIGATED, S.NOTICE,
              S.AWAITING_DECISION, S.REJECTED]
    types = [T.DIBAO, T.DIBAO, T.DIBAO, T.TEKUN, T.TEMPORARY_EXPENDITURE]
    for start in range(0, need, 20000):
        rows = []
        for _ in range(min(20000, need - start)):
            pk, code = rng.choice(households)
            due = today + dt.timedelta(days=rng.randint(-40, 40))
            case_type, state = rng.choice(types), rng.choice(states)
            if case_type == T.TEMPORARY_EXPENDITURE and state == S.NOTICE:
                state = S.AWAITING_DECISION  # no public notice for temporary assistance
            decider = Level.TOWNSHIP if rng.random() < 0.2 else Level.COUNTY
            rows.append(Case(case_type=case_type, state=state, region_code=code, household_id=pk,
                             applicant_name=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),  # entered cases carry one
                             applicant_id_number=f"{RegionCode(code).ancestor(COUNTY).short}19{rng.randint(40, 99)}{rng.randint(101, 1228):04d}{rng.randint(0, 9999):04d}",
                             applied_on=today - dt.timedelta(days=30), accepted_on=today - dt.timedelta(days=20),
                             step_deadline=due, overall_deadline=due + dt.timedelta(days=20), due_date=due,
                             decider_level=decider, waits_for=waiting_level(case_type, state, decider)))
        Case.objects.bulk_create(rows, batch_size=5000)
    open_now = Case.objects.exclude(state__in=FINAL_STATES).count()
    bench("cases.open_cases", open_now, "cases")
    return open_now


_NEXT_AFTER = re.compile(r'href="\?after=([0-9-]+_[0-9]+)"')
_OFFICE = re.compile(r'href="\?office=([0-9]{12})"')


def pages(county: str, rounds: int, seed: int) -> None:
    """Inbox (first page and keyset pages) and overdue list, as a township and a county officer
    see them, through the full Django stack (test client: middleware, session, auth, view, template).

    The keyset cursor and the office links are read off the HTML: the test environment's
    instrumented template rendering (for `response.context`) copies every context on every render,
    a cost production does not have."""
    from bangfu.regions.codes import RegionCode
    from django.db import connection
    from django.test import Client

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.regions.models import Region

    with connection.cursor() as cursor:
        # Bulk-loaded rows have no visibility map yet; autovacuum (off on some development
        # clusters) sets it on a table in service, which index-only scans rely on.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    rng = random.Random(seed)
    townships = list(Region.objects.filter(code__startswith=county, level=4).order_by("code"))
    county_region = Region.objects.get(code=RegionCode.parse(county).code)
    users = [User.objects.get_or_create(username="bench_county_officer",
                                        defaults={"role": Role.COUNTY_OFFICER, "region": county_region})[0]]
    for i, t in enumerate(townships[:5]):
        users.append(User.objects.get_or_create(username=f"bench_township_{i}",
                                                defaults={"role": Role.TOWNSHIP_OFFICER, "region": t})[0])
    clients = []
    for u in users:
        c = Client(HTTP_HOST="127.0.0.1")
        c.force_login(u)
        c.get("/cases/")  # warm (templates, URL resolver, connection)
        c.get("/cases/overdue/")
        clients.append(c)
    inbox_times, paging_times, overdue_times, overdue_office_times = [], [], [], []
    for _ in range(rounds):
        c = rng.choice(clients)
        with Timer() as t:
            r = c.get("/cases/")
        assert r.status_code == 200
        inbox_times.append(t.seconds * 1000)
        after = _NEXT_AFTER.search(r.content.decode())
        for _page in range(3):
            if not after:
                break
            with Timer() as t:
                r = c.get("/cases/", {"after": after.group(1)})
            assert r.status_code == 200
            paging_times.append(t.seconds * 1000)
            after = _NEXT_AFTER.search(r.content.decode())
        with Timer() as t:
            r = c.get("/cases/overdue/")
        assert r.status_code == 200
        overdue_times.append(t.seconds * 1000)
        offices = _OFFICE.findall(r.content.decode())
        if offices:
            with Timer() as t:
                r = c.get("/cases/overdue/", {"office": rng.choice(offices)})
            assert r.status_code == 200
            overdue_office_times.append(t.seconds * 1000)
    for name, times in (("inbox", inbox_times), ("inbox_paging", paging_times), ("overdue", overdue_times),
                        ("overdue_office", overdue_office_times)):
        if times:
            bench(f"cases.{name}.n", len(times), "requests")
            bench(f"cases.{name}.median_ms", median(times), "ms")
            bench(f"cases.{name}.p95_ms", percentile(times, 0.95), "ms")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--share", type=float, default=0.3, help="share of households with a dibao benefit")
    parser.add_argument("--open-cases", type=int, default=100_000)
    parser.add_argument("--peer-sample", type=int, default=500, help="benefits opened one by one for the peer")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--county", default="341122")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the benchmark database from an earlier run of the same size (pages only)")
    args = parser.parse_args(argv)
    url = setup_django(fresh=not args.reuse)
    print(f"# cases benchmark on {url.split('@')[-1]}: {args.persons} persons, {args.open_cases} open cases", flush=True)
    from django.utils import timezone

    from bangfu.regions.services import national_divisions_load

    national_divisions_load()
    today = timezone.localdate()
    if args.reuse:
        from bangfu.cases.choices import FINAL_STATES
        from bangfu.cases.models import Case

        bench("cases.open_cases", Case.objects.exclude(state__in=FINAL_STATES).count(), "cases")
        pages(args.county, args.rounds, args.seed)
        return
    actor, households = generate(args.persons, args.county, args.share, args.seed, today)
    open_reviews_throughput(actor, today, args.peer_sample)
    top_up_open_cases(args.open_cases, households, today, args.seed)
    pages(args.county, args.rounds, args.seed)


if __name__ == "__main__":
    main()
