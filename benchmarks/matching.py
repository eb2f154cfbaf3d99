"""Matching benchmark (issue 5): an N-person registry against an N-row list with 2 % errors.

Prints precision and recall of the accepted links against the truth written by synth-list
(targets: precision >= 99.5 %, recall >= 99 % of the links a careful clerk could make), the time
of the import (target: under 60 s at 1,000,000 against 1,000,000), its stages, and the same
figures for the plain peer measured in the same process: today's practice, an exact VLOOKUP of
the list's ID column against the registry's (a Polars join on the raw strings). With
--splink-rows S (default 100,000; 0 to skip), Splink on DuckDB links the first S rows of the list
against S registry persons (those rows' true persons plus others), and Bangfu links the same
sample in the same process: `BENCH matching.<figure>.ratio_vs_splink` lines for time and recall.
Splink gets pinyin keys computed outside DuckDB (names.pinyin_key), whose string distances count
bytes, not Chinese characters.

The list of that run carries issue 5's errors only (synth_list.CLASSIC), so that its figures
compare with earlier runs. Issue 12's damage is measured apart (`damage_run`, --damage-rows R,
default 20,000; 0 to skip): R rows with 30 % of them damaged once each, uniformly over every
damage kind real department files carry (synth_list.DAMAGES: Excel floats, full-width digits,
apostrophe, lower-case x, spaces, traditional characters, minority-name separators, 15-digit
IDs, homophones, look-alikes, typos, missing IDs), outsiders included, once with and once without
a birth-date column: `BENCH matching.damage.<kind>.<with_birth|without_birth>.<figure>` and
`BENCH matching.damaged.<shape>.<figure>` (precision, recall, recall_with_review, review_share,
outsiders_autolinked, crashes). A crash of reading or linkage is caught and counted per kind
(`BENCH matching.damage.<kind>.crashes`), never ends the benchmark.

    python benchmarks/matching.py --persons 1000000 --rows 1000000 --damage-rows 200000
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
    parser.add_argument("--splink-rows", type=int, default=100000, help="sample size for the Splink peer; 0 to skip")
    parser.add_argument("--damage-rows", type=int, default=20000, help="rows of the damaged lists (issue 12); 0 to skip")
    parser.add_argument("--damage-typos", type=float, default=0.30, help="share of the damaged lists' registry rows with one damage")
    parser.add_argument("--reuse", action="store_true", help="keep the registry of the previous run (same --persons and --seed)")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_matching")
    setup_django(fresh=not args.reuse)

    import polars as pl
    from django.db import transaction

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.matching import bulkwrite, linkage, rules
    from bangfu.matching.kinds import KINDS
    from bangfu.matching.models import ImportBatch
    from bangfu.matching.reader import parse_fast_csv
    from bangfu.matching.selectors import registry_frame
    from bangfu.matching.services import _decisions, _write_rows
    from bangfu.matching.synth_list import CLASSIC, score, synth_list, write_list
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu.synth.services import synthesize

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
        # issue 5's errors only, so that these figures compare with earlier runs; the damage real
        # files carry is measured apart (damage_run)
        frame = synth_list(kind=args.kind, registry=registry, rows=args.rows, typos=args.typos, seed=args.seed, outside=args.outside,
                           today=TODAY, damage=CLASSIC)
        write_list(frame, path)
    bench("matching.synth_list_s", t.seconds, "s")
    truth = pl.read_csv(path, infer_schema=False).with_row_index("row_no", offset=2).select(
        pl.col("row_no").cast(pl.Int64), pl.col("真实人员编号").cast(pl.Int64, strict=False).alias("truth"),
        pl.col("身份证号").alias("raw_id"))
    del frame, registry

    region = Region.objects.get(code=RegionCode.parse(county).code)
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
            result = linkage.link(registry, parsed.frame, accepted=accepted, rejected=rejected, area=region.code)
        stages["link"] = t.seconds
        with Timer() as t, transaction.atomic():
            batch = ImportBatch.objects.create(kind=args.kind, source="benchmark", source_date=TODAY, region_code=region.code,
                                               loaded_by=user, mapping=parsed.mapping)
            _write_rows(batch, parsed.frame, result.links)
        stages["store_rows"] = t.seconds
        with transaction.atomic():
            with Timer() as t:
                drafts = rules.batch_findings(batch, TODAY)
            stages["findings_rules"] = t.seconds
            with Timer() as t:
                found = bulkwrite.write_findings(batch, drafts)
            stages["findings_write"] = t.seconds
        stages["findings"] = stages["findings_rules"] + stages["findings_write"]
    figures = score(result.links, truth.select("row_no", "truth"))
    bench("matching.precision", figures["precision"] * 100, "%")
    bench("matching.recall", figures["recall"] * 100, "%")
    bench("matching.recall_incl_review", figures["recall_with_review"] * 100, "%")
    bench("matching.review_queue", figures["review"], "rows")
    bench("matching.findings", found, "findings")
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
    # the peer's time over ours: below 1 here, since a bare VLOOKUP is faster and misses what we find
    bench("matching.link.ratio_vs_vlookup", t.seconds / max(stages["link"], 1e-9), "x")
    bench("matching.recall.ratio_vs_vlookup", figures["recall"] / peer_recall if peer_recall else float("nan"), "x")
    if args.damage_rows > 0:
        damage_run(registry, area=region.code, rows=args.damage_rows, typos=args.damage_typos, seed=args.seed, kind=args.kind,
                   outside=args.outside, folder=path.parent)
    if args.splink_rows > 0:
        splink_peer(parsed.frame, registry, truth, min(args.splink_rows, parsed.frame.height), seed=args.seed)
    path.unlink(missing_ok=True)


def _read_and_link(path, registry, kind: str, area: str):
    """The import's reading and linkage of one csv, as list_import does them (`area`: the importing
    county officer's region)."""
    from bangfu.matching import linkage
    from bangfu.matching.kinds import KINDS
    from bangfu.matching.reader import parse_fast_csv

    parsed = parse_fast_csv(path, KINDS[kind], today=TODAY)
    return linkage.link(registry, parsed.frame, area=area).links


