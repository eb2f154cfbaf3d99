"""What-if simulation on the registry (issue 3 `bangfu simulate` and the county officers' page;
R13 standards, R17 budgets, R20 funding estimates).

The households of a region subtree are judged twice, county by county, with the parameters in
force and with the changed ones (`engine.simulate`: `ParameterSet.with_overrides`, nothing is
stored and no official value changes), and compared: households gaining and losing dibao,
raised and lowered, the monthly and annual cost before, after and the change, per township.
The result goes to the screen, to a page and to an xlsx workbook (汇总 by township with a total
row, 明细 of the households that change — household number and village only, nothing private —
and 参数 with the values before and after).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import IO, Iterable, Mapping

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.common.money import format_yuan
from bangfu.common.progress import NullProgress, Progress
from bangfu.regions.choices import Level
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

from . import permissions
from .engine import simulate as engine_simulate
from .error_codes import PolicyErrorCode
from .parameters import ParameterError, ParameterSet
from .reassessment import ReassessmentError, chunk_frames, chunks, display_width, pad, target_region
from .selectors import parameter_set

# Kinds a form can change by a value or a percentage; codes lists, grade tables and rounding modes
# are changed through the parameter page, not by "±N %".
ADJUSTABLE_KINDS = ("money", "ratio", "integer")
SUMMARY_COLUMNS = ("households", "gains", "loses", "up", "down", "monthly_before_fen", "monthly_after_fen",
                   "monthly_change_fen", "annual_before_fen", "annual_after_fen", "annual_change_fen")
CHANGE_LABELS = {"gains": "新增", "loses": "停发", "up": "提高", "down": "降低"}


class SimulationError(ReassessmentError):
    """A simulation that cannot run; the message is Chinese and names the setting."""

    default_code = PolicyErrorCode.SIMULATION_REFUSED


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------
def parse_settings(items: Iterable[str]) -> dict[str, str]:
    """`["dibao_standard_rural=+10%", "near_dibao_factor=2"]` → a mapping for `with_overrides`."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = str(item).partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise SimulationError(_("调整项“%(item)s”应写成 参数名=新值、参数名=+N%% 或 参数名=-N%%") % {"item": item})
        if name in out:
            raise SimulationError(_("参数 %(name)s 调整了两次") % {"name": name})
        out[name] = value
    if not out:
        raise SimulationError(_("请至少调整一个参数（--set 参数名=新值）"))
    return out


@dataclass(frozen=True)
class Adjustment:
    name: str
    label: str
    setting: str
    before: str
    after: str


def reform(params: ParameterSet, settings: Mapping[str, str], region: Region, on: dt.date) -> tuple[ParameterSet, list[Adjustment]]:
    """The changed parameter set, checked now (unknown names, bad values, percentages of values
    that have none) so that a bad setting is refused before any household is read."""
    try:
        changed = params.with_overrides(dict(settings))
    except ParameterError as exc:
        raise SimulationError(str(exc)) from None
    adjustments = []
    for key, setting in settings.items():
        name, _sep, scope = key.partition("@")
        definition = params.definition(name)
        if definition.kind not in ADJUSTABLE_KINDS and setting.strip().endswith("%"):
            raise SimulationError(_("参数 %(name)s（%(label)s）不能按百分比调整") % {"name": name, "label": _(definition.label)})
        where = scope or region.code  # resolve() pads a prefix itself
        try:
            before, after = params.resolve(name, where, on), changed.resolve(name, where, on)
        except ParameterError as exc:
            raise SimulationError(str(exc)) from None
        adjustments.append(Adjustment(name, _(definition.label), setting, before.display, after.display))
    return changed, adjustments


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------
@dataclass
class SimulationResult:
    region_code: str
    region_name: str
    on: dt.date
    settings: dict[str, str]
    adjustments: list[Adjustment]
    townships: pl.DataFrame  # township, township_name, SUMMARY_COLUMNS
    total: dict[str, int]
    details: pl.DataFrame  # the households that change
    seconds: float = 0.0
    params_note: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON for a Job's result (the page shows it; the details stay in the workbook)."""
        return {
            "region_code": self.region_code, "region_name": self.region_name, "on": self.on.isoformat(),
            "settings": self.settings, "adjustments": [a.__dict__ for a in self.adjustments],
            "townships": self.townships.to_dicts(), "total": self.total, "changed": self.details.height,
            "seconds": round(self.seconds, 2), "params_note": self.params_note,
        }


