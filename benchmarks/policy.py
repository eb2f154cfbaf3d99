"""Policy benchmark (issue 3 "Done when"): with N synthetic households in PostgreSQL,

    BENCH policy.rules_only_s            the engine alone on the loaded frames (target < 5 s at 1M)
    BENCH policy.load_s                  reading the registry into the engine's tables (COPY → Polars)
    BENCH policy.reassess_s              `reassess` of the whole registry from PostgreSQL, storing the
                                         determinations and the changes (target < 90 s at 1M)
    BENCH policy.reassess_rerun_s        the same again, replacing the first run's determinations
    BENCH policy.api_assess.median_ms    one POST /api/assess (household JSON, logged-in client)
    BENCH policy.api_assess.p95_ms       (target p95 < 50 ms)
    BENCH policy.dibao.ratio_vs_openfisca  the household dibao rule in OpenFisca / ours, same data

    python benchmarks/policy.py --households 1000000          # make bench
    python benchmarks/policy.py --households 20000            # make bench-quick
    python benchmarks/policy.py --households 1000000 --reuse  # keep an already synthesized database

The households are spread over several counties of one city (as a city's overnight run would
see them), so the reassessment works county by county. The database is its own
(BENCH_DATABASE_URL, default bangfu_bench_policy) so that it does not clash with registry.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_policy")

from common import Timer, bench, median, percentile, setup_django  # noqa: E402

ON = dt.date(2025, 8, 1)
CITY = "341100"  # 滁州市: ships its own standards (730.00 rural, 790.00 urban from 2025-07-01)
COUNTIES = ("341122", "341124", "341125", "341126")


def _populated(households: int) -> bool:
    from bangfu.registry.models import Household

    return Household.objects.count() >= households


def generate(households: int, seed: int) -> None:
    from bangfu.registry.models import Household, Person
    from bangfu.synth.services import synthesize

    per_county = [households // len(COUNTIES) + (i < households % len(COUNTIES)) for i in range(len(COUNTIES))]
    with Timer() as t:
        for county, n in zip(COUNTIES, per_county, strict=True):
            if n:
                synthesize(county_code=county, households=n, seed=f"{seed}-{county}", progress=False)
    print(f"# synthesized {Household.objects.count()} households, {Person.objects.count()} persons "
          f"in {len(COUNTIES)} counties in {t.seconds:.0f} s", flush=True)
    record_current_amounts()


def record_current_amounts() -> None:
    """synth records dibao without the amount paid; give most of them one (300–1,500 yuan, spread
    by id) so that the reassessment finds raised and lowered benefits, as a real registry would."""
    from django.db import connection

    from bangfu.registry.models import Classification

    table = connection.ops.quote_name(Classification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET monthly_amount_fen = 30000 + (id * 7919) % 120000 "
                       f"WHERE kind = 'category' AND code = 'dibao' AND id % 10 <> 0")
        cursor.execute("ANALYZE")


def _user():
    from bangfu.regions.codes import RegionCode
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.regions.models import Region

    city = Region.objects.get(code=RegionCode.parse(CITY).code)
    user, _ = User.objects.get_or_create(username="bench_city", defaults={"role": Role.COUNTY_OFFICER, "region": city})
    return user


def rules_only(params) -> None:
    """Load the whole city's registry into the engine's tables once, then time the rules."""
    from bangfu.policy.engine import assess
    from bangfu.policy.loader import load_frames
    from bangfu.regions.codes import RegionCode

    gc.collect()
    with Timer() as t:
        frames = load_frames(bounds=RegionCode.parse(CITY).bounds)
    bench("policy.load_s", t.seconds, "s")
    print(f"# loaded {frames.households.height} households, {frames.persons.height} persons, "
          f"{frames.incomes.height} incomes, {frames.categories.height} categories", flush=True)
    best = float("inf")
    for _ in range(2):
        gc.collect()
        with Timer() as t:
            result = assess(frames, ON, params, explain=False)
        best = min(best, t.seconds)
    bench("policy.rules_only_s", best, "s")
    h = result.households
    print(f"# dibao eligible {h['dibao_eligible'].sum()}, changes "
          f"{dict(h.group_by('dibao_change').len().iter_rows())}", flush=True)


def reassessment(user) -> None:
    from bangfu.policy.models import BenefitChange, Determination
    from bangfu.policy.reassessment import reassess

    for label in ("reassess_s", "reassess_rerun_s"):
        gc.collect()
        with Timer() as t:
            run = reassess(acting_user=user, region_code=CITY, on=ON)
        bench(f"policy.{label}", t.seconds, "s")
        print(f"# run {run.pk}: {run.counts} — determinations {Determination.objects.count()}, "
              f"changes {BenefitChange.objects.count()}; phases {run.counts.get('seconds')}", flush=True)


DOCUMENT = {
    "region_code": "341122100201", "hukou_type": "rural",
    "members": [
        {"birth_date": "1943-05-01", "living_situation": "alone", "major_illnesses": ["uremia"]},
        {"birth_date": "1985-02-01", "disability": {"type": "physical", "grade": 1, "cert_number": "C1"}},
        {"birth_date": "2014-09-01", "enrolled": True},
    ],
    "incomes": [{"member": 2, "kind": "wage", "monthly_amount": "900.00"}],
    "expenses": [{"kind": "medical", "monthly_amount": "300.00"}],
    "emergency": {"event": "fire", "date": "2025-07-20", "loss": "5000.00"},
}


def api_assess(user, rounds: int) -> None:
    """One household through POST /api/assess as a logged-in page would call it; where the
    endpoint is not there, the same document through `engine.assess_documents`."""
    import json

    from django.test import Client

    from bangfu.policy.engine import assess_documents
    from bangfu.policy.selectors import parameter_set

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    body = json.dumps([DOCUMENT])
    path = f"/api/assess?on={ON.isoformat()}"
    probe = client.post(path, body, content_type="application/json")
    if probe.status_code == 200:
        name, call = "policy.api_assess", lambda: client.post(path, body, content_type="application/json")
    else:
        print(f"# POST /api/assess answered {probe.status_code}: timing engine.assess_documents instead", flush=True)
        params = parameter_set()
        name, call = "policy.assess_document", lambda: assess_documents([DOCUMENT], ON, params)
    for _ in range(5):
        call()
    times = []
    for _ in range(rounds):
        with Timer() as t:
            response = call()
        if name == "policy.api_assess":
            assert response.status_code == 200, response.status_code
        times.append(t.seconds * 1000)
    bench(f"{name}.median_ms", median(times), "ms")
    bench(f"{name}.p95_ms", percentile(times, 0.95), "ms")


def openfisca_ratio(households: int, rounds: int) -> None:
    """The household dibao rule, ours against OpenFisca, on the engine benchmark's synthetic frames
    (benchmarks/policy_engine_bench.py), in this process."""
    import numpy as np

    import policy_engine_bench as peb
    from bangfu.policy.engine import dibao_only
    from bangfu.policy.parameters import default_parameter_set

    try:
        import openfisca_core  # noqa: F401
    except ImportError as exc:
        print(f"# OpenFisca peer skipped: {exc} (pip install -e '.[bench]')", flush=True)
        return
    params = default_parameter_set()
    frames = peb.synthetic(households)
    t_ours, ours = peb.timed(lambda: dibao_only(frames, peb.ON, params), rounds)
    system, period = peb.openfisca_system(params, peb.ON)

    def openfisca():
        std = peb.standards_by_household(frames, params)
        return peb.run_openfisca(system, period, peb.openfisca_inputs(frames, std))

    t_of, amounts = peb.timed(openfisca, rounds)
    of_fen = np.round(amounts * 100).astype(np.int64)
    same = float(np.mean((of_fen > 0) == ours.sort("household_id")["dibao_eligible"].to_numpy()))
    print(f"# dibao rule: ours {t_ours:.3f} s, OpenFisca {t_of:.3f} s for {households} households; "
          f"same eligibility for {same:.4%}", flush=True)
    bench("policy.dibao.ratio_vs_openfisca", t_of / t_ours, "x")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=200, help="POST /api/assess requests")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the households")
    parser.add_argument("--no-openfisca", action="store_true")
    parser.add_argument("--only-data", action="store_true", help="synthesize the households and stop")
    args = parser.parse_args(argv)
    url = setup_django(fresh=not args.reuse)
    print(f"# policy benchmark on {url.split('@')[-1]}: {args.households} households", flush=True)
    if not args.reuse:
        generate(args.households, args.seed)
    elif not _populated(args.households):
        sys.exit(f"{url} holds fewer than {args.households} households: run without --reuse")
    if args.only_data:
        return
    from bangfu.policy.selectors import parameter_set

    user = _user()
    rules_only(parameter_set())
    reassessment(user)
    api_assess(user, args.rounds)
    if not args.no_openfisca:
        openfisca_ratio(args.households, rounds=2 if args.households >= 500_000 else 3)


if __name__ == "__main__":
    main()