def damage_run(registry, *, area: str, rows: int, typos: float, seed: int, kind: str, outside: float, folder: Path) -> None:
    """Issue 12: lists damaged the way real department files are. `rows` rows, a share `typos` of
    the rows with one damage each (outsiders too), drawn uniformly over every kind, once with and once
    without a birth-date column; the registry gets 2 % minority names (阿依古丽·买买提) so that
    separator damage has names to work on. Figures per damage kind and list shape (see
    docs/matching.md section 五 for what counts as findable). A failure of reading or linkage is
    caught: the list is then read and linked kind by kind (outsiders apart), and each part that
    fails counts one crash for its damage kind (its rows count as not linked)."""
    import sys
    from collections import Counter

    import polars as pl

    from bangfu.matching.linkage import REGISTRY_SCHEMA
    from bangfu.matching.synth_list import DAMAGES, ERROR_COLUMN, TRUTH_COLUMN, findable, score_by_kind, synth_list, with_minority_names, write_list

    registry = with_minority_names(registry.select(list(REGISTRY_SCHEMA)), share=0.02, seed=seed)
    crashes_by_kind: Counter = Counter()
    for shape, without in (("with_birth", ()), ("without_birth", ("birth_date",))):
        frame = synth_list(kind=kind, registry=registry, rows=rows, typos=typos, seed=seed, outside=outside, today=TODAY, without=without,
                           damage_outside=True)
        frame = frame.with_columns(pl.col(ERROR_COLUMN).fill_null(""))
        truth = frame.with_row_index("row_no", offset=2).select(
            pl.col("row_no").cast(pl.Int64), pl.col(TRUTH_COLUMN).cast(pl.Int64, strict=False).alias("truth"),
            pl.col(ERROR_COLUMN).alias("kind"), findable(frame, registry).alias("findable"))
        path = folder / f"damaged_{shape}.csv"
        write_list(frame, path)
        crashes: Counter = Counter()
        with Timer() as t:
            try:
                links = _read_and_link(path, registry, kind, area)
            except Exception as exc:  # measured, not hidden: the run goes on kind by kind
                print(f"# matching damage {shape}: the whole list failed: {type(exc).__name__}: {exc}"[:300], file=sys.stderr)
                parts = []
                numbered = frame.with_row_index("row_no", offset=2).with_columns(pl.col("row_no").cast(pl.Int64))
                for part_kind in sorted(set(frame[ERROR_COLUMN])):  # "", a kind, "outside", "outside:<kind>"
                    part = numbered.filter(pl.col(ERROR_COLUMN) == part_kind)
                    part_path = folder / f"damaged_{shape}_{part_kind.replace(':', '_') or 'clean'}.csv"
                    write_list(part.drop("row_no"), part_path)
                    back = part.select(pl.col("row_no").alias("orig"), pl.int_range(2, part.height + 2, dtype=pl.Int64).alias("row_no"))
                    try:
                        got = _read_and_link(part_path, registry, kind, area)
                    except Exception as part_exc:
                        # a damaged outsider's crash is its damage kind's
                        crashes[part_kind.removeprefix("outside:") or "clean"] += 1
                        print(f"# matching damage {shape} {part_kind or 'clean'}: {type(part_exc).__name__}: {part_exc}"[:300], file=sys.stderr)
                        continue
                    finally:
                        part_path.unlink(missing_ok=True)
                    parts.append(got.join(back, on="row_no").drop("row_no").rename({"orig": "row_no"}))
                links = pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame(
                    schema={"row_no": pl.Int64, "person_id": pl.Int64, "link_status": pl.String})
        path.unlink(missing_ok=True)
        bench(f"matching.damaged.{shape}.read_and_link_s", t.seconds, "s")
        figures = score_by_kind(links, truth)
        for name in ("clean", *DAMAGES, "outside"):
            f = figures.get(name)
            if f is None:
                continue
            prefix = f"matching.damage.{name}.{shape}"
            bench(f"{prefix}.rows", f["rows"], "rows")
            if name == "outside":
                bench(f"{prefix}.autolinked", f["autolinked"] * 100, "%")
            else:
                bench(f"{prefix}.findable", f["findable"], "rows")
                bench(f"{prefix}.precision", f["precision"] * 100 if f["accepted"] else float("nan"), "%")
                bench(f"{prefix}.recall", f["recall"] * 100, "%")
                bench(f"{prefix}.recall_with_review", f["recall_with_review"] * 100, "%")
            bench(f"{prefix}.review_share", f["review_share"] * 100, "%")
            if "outsiders" in f:  # strangers carrying this damage
                bench(f"{prefix}.outsiders_autolinked", f["outsiders_autolinked"] * 100, "%")
            bench(f"{prefix}.crashes", crashes[name], "count")
        damaged = figures["all"]
        bench(f"matching.damaged.{shape}.precision", damaged["precision"] * 100, "%")
        bench(f"matching.damaged.{shape}.recall", damaged["recall"] * 100, "%")
        bench(f"matching.damaged.{shape}.recall_with_review", damaged["recall_with_review"] * 100, "%")
        bench(f"matching.damaged.{shape}.review_share", damaged["review_share"] * 100, "%")
        bench(f"matching.damaged.{shape}.outsiders_autolinked", figures.get("outside", {}).get("autolinked", 0.0) * 100, "%")
        bench(f"matching.damaged.{shape}.crashes", sum(crashes.values()), "count")
        crashes_by_kind.update(crashes)
    for name in ("clean", *DAMAGES):
        bench(f"matching.damage.{name}.crashes", crashes_by_kind[name], "count")