def simulate(*, acting_user, settings: Mapping[str, str], region_code: str | None = None, on: dt.date | None = None,
             progress: Progress | None = None) -> SimulationResult:
    """Compare the parameters in force with `settings` on every active household of the region
    (default: the user's) on `on` (default: today). County officers and administrators only;
    raises `SimulationError` (Chinese) for a bad setting or a region outside the user's subtree."""
    check_perm(acting_user, permissions.SIMULATE, _("只有县级民政干部和系统管理员可以进行政策测算"))
    region = target_region(acting_user, region_code)
    on = on or timezone.localdate()
    progress = progress or NullProgress()
    start = time.perf_counter()
    params = parameter_set()
    _changed, adjustments = reform(params, settings, region, on)
    parts = chunks(region)
    summaries, details = [], []
    progress.start(sum(c.households for c in parts), f"政策测算 {region.name}")
    try:
        for chunk, frames, _waited in chunk_frames(parts):
            try:
                diff, by_township = engine_simulate(frames, on, params, dict(settings))
            except ParameterError as exc:
                raise SimulationError(str(exc)) from None
            summaries.append(by_township)
            details.append(diff.filter(pl.col("change").is_in(list(CHANGE_LABELS))).select(
                "household_id", "region_code", "township", "eligible_before", "eligible_after",
                "amount_before_fen", "amount_after_fen", "delta_fen", "change"))
            progress.advance(chunk.households)
    finally:
        progress.finish()
    townships = _with_names(_summary(summaries), region)
    detail = _detail_names(pl.concat(details, how="vertical") if details else _empty_details())
    total = {c: int(townships[c].sum()) for c in SUMMARY_COLUMNS} if townships.height else dict.fromkeys(SUMMARY_COLUMNS, 0)
    from .reassessment import params_note

    return SimulationResult(
        region_code=region.code, region_name=region.full_name or region.name, on=on, settings=dict(settings),
        adjustments=adjustments, townships=townships, total=total, details=detail,
        seconds=time.perf_counter() - start, params_note=params_note(params, region, on),
    )


def _summary(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema={"township": pl.String, **{c: pl.Int64 for c in SUMMARY_COLUMNS}})
    out = pl.concat(parts, how="vertical").group_by("township").agg(pl.all().sum()).sort("township")
    return out.with_columns(
        annual_before_fen=pl.col("monthly_before_fen") * 12, annual_after_fen=pl.col("monthly_after_fen") * 12,
    ).select("township", *[pl.col(c).cast(pl.Int64) for c in SUMMARY_COLUMNS])


def _region_names(codes: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    codes = sorted(set(codes))
    for start in range(0, len(codes), 500):
        names |= dict(Region.objects.filter(code__in=codes[start:start + 500]).values_list("code", "name"))
    return names


def _with_names(townships: pl.DataFrame, region: Region) -> pl.DataFrame:
    """Township names; above county level prefixed with the county's, as names repeat across
    counties."""
    codes = townships["township"].to_list()
    towns = {t: RegionCode.from_prefix(t) for t in codes}
    names = _region_names([town.code for town in towns.values()])
    counties = _region_names([town.county.code for town in towns.values()]) if region.level < Level.COUNTY else {}
    labels = {t: (counties.get(town.county.code, "") if counties else "") + names.get(town.code, t) for t, town in towns.items()}
    return townships.with_columns(
        township_name=pl.col("township").replace_strict(labels, return_dtype=pl.String) if labels else pl.lit("", pl.String),
    ).select("township", "township_name", *SUMMARY_COLUMNS)


def _empty_details() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "household_id": pl.Int64, "region_code": pl.String, "township": pl.String, "eligible_before": pl.Boolean,
        "eligible_after": pl.Boolean, "amount_before_fen": pl.Int64, "amount_after_fen": pl.Int64,
        "delta_fen": pl.Int64, "change": pl.String,
    })


def _detail_names(details: pl.DataFrame) -> pl.DataFrame:
    names = _region_names(details["region_code"].unique().to_list()) if details.height else {}
    mapping = pl.DataFrame({"region_code": list(names), "village_name": list(names.values())},
                           schema={"region_code": pl.String, "village_name": pl.String})
    return details.join(mapping, on="region_code", how="left").sort("township", "region_code", "household_id")


# ---------------------------------------------------------------------------------------------
# Output: screen and workbook
# ---------------------------------------------------------------------------------------------
HEADERS = {
    "township": "乡镇（街道）代码", "township_name": "乡镇（街道）", "households": "户数", "gains": "新增户",
    "loses": "停发户", "up": "提高户", "down": "降低户", "monthly_before_fen": "调整前月支出（元）",
    "monthly_after_fen": "调整后月支出（元）", "monthly_change_fen": "月支出变化（元）",
    "annual_before_fen": "调整前全年预算（元）", "annual_after_fen": "调整后全年预算（元）",
    "annual_change_fen": "全年预算变化（元）",
}
SCREEN_COLUMNS = ("township_name", "households", "gains", "loses", "up", "down", "monthly_before_fen",
                  "monthly_after_fen", "monthly_change_fen", "annual_change_fen")


def signed_yuan(fen: int) -> str:
    """+1,234.50 / -20.00 / 0.00"""
    return ("-" if fen < 0 else "+" if fen > 0 else "") + format_yuan(abs(int(fen)))


def _cell(column: str, value) -> str:
    if column.endswith("_fen"):
        return signed_yuan(value) if "change" in column else format_yuan(int(value))
    return f"{value:,}" if isinstance(value, int) else str(value)


