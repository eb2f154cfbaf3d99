"""Parse and check the rows of a survey sheet: pure Python, no database.

parse_rows turns each row into a ParsedRow (values by field, errors by column); group_households
groups them by 户编号 and applies the checks that need the whole sheet (duplicate ID numbers,
exactly one head per household, household columns that agree). The checks that need the database
(village scope, ID numbers already registered, re-import matching) are in plan.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bangfu.common.idnumber import IdInfo
from bangfu.common.progress import NullProgress, Progress
from bangfu.registry import choices as c

from .cells import CellError, LostDigits
from .columns import BY_FIELD, COLUMNS, HOUSEHOLD_FIELDS
from .reader import Sheet
from .report import RowError

COLUMN_ORDER = {col.field: index for index, col in enumerate(COLUMNS)}
PROGRESS_STEP = 1000


@dataclass
class ParsedRow:
    row: int
    cells: list
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def id_info(self) -> IdInfo | None:
        return self.values.get("id_number")

    @property
    def id_number(self) -> str | None:
        info = self.values.get("id_number")
        return info.number if info is not None else None

    @property
    def is_head(self) -> bool:
        return self.values.get("relation") == c.Relation.HEAD

    def error(self, field_name: str, message: str) -> None:
        col = BY_FIELD.get(field_name)
        self.errors.append(RowError(self.row, COLUMN_ORDER.get(field_name, -1), col.header if col else "", message))


@dataclass
class HouseholdRows:
    key: str
    rows: list[ParsedRow]
    head: ParsedRow | None = None
    values: dict[str, Any] = field(default_factory=dict)  # household columns, from the head's row

    @property
    def bad(self) -> bool:
        return any(r.errors for r in self.rows)


def parse_rows(sheet: Sheet, *, progress: Progress | None = None) -> list[ParsedRow]:
    """Parse every cell; a blank cell is "not given" (on update: leave unchanged).

    For columns whose values repeat (choices, 是/否, dates, village codes) the result for each
    distinct text is remembered: most cells of a 100,000-row sheet are then a dictionary look-up."""
    progress = progress or NullProgress()
    columns = [(position, col.field, col.parser.parse, col.required and not col.household, {} if col.parser.repeats else None, col)
               for position, col in sheet.columns]
    parsed: list[ParsedRow] = []
    for index, (number, cells) in enumerate(sheet.rows, 1):
        row = ParsedRow(number, cells)
        values = row.values
        width = len(cells)
        for position, name, parse, required, memo, col in columns:
            value = cells[position] if position < width else None
            if value is None or value == "" or (value.__class__ is str and not value.strip()):
                if required:
                    row.error(name, _("必填，不能为空"))
                continue
            if memo is not None and value.__class__ is str:
                hit = memo.get(value, _FAILED)
                if hit is not _FAILED:
                    if hit.__class__ is CellError:
                        row.error(name, str(hit))
                    else:
                        values[name] = hit
                    continue
            try:
                result = parse(value)
            except LostDigits:
                row.error(name, col.lost_digits)
                continue
            except CellError as exc:
                row.error(name, str(exc))
                if memo is not None and value.__class__ is str:
                    memo[value] = exc
                continue
            values[name] = result
            if memo is not None and value.__class__ is str:
                memo[value] = result
        if ("income_fen" in values) != ("income_kind" in values) and not _has_error(row, "income_fen", "income_kind"):
            if "income_fen" in values:
                row.error("income_kind", _("填写了月收入，须同时选择收入类型"))
            else:
                row.error("income_fen", _("选择了收入类型，须同时填写月收入金额"))
        if values.get("asset_vehicle_count") == 0 and values.get("asset_vehicle_fen"):
            row.error("asset_vehicle_fen", _("机动车辆数为0时，机动车辆价值应留空或填0"))
        parsed.append(row)
        if index % PROGRESS_STEP == 0:
            progress.advance(PROGRESS_STEP)
    progress.advance(len(parsed) % PROGRESS_STEP)
    return parsed


_FAILED = object()


def _has_error(row: ParsedRow, *fields: str) -> bool:
    headers = {BY_FIELD[f].header for f in fields}
    return any(e.column in headers for e in row.errors)


def group_households(rows: list[ParsedRow]) -> list[HouseholdRows]:
    """Group rows by 户编号 (in order of first appearance) and check the sheet as a whole."""
    groups: dict[str, HouseholdRows] = {}
    seen_ids: dict[str, int] = {}
    for row in rows:
        number = row.id_number
        if number is not None:
            first = seen_ids.setdefault(number, row.row)
            if first != row.row:
                row.error("id_number", _("与第%(first)s行的身份证号码重复，同一人只能填一行") % {"first": first})
        key = row.values.get("household_key")
        if key is None:
            key = f"\x00{row.row}"  # a row without a key is a household of its own, already in error
        group = groups.get(key)
        if group is None:
            group = groups[key] = HouseholdRows(key, [])
        group.rows.append(row)
    for group in groups.values():
        _check_household(group)
    return list(groups.values())


def _check_household(group: HouseholdRows) -> None:
    heads = [r for r in group.rows if r.is_head]
    label = group.key if not group.key.startswith("\x00") else ""
    if not heads:
        if label and not any(_has_error(r, "relation") for r in group.rows):
            group.rows[0].error("relation", _("户编号“%(label)s”的家庭没有户主，须有且只有一名成员为“户主”") % {"label": label})
        return
    head = group.head = heads[0]
    if len(heads) > 1:
        where = _("、").join(_("第%(row)s行") % {"row": r.row} for r in heads)
        for extra in heads[1:]:
            extra.error("relation", _("户编号“%(label)s”的家庭有%(count)s名户主（%(where)s），须有且只有一名") % {"label": label, "count": len(heads), "where": where})
    for name in HOUSEHOLD_FIELDS:
        value = head.values.get(name)
        if value is not None:
            group.values[name] = value
    for row in group.rows:
        if row is head:
            continue
        for name in HOUSEHOLD_FIELDS:
            value = row.values.get(name)
            if value is not None and value != group.values.get(name):
                row.error(name, _("与本户户主行（第%(row)s行）不一致；户级信息以户主行为准，其他成员可留空") % {"row": head.row})
    for col in COLUMNS:
        if col.required and col.household and col.field not in head.values and not _has_error(head, col.field):
            head.error(col.field, _("户主行必填，不能为空"))
