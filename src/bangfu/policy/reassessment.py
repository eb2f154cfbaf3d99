"""Batch reassessment (issue 3 `bangfu reassess`; R11 dibao, R14 supplements, R16 dynamic
management): judge every active household of a region subtree from the registry, store one
`Determination` per household and a `BenefitChange` for each household whose dibao changes
against what it now receives, for the case workflow to act on.

The work goes county by county (architecture.md "Scale": batch work runs per county): each
county's rows are read into the engine's tables (`loader.load_frames`, COPY → Polars on
PostgreSQL), judged by the pure engine without reasons, and written back in one transaction per
county: the county's earlier determinations are deleted, the new ones written, the changes
still open from earlier runs there marked superseded and the new changes written. So a failure
leaves every county either as it was or fully updated, memory is bounded by the largest county,
and the determinations table holds one row per household (the latest run's). On PostgreSQL the
rows go in with COPY; on SQLite with executemany over the same column list.

Runs over the same county are serialised by a transaction-level advisory lock on PostgreSQL
(SQLite has one writer at a time anyway), so two overlapping runs cannot leave duplicates.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.registry.permissions import EDIT
from bangfu.accounts.access import in_scope
from bangfu.common.errors import DomainError
from bangfu.common.jobs import worker_dead, worker_identity
from bangfu.common.money import format_yuan
from bangfu.common.progress import NullProgress, Progress
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import county_expr
from bangfu.regions.models import Region
from bangfu.registry.choices import HouseholdStatus
from bangfu.registry.models import Household

from .engine import Assessment, Frames, assess
from .engine.groups import GROUP_ORDER
from .error_codes import PolicyErrorCode
from .loader import load_frames
from .models import AssessmentRun, BenefitChange, Determination, DibaoChange
from .signals import chunk_assessed
from .parameters import ParameterSet
from .selectors import parameter_set

CHANGE_KINDS = tuple(BenefitChange.Kind.values)
# An arbitrary constant naming Bangfu's reassessment among PostgreSQL advisory locks; the second
# key is the county's 6-digit code.
LOCK_NAMESPACE = 0x62660301

DETERMINATION_COLUMNS = (
    "run_id", "household_id", "region_code", "members", "standard_fen", "per_capita_income_fen",
    "dibao_eligible", "dibao_basis", "dibao_total_fen", "current_dibao_fen", "dibao_change", "review_class",
    "next_review_date", "tekun_persons", "special_groups", "low_income", "near_dibao", "expenditure_poverty",
)
CHANGE_COLUMNS = ("run_id", "household_id", "region_code", "kind", "old_amount_fen", "new_amount_fen", "status", "created_at")
COUNT_KEYS = ("households", "eligible", *DibaoChange.values)


class ReassessmentError(DomainError, ValueError):
    """A reassessment or simulation that cannot start; the message is Chinese."""

    default_code = PolicyErrorCode.REASSESSMENT_REFUSED


# ---------------------------------------------------------------------------------------------
# Region and scope
# ---------------------------------------------------------------------------------------------
def target_region(acting_user, region_code: str | None) -> Region:
    """The region to judge: `region_code` (2, 4, 6, 9 or 12 digits), default the user's own.

    A region outside the user's subtree answers like one that does not exist (accounts.access).
    """
    if region_code in (None, ""):
        region = getattr(acting_user, "region", None)
        if region is None:
            raise ReassessmentError(_("该用户没有所属区划，请用 --region 指定区划"))
    else:
        code = str(region_code).strip()
        if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
            raise ReassessmentError(_("区划代码“%(code)s”应为 2、4、6、9 或 12 位数字") % {"code": region_code})
        region = Region.objects.filter(code=RegionCode.from_prefix(code).code).first()
        if region is None or not in_scope(acting_user, region.code):
            raise ReassessmentError(_("区划“%(code)s”不存在或不在您的管辖范围内") % {"code": region_code})
    if not in_scope(acting_user, region.code):
        raise ReassessmentError(_("区划“%(code)s”不存在或不在您的管辖范围内") % {"code": region.code})
    return region


@dataclass(frozen=True)
class Chunk:
    """A part of the region judged at once: one county, or the region itself when it lies within
    a county."""

    county: str  # 6 digits
    area: RegionCode
    households: int

    @property
    def low(self) -> str:
        return self.area.low

    @property
    def high(self) -> str:
        return self.area.high


def chunks(region: Region) -> list[Chunk]:
    """The counties of the region with their active households (one index-only scan)."""
    area = region.code_value
    rows = (
        Household.objects.filter(status=HouseholdStatus.ACTIVE).within(area)
        .annotate(county=county_expr()).values("county").annotate(n=Count("id")).order_by("county")
    )
    out = []
    for row in rows:
        county = RegionCode(row["county"])
        out.append(Chunk(county.short, area.meet(county), row["n"]))
    return out


def chunk_frames(parts: list[Chunk]) -> Iterator[tuple[Chunk, Frames, float]]:
    """Each chunk with its engine input and the seconds the caller waited for it.

    On PostgreSQL outside a transaction the next county is read on a second connection while the
    caller judges and stores the current one: reading is mostly the server's work (the scan and
    the COPY output), judging and storing mostly Polars' and then the server's, so on two cores
    they overlap. Inside a transaction (a test, a request) a second connection could not see the
    caller's rows, so the chunks are read one after the other on the caller's connection."""
    if len(parts) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reassess-loader") as pool:
            future = pool.submit(_load_on_own_connection, parts[0])
            for i, chunk in enumerate(parts):
                start = time.perf_counter()
                frames = future.result()
                waited = time.perf_counter() - start
                if i + 1 < len(parts):
                    future = pool.submit(_load_on_own_connection, parts[i + 1])
                yield chunk, frames, waited
    else:
        for chunk in parts:
            start = time.perf_counter()
            frames = load_frames(bounds=(chunk.low, chunk.high))
            yield chunk, frames, time.perf_counter() - start


def _load_on_own_connection(chunk: Chunk) -> Frames:
    try:
        return load_frames(bounds=(chunk.low, chunk.high))
    finally:
        connection.close()  # this thread's connection


def params_note(params: ParameterSet, region: Region, on: dt.date, *, db_rows: int | None = None) -> str:
    """What the run used, in Chinese: the standards in force for the region on the date."""
    parts = []
    for name in ("dibao_standard_rural", "dibao_standard_urban"):
        resolved = params.resolve(name, region.code, on)
        parts.append(f"{resolved.definition.label} {resolved.display}（{resolved.source_text()}）")
    head = "出厂参数" + (f"及管理员设置的 {db_rows} 条取值" if db_rows else "")
    adjusted = "；模拟调整：" + "，".join(f"{o.name} {o.text}" for o in params.overrides) if params.overrides else ""
    return f"{head}；{region.full_name or region.name}：" + "；".join(parts) + adjusted


# ---------------------------------------------------------------------------------------------
# Engine output → rows
# ---------------------------------------------------------------------------------------------
def determination_frame(result: Assessment) -> pl.DataFrame:
    """One row per household with the columns of `Determination` (without run_id)."""
    persons = result.persons.lazy()
    per_household = persons.group_by("household_id").agg(
        tekun_persons=pl.col("tekun_eligible").fill_null(False).sum().cast(pl.Int64),
        **{f"g{i}": pl.col("special_groups").list.contains(g).sum().cast(pl.Int64) for i, g in enumerate(GROUP_ORDER)},
    )
    groups_text = pl.concat_str(
        [pl.when(pl.col(f"g{i}") > 0).then(pl.lit(g) + pl.col(f"g{i}").cast(pl.String)) for i, g in enumerate(GROUP_ORDER)],
        separator="、", ignore_nulls=True,
    )
    return (
        result.households.lazy()
        .join(per_household, on="household_id", how="left")
        .select(
            "household_id", "region_code",
            pl.col("members").cast(pl.Int64), "standard_fen", pl.col("per_capita_income_fen").fill_null(0),
            pl.col("dibao_eligible").fill_null(False), pl.col("dibao_basis").fill_null(""),
            pl.col("dibao_total_fen").fill_null(0), "current_dibao_fen",
            pl.col("dibao_change").fill_null(""), pl.col("review_class").fill_null(""), "next_review_date",
            pl.col("tekun_persons").fill_null(0), groups_text.fill_null("").alias("special_groups"),
            pl.col("low_income").fill_null(False), pl.col("near_dibao").fill_null(False),
            pl.col("expenditure_poverty").fill_null(False),
        )
        .collect()
    )


def change_frame(determinations: pl.DataFrame) -> pl.DataFrame:
    """The households whose dibao changes (not unchanged, not amount unknown) as BenefitChange
    columns (without run_id, status, created_at)."""
    return determinations.filter(pl.col("dibao_change").is_in(CHANGE_KINDS)).select(
        "household_id", "region_code", pl.col("dibao_change").alias("kind"),
        # no current dibao: 0; current dibao recorded without an amount: unknown (null)
        pl.when(pl.col("dibao_change") == "newly_eligible").then(pl.lit(0, pl.Int64)).otherwise(pl.col("current_dibao_fen"))
        .alias("old_amount_fen"),
        pl.col("dibao_total_fen").alias("new_amount_fen"),
    )


def chunk_counts(determinations: pl.DataFrame, changes: pl.DataFrame) -> dict[str, int]:
    by_change = dict(determinations.group_by("dibao_change").len().iter_rows())
    counts = {"households": determinations.height, "eligible": int((determinations["dibao_total_fen"] > 0).sum())}
    counts |= {kind: int(by_change.get(kind, 0)) for kind in DibaoChange.values}
    known = changes.filter(pl.col("old_amount_fen").is_not_null())
    counts["monthly_change_fen"] = int((known["new_amount_fen"] - known["old_amount_fen"]).sum()) if known.height else 0
    counts["monthly_before_fen"] = int(determinations["current_dibao_fen"].fill_null(0).sum())
    counts["monthly_after_fen"] = int(determinations["dibao_total_fen"].sum())
    return counts


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def write_rows(model, columns: tuple[str, ...], frame: pl.DataFrame) -> None:
    """Append `frame` (columns in that order) to the model's table: COPY on PostgreSQL, one
    executemany elsewhere. Call inside a transaction."""
    if frame.height == 0:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    frame = frame.select(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            # empty strings are written quoted ("") and nulls unquoted: COPY csv tells them apart
            frame.write_csv(buffer, include_header=False, datetime_format="%Y-%m-%dT%H:%M:%S%.f%z")
            with cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
        else:
            # as Django stores them on SQLite: ISO dates, datetimes as naive UTC text
            frame = frame.with_columns(pl.col(pl.Date).cast(pl.String),
                                       pl.col(pl.Datetime).dt.convert_time_zone("UTC").dt.replace_time_zone(None).cast(pl.String))
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})", frame.iter_rows())


def _lock_county(county: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(county)])


def store_chunk(run: AssessmentRun, chunk: Chunk, determinations: pl.DataFrame, changes: pl.DataFrame) -> None:
    """Replace the chunk's determinations and supersede its open changes, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        _lock_county(chunk.county)
        Determination.objects.within(chunk.area).exclude(run=run).delete()
        BenefitChange.objects.filter(status=BenefitChange.Status.OPEN).within(chunk.area) \
            .exclude(run=run).update(status=BenefitChange.Status.SUPERSEDED)
        write_rows(Determination, DETERMINATION_COLUMNS, determinations.with_columns(run_id=pl.lit(run.pk, pl.Int64)))
        write_rows(BenefitChange, CHANGE_COLUMNS, changes.with_columns(
            run_id=pl.lit(run.pk, pl.Int64), status=pl.lit(BenefitChange.Status.OPEN.value),
            created_at=pl.lit(now, pl.Datetime("us", "UTC")),
        ))


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------
def reassess(*, acting_user, region_code: str | None = None, on: dt.date | None = None,
             progress: Progress | None = None) -> AssessmentRun:
    """Judge every active household in the region subtree (default: the user's region) on `on`
    (default: today) with the parameters in force (`selectors.parameter_set`), store the
    determinations and the benefit changes, and return the finished run (issue 3; R11, R16).

    Refused with `ReassessmentError` when the user may not edit records or the region is not in
    the user's subtree. A failure marks the run failed and re-raises; counties finished before it
    keep their new determinations.
    """
    check_perm(acting_user, EDIT, _("您没有重新核算的权限"))
    region = target_region(acting_user, region_code)
    on = on or timezone.localdate()
    progress = progress or NullProgress()
    from .models import ParameterValue

    params = parameter_set()
    runs_sweep()
    run = AssessmentRun.objects.create(
        started_by=acting_user, region_code=region.code, on_date=on,
        params_note=params_note(params, region, on, db_rows=ParameterValue.objects.count()),
        counts={"worker": worker_identity()},
    )
    parts = chunks(region)
    counts: dict = dict.fromkeys((*COUNT_KEYS, "monthly_change_fen", "monthly_before_fen", "monthly_after_fen"), 0)
    seconds = {"load": 0.0, "rules": 0.0, "store": 0.0}
    progress.start(sum(c.households for c in parts), f"重新核算 {region.name}")
    try:
        for chunk, frames, waited in chunk_frames(parts):
            t1 = time.perf_counter()
            result = assess(frames, on, params, explain=False, check_codes=False)
            determinations = determination_frame(result)
            changes = change_frame(determinations)
            del frames
            t2 = time.perf_counter()
            store_chunk(run, chunk, determinations, changes)
            chunk_assessed.send(sender=AssessmentRun, run=run, result=result, bounds=(chunk.low, chunk.high),
                                on_date=on, acting_user=acting_user)
            del result
            t3 = time.perf_counter()
            for key, value in chunk_counts(determinations, changes).items():
                counts[key] += value
            seconds["load"] += waited
            seconds["rules"] += t2 - t1
            seconds["store"] += t3 - t2
            progress.advance(chunk.households)
    except Exception as exc:
        run.status, run.finished_at = AssessmentRun.Status.FAILED, timezone.now()
        run.message = f"重新核算失败：{exc}"[:255]
        run.counts = {**counts, "seconds": {k: round(v, 3) for k, v in seconds.items()}}
        run.save(update_fields=["status", "finished_at", "message", "counts"])
        raise
    finally:
        progress.finish()
    run.status, run.finished_at = AssessmentRun.Status.DONE, timezone.now()
    run.counts = {**counts, "seconds": {k: round(v, 3) for k, v in seconds.items()}}
    run.message = f"共核算 {counts['households']} 户，待遇变化 {sum(counts[k] for k in CHANGE_KINDS)} 户"
    run.save(update_fields=["status", "finished_at", "message", "counts"])
    return run