def screen_lines(result: SimulationResult) -> list[str]:
    """The result as a Chinese table for a terminal (wide characters counted double)."""
    lines = [f"政策测算：{result.region_name}（{result.region_code}），评估日期 {result.on.isoformat()}"]
    lines.append(f"  现行参数：{result.params_note}")
    for a in result.adjustments:
        lines.append(f"  调整：{a.label}（{a.name}）{a.before} → {a.after}（{a.setting}）")
    rows = [[_cell(c, row[c]) for c in SCREEN_COLUMNS] for row in result.townships.iter_rows(named=True)]
    total = {"township_name": "合计", **result.total}
    rows.append([_cell(c, total[c]) for c in SCREEN_COLUMNS])
    header = [HEADERS[c] for c in SCREEN_COLUMNS]
    widths = [max(display_width(header[i]), *(display_width(r[i]) for r in rows)) for i in range(len(header))]
    lines.append("")
    lines.append("  ".join(pad(h, w, right=i > 0) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    for i, row in enumerate(rows):
        if i == len(rows) - 1:
            lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
        lines.append("  ".join(pad(v, w, right=j > 0) for j, (v, w) in enumerate(zip(row, widths, strict=True))))
    t = result.total
    lines.append("")
    lines.append(f"新增低保 {t['gains']:,} 户，停发 {t['loses']:,} 户，提高 {t['up']:,} 户，降低 {t['down']:,} 户；"
                 f"月支出变化 {_cell('monthly_change_fen', t['monthly_change_fen'])} 元，"
                 f"全年预算 {format_yuan(t['annual_before_fen'])} 元 → {format_yuan(t['annual_after_fen'])} 元"
                 f"（{_cell('annual_change_fen', t['annual_change_fen'])} 元）")
    lines.append("说明：调整前、调整后均为按登记信息核算的低保金（含单人保），全年 = 月 × 12；测算不改变正式参数。")
    return lines


def write_workbook(result: SimulationResult, target: str | IO[bytes]) -> None:
    """汇总 (townships and a total row), 明细 (households that change), 参数 (the adjustments)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    bold_plain = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})

    sheet = book.add_worksheet("汇总")
    sheet.write_row(0, 0, [f"政策测算：{result.region_name}（{result.region_code}），评估日期 {result.on.isoformat()}"])
    columns = ("township", "township_name", *SUMMARY_COLUMNS)
    sheet.write_row(2, 0, [HEADERS[c] for c in columns], bold)
    row_no = 3
    for row in result.townships.iter_rows(named=True):
        _write_summary_row(sheet, row_no, columns, row, money, text, None)
        row_no += 1
    _write_summary_row(sheet, row_no, columns, {"township": "", "township_name": "合计", **result.total}, money_bold, text, bold_plain)
    row_no += 2
    sheet.write_row(row_no, 0, ["说明：调整前、调整后均按登记信息核算（低保金含单人保）；全年预算 = 月支出 × 12（R13、R17、R20 预算测算）。测算不改变正式参数。"])
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, len(columns), 14)

    sheet = book.add_worksheet("明细")
    header = ["家庭编号", "村（社区）代码", "村（社区）", "变化", "调整前是否享受低保", "调整后是否享受低保",
              "调整前月低保金（元）", "调整后月低保金（元）", "变化（元）"]
    sheet.write_row(0, 0, header, bold)
    yes_no = {True: "是", False: "否", None: ""}
    for i, row in enumerate(result.details.iter_rows(named=True), start=1):
        sheet.write_number(i, 0, row["household_id"])
        sheet.write_string(i, 1, row["region_code"], text)
        sheet.write_string(i, 2, row["village_name"] or "")
        sheet.write_string(i, 3, CHANGE_LABELS.get(row["change"], ""))
        sheet.write_string(i, 4, yes_no[row["amount_before_fen"] > 0])
        sheet.write_string(i, 5, yes_no[row["amount_after_fen"] > 0])
        for j, key in ((6, "amount_before_fen"), (7, "amount_after_fen"), (8, "delta_fen")):
            sheet.write_number(i, j, row[key] / 100, money)  # display only: the exact sums are in fen
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 8, 14)

    sheet = book.add_worksheet("参数")
    sheet.write_row(0, 0, ["参数", "名称", "调整", "调整前", "调整后"], bold)
    for i, a in enumerate(result.adjustments, start=1):
        sheet.write_row(i, 0, [a.name, a.label, a.setting, a.before, a.after])
    sheet.write_row(len(result.adjustments) + 2, 0, [f"现行参数：{result.params_note}"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 4, 22)
    book.close()


def _write_summary_row(sheet, row_no: int, columns, row: Mapping, money, text, label_format) -> None:
    for j, column in enumerate(columns):
        value = row[column]
        if column.endswith("_fen"):
            sheet.write_number(row_no, j, int(value) / 100, money)
        elif column in ("township", "township_name"):
            sheet.write_string(row_no, j, str(value), label_format or text)
        else:
            sheet.write_number(row_no, j, int(value), label_format)