def splink_peer(rows, registry, truth, size: int, *, seed: int) -> None:
    """Splink (DuckDB) and Bangfu on the same sample: `size` list rows against `size` persons."""
    import polars as pl
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl
    from splink.backends.duckdb import DuckDBAPI
    from splink.internals.linker import Linker

    from bangfu.matching import linkage
    from bangfu.matching.names import pinyin_keys
    from bangfu.matching.synth_list import score

    sample = rows.head(size)
    wanted = sample.join(truth.select("row_no", "truth"), on="row_no").get_column("truth").drop_nulls().unique().to_list()
    others = registry.filter(~pl.col("person_id").is_in(wanted)).sample(n=max(0, size - len(wanted)), seed=seed)
    reg = pl.concat([registry.filter(pl.col("person_id").is_in(wanted)), others])
    sample_truth = truth.filter(pl.col("row_no").is_in(sample.get_column("row_no").to_list()))

    with Timer() as t:
        ours = linkage.link(reg, sample)
    ours_fig = score(ours.links, sample_truth.select("row_no", "truth"))

    with Timer() as ts:
        def features(frame, uid):  # pinyin outside DuckDB; ID numbers stay strings
            return frame.select(
                pl.col(uid).alias("unique_id"), pl.col("id_number"), pl.col("name"),
                pl.Series("name_py", pinyin_keys(frame.get_column("name").fill_null("").to_list())),
                pl.col("birth_date").cast(pl.String), pl.col("sex"),
            ).to_arrow()

        left = features(reg, "person_id")
        right = features(sample.with_columns(pl.coalesce("id_number", "id_clean").alias("id_number")), "row_no")
        settings = SettingsCreator(
            link_type="link_only",
            blocking_rules_to_generate_predictions=[block_on("id_number"), block_on("birth_date", "sex"), block_on("name_py", "sex")],
            comparisons=[cl.LevenshteinAtThresholds("id_number", [1, 2]), cl.JaroWinklerAtThresholds("name_py", [0.92, 0.85]),
                         cl.ExactMatch("birth_date"), cl.ExactMatch("sex")],
        )
        db = DuckDBAPI()
        linker = Linker([db.register(left, dataset_display_name="registry"), db.register(right, dataset_display_name="list")],
                        settings, log_level=40)
        linker.training.estimate_probability_two_random_records_match([block_on("id_number")], recall=0.95)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date", "sex"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_number"))
        pairs = pl.from_arrow(linker.inference.predict(threshold_match_probability=0.5).as_pyarrow_table())
        left_is_list = pl.col("source_dataset_l") == "list"
        pairs = pairs.select(
            pl.when(left_is_list).then(pl.col("unique_id_l")).otherwise(pl.col("unique_id_r")).cast(pl.Int64).alias("row_no"),
            pl.when(left_is_list).then(pl.col("unique_id_r")).otherwise(pl.col("unique_id_l")).cast(pl.Int64).alias("person_id"),
            "match_probability")
        best = pairs.sort("match_probability", descending=True).group_by("row_no", maintain_order=True).first()
        links = best.with_columns(
            pl.when(pl.col("match_probability") >= 0.9).then(pl.lit("accepted")).otherwise(pl.lit("review")).alias("link_status"))
    theirs = score(links, sample_truth.select("row_no", "truth"))
    bench("matching.splink_sample_rows", size, "rows")
    bench("matching.splink_pairs", pairs.height, "pairs")
    bench("matching.splink_precision", theirs["precision"] * 100, "%")
    bench("matching.splink_recall", theirs["recall"] * 100, "%")
    bench("matching.splink_s", ts.seconds, "s")
    bench("matching.sample_precision", ours_fig["precision"] * 100, "%")
    bench("matching.sample_recall", ours_fig["recall"] * 100, "%")
    bench("matching.sample_link_s", t.seconds, "s")
    bench("matching.link.ratio_vs_splink", ts.seconds / max(t.seconds, 1e-9), "x")  # Splink's time over ours
    bench("matching.recall.ratio_vs_splink", ours_fig["recall"] / theirs["recall"] if theirs["recall"] else float("nan"), "x")
    bench("matching.precision.ratio_vs_splink", ours_fig["precision"] / theirs["precision"] if theirs["precision"] else float("nan"), "x")


if __name__ == "__main__":
    main()
