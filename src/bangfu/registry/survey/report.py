"""What an import did, or would do on a dry run: counts, and every bad row and column with its
reason (in the active language)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALL_OR_NOTHING = "all_or_nothing"
GOOD_ROWS = "good_rows"
MODES = {ALL_OR_NOTHING: gettext_lazy("全部无误才导入"), GOOD_ROWS: gettext_lazy("导入无误的家庭，导出有误的行")}


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # the row number Excel shows
    order: int  # the column's position in the sheet, for sorting
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("第%(row)s行“%(column)s”列：%(message)s") % {"row": self.row, "column": self.column, "message": self.message}
        return _("第%(row)s行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    mode: str = ALL_OR_NOTHING
    dry_run: bool = False
    rows: int = 0
    households: int = 0
    new_households: int = 0
    updated_households: int = 0
    new_persons: int = 0
    updated_persons: int = 0
    unchanged_persons: int = 0
    new_items: int = 0
    updated_items: int = 0
    removed_items: int = 0  # assets removed and rigid expenses ended because the sheet says 0
    bad_rows: int = 0
    skipped_households: int = 0
    skipped_rows: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    # For the bad-rows workbook: the header as read, and each row not imported with its reason.
    headers: list[str] = field(default_factory=list, repr=False)
    rejected: list[tuple[int, list, str]] = field(default_factory=list, repr=False)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new(self) -> int:
        return self.new_persons

    @property
    def updated(self) -> int:
        return self.updated_persons

    @property
    def outcome(self) -> str:
        if self.dry_run:
            return _("试运行（只检查），未写入任何数据；未发现错误，可以正式导入") if self.ok else _("试运行（只检查），未写入任何数据")
        if self.written and self.ok:
            return _("已全部导入")
        if self.written:
            return _("已导入无误的家庭；有错误的 %(households)s 户（%(rows)s 行）未导入，请下载错误行修改后重新导入") % {
                "households": self.skipped_households, "rows": self.skipped_rows}
        return _("因有 %(rows)s 行错误，未导入任何数据；请修改后重新导入") % {"rows": self.bad_rows}

    def summary(self) -> str:
        numbers = {
            "rows": self.rows, "households": self.households, "new_households": self.new_households,
            "new_persons": self.new_persons, "updated_households": self.updated_households,
            "updated_persons": self.updated_persons, "unchanged": self.unchanged_persons, "new_items": self.new_items,
            "updated_items": self.updated_items, "removed_items": self.removed_items, "bad_rows": self.bad_rows, "outcome": self.outcome,
        }
        if self.dry_run or not self.written:
            return _("共 %(rows)s 行、%(households)s 户；将新增 %(new_households)s 户、%(new_persons)s 人；"
                     "将更新 %(updated_households)s 户、%(updated_persons)s 人（%(unchanged)s 人无变化）；"
                     "将新增收入、财产、支出、类别等 %(new_items)s 条，更新 %(updated_items)s 条，删除或终止 %(removed_items)s 条；"
                     "有错误的行 %(bad_rows)s 行。%(outcome)s") % numbers
        return _("共 %(rows)s 行、%(households)s 户；新增 %(new_households)s 户、%(new_persons)s 人；"
                 "更新 %(updated_households)s 户、%(updated_persons)s 人（%(unchanged)s 人无变化）；"
                 "新增收入、财产、支出、类别等 %(new_items)s 条，更新 %(updated_items)s 条，删除或终止 %(removed_items)s 条；"
                 "有错误的行 %(bad_rows)s 行。%(outcome)s") % numbers

    def to_dict(self, *, max_errors: int = 1000) -> dict:
        """A JSON-able form for Job.result; the error list is cut at `max_errors`."""
        data = {k: v for k, v in asdict(self).items() if k not in ("errors", "headers", "rejected")}
        data["errors"] = [[e.row, e.column, e.message] for e in self.errors[:max_errors]]
        data["error_count"] = len(self.errors)
        data["summary"] = self.summary()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k not in ("errors", "headers", "rejected")}
        report = cls(**known)
        report.errors = [RowError(row, 0, column, message) for row, column, message in data.get("errors", [])]
        return report