def runs_sweep(runs=None) -> int:
    """Mark failed the running reassessments whose process has died (killed, out of memory, the
    machine restarted; issue 13 "Faults"): without this they would show "running" for ever. Each
    county is written in one transaction, so a county is either as it was or fully judged; the run
    can simply be started again. `reassess` sweeps before it starts. Returns the number marked."""
    marked = 0
    for run in (AssessmentRun.objects.all() if runs is None else runs).filter(status=AssessmentRun.Status.RUNNING):
        if worker_dead((run.counts or {}).get("worker")):
            marked += AssessmentRun.objects.filter(pk=run.pk, status=AssessmentRun.Status.RUNNING).update(
                status=AssessmentRun.Status.FAILED, finished_at=timezone.now(),
                message=_("后台进程意外中止：已核算完的县（区）保留新结果，其余未改动；请重新核算"))
    return marked


def display_width(text: str) -> int:
    """Terminal columns of a text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def summary_lines(run: AssessmentRun) -> list[str]:
    """The run's result in Chinese, as the command prints it."""
    counts = run.counts
    region = Region.objects.filter(code=run.region_code).first()
    name = (region.full_name or region.name) if region else run.region_code
    elapsed = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    lines = [
        f"重新核算完成：{name}（{run.region_code}），评估日期 {run.on_date.isoformat()}，共 {counts['households']:,} 户，用时 {elapsed:.1f} 秒",
        f"  参数：{run.params_note}",
        f"  核算后享受低保（含单人保）{counts['eligible']:,} 户，月低保金 {format_yuan(counts['monthly_after_fen'])} 元",
        "  与现享受待遇比较：",
    ]
    for kind in DibaoChange:
        lines.append(f"    {pad(str(kind.label), 18)}{counts.get(kind.value, 0):>10,} 户")
    change = counts["monthly_change_fen"]
    sign = "+" if change >= 0 else "-"
    lines.append(f"  待遇变化（新增、提高、降低、停发）涉及月低保金 {sign}{format_yuan(abs(change))} 元，"
                 f"全年 {sign}{format_yuan(abs(change) * 12)} 元（现享受金额未登记的按 0 计）")
    lines.append(f"  待遇变化已记为待处理（共 {sum(counts.get(k, 0) for k in CHANGE_KINDS):,} 条），供审核审批时处理")
    return lines
