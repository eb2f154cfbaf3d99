"""What an import did, or would do on a dry run: counts, and every bad row and column with its
reason in Chinese."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ALL_OR_NOTHING = "all_or_nothing"
GOOD_ROWS = "good_rows"
MODES = {ALL_OR_NOTHING: "全部无误才导入", GOOD_ROWS: "导入无误的家庭，导出有误的行"}


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # the row number Excel shows
    order: int  # the column's position in the sheet, for sorting
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"第{self.row}行“{self.column}”列：{self.message}"
        return f"第{self.row}行：{self.message}"


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
            return "试运行（只检查），未写入任何数据" + ("；未发现错误，可以正式导入" if self.ok else "")
        if self.written and self.ok:
            return "已全部导入"
        if self.written:
            return f"已导入无误的家庭；有错误的 {self.skipped_households} 户（{self.skipped_rows} 行）未导入，请下载错误行修改后重新导入"
        return f"因有 {self.bad_rows} 行错误，未导入任何数据；请修改后重新导入"

    def summary(self) -> str:
        prefix = "将" if self.dry_run or not self.written else ""
        return (
            f"共 {self.rows} 行、{self.households} 户；"
            f"{prefix}新增 {self.new_households} 户、{self.new_persons} 人；"
            f"{prefix}更新 {self.updated_households} 户、{self.updated_persons} 人"
            f"（{self.unchanged_persons} 人无变化）；"
            f"{prefix}新增收入、类别等 {self.new_items} 条，更新 {self.updated_items} 条；"
            f"有错误的行 {self.bad_rows} 行。{self.outcome}"
        )

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
