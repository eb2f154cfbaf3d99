"""Matching benchmark (issue 5): an N-person registry against an N-row list with 2 % errors.

Prints precision and recall of the accepted links against the truth written by synth-list
(targets: precision >= 99.5 %, recall >= 99 % of the links a careful clerk could make), the time
of the import (target: under 60 s at 1,000,000 against 1,000,000), its stages, and the same
figures for the plain peer measured in the same process: today's practice, an exact VLOOKUP of
the list's ID column against the registry's (a Polars join on the raw strings). Splink is not run
(see docs/matching.md, "Benchmark").

    python benchmarks/matching.py --persons 1000000 --rows 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from common import Timer, bench, setup_django

AVERAGE_HOUSEHOLD_SIZE = 2.95
TODAY = dt.date(2025, 6, 30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--typos", type=float, default=0.02)
    parser.add_argument("--outside", type=float, default=0.05)
    parser.add_argument("--kind", default="public_employee")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the registry of the previous run (same --persons and --seed)")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_matching")
    setup_django(fresh=not args.reuse)

    import polars as pl
    from django.db import transaction

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.matching import linkage, rules
    from bangfu.matching.kinds import KINDS
    from bangfu.matching.models import Finding, ImportBatch
    from bangfu.matching.reader import parse_fast_csv
    from bangfu.matching.selectors import registry_frame
    from bangfu.matching.services import _decisions, _write_rows
    from bangfu.matching.synth_list import score, synth_list, write_list
    from bangfu.regions.models import Region
    from bangfu.registry.synth import synthesize

    from django.db import connection

    from bangfu.registry.models import Person

    county = "340102"
    if not (args.reuse and Person.objects.exists()):
        with Timer() as t:
            synthesize(county_code=county, households=max(1, round(args.persons / AVERAGE_HOUSEHOLD_SIZE)), seed=args.seed, progress=False)
        bench("matching.synth_registry_s", t.seconds, "s")
    with connection.cursor() as cursor:  # rows of an earlier run, then statistics as after any bulk load
        for table in ("matching_finding", "matching_listrow", "matching_importbatch"):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("ANALYZE")
    registry = registry_frame()
    bench("matching.registry_persons", registry.height, "persons")

    path = Path(tempfile.mkdtemp(prefix="bangfu_match_")) / "list.csv"
    with Timer() as t:
        frame = synth_list(kind=args.kind, registry=registry, rows=args.rows, typos=args.typos, seed=args.seed, outside=args.outside, today=TODAY)
        write_list(frame, path)
    bench("matching.synth_list_s", t.seconds, "s")
    truth = pl.read_csv(path, infer_schema=False).with_row_index("row_no", offset=2).select(
        pl.col("row_no").cast(pl.Int64), pl.col("真实人员编号").cast(pl.Int64, strict=False).alias("truth"),
        pl.col("身份证号").alias("raw_id"))
    del frame, registry

    region = Region.objects.get(code=county.ljust(12, "0"))
    user, _ = User.objects.get_or_create(username="bench_matching", defaults={"role": Role.COUNTY_OFFICER, "region": region})

    # --- Bangfu: the import as list_import does it, stage by stage --------------------------------
    stages = {}
    with Timer() as total:
        with Timer() as t:
            parsed = parse_fast_csv(path, KINDS[args.kind], today=TODAY)
        stages["read"] = t.seconds
        with Timer() as t:
            registry = registry_frame()
        stages["load_registry"] = t.seconds
        with Timer() as t:
            accepted, rejected = _decisions()
            result = linkage.link(registry, parsed.frame, accepted=accepted, rejected=rejected)
        stages["link"] = t.seconds
        with Timer() as t, transaction.atomic():
            batch = ImportBatch.objects.create(kind=args.kind, source="benchmark", source_date=TODAY, region_code=region.code,
                                               loaded_by=user, mapping=parsed.mapping)
            _write_rows(batch, parsed.frame, result.links)
        stages["store_rows"] = t.seconds
        with Timer() as t, transaction.atomic():
            found = rules.batch_findings(batch, TODAY)
            Finding.objects.bulk_create(found, batch_size=5000)
        stages["findings"] = t.seconds
    figures = score(result.links, truth.select("row_no", "truth"))
    bench("matching.precision", figures["precision"] * 100, "%")
    bench("matching.recall", figures["recall"] * 100, "%")
    bench("matching.recall_incl_review", figures["recall_with_review"] * 100, "%")
    bench("matching.review_queue", figures["review"], "rows")
    bench("matching.findings", len(found), "findings")
    for name, seconds in stages.items():
        bench(f"matching.{name}_s", seconds, "s")
    for name, seconds in result.seconds.items():
        bench(f"matching.link_{name}_s", seconds, "s")
    bench("matching.candidate_pairs", result.counts.get("candidate_pairs", 0), "pairs")
    link_time = stages["read"] + stages["load_registry"] + stages["link"] + stages["store_rows"]
    bench("matching.import_without_findings_s", link_time, "s")
    bench("matching.import_total_s", total.seconds, "s")

    # --- peer: exact VLOOKUP on the raw ID column (today's practice) ------------------------------
    with Timer() as t:
        peer = truth.join(registry.select(pl.col("id_number").alias("raw_id"), "person_id"), on="raw_id", how="left")
    accepted_peer = peer.filter(pl.col("person_id").is_not_null())
    correct = accepted_peer.filter(pl.col("person_id") == pl.col("truth")).height
    linkable = truth.filter(pl.col("truth").is_not_null()).height
    peer_precision = correct / accepted_peer.height if accepted_peer.height else 1.0
    peer_recall = correct / linkable if linkable else 1.0
    bench("matching.vlookup_precision", peer_precision * 100, "%")
    bench("matching.vlookup_recall", peer_recall * 100, "%")
    bench("matching.vlookup_missed", linkable - correct, "rows")
    bench("matching.vlookup_s", t.seconds, "s")
    bench("matching.ratio_vs_vlookup", stages["link"] / max(t.seconds, 1e-9), "x")
    bench("matching.recall.ratio_vs_vlookup", figures["recall"] / peer_recall if peer_recall else float("nan"), "x")
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
