"""Read a survey sheet (xlsx/xls through python-calamine, or csv in UTF-8, UTF-8 with BOM or GBK)
into raw rows, and find its columns by header. Nothing is parsed here beyond the header row."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from bangfu.common.errors import DomainError
from bangfu.common.spreadsheets import SpreadsheetRefused, bounded_rows, check_workbook, import_limits, source_bytes

from ..error_codes import RegistryErrorCode

from .cells import is_blank
from .columns import COLUMNS, HEADER_LOOKUP, REQUIRED_HEADERS, Column, normalize_header

EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
EXTENSIONS = (*EXCEL_EXTENSIONS, ".csv")
HEADER_SCAN_ROWS = 10
NOTES_SHEET = "说明"
# the template's columns, and room for the 错误原因 column, notes and a few columns of the user's
MAX_COLUMNS = len(COLUMNS) + 30


class SurveyFileError(DomainError):
    """The file as a whole cannot be imported; the message is Chinese and names what is wrong."""

    default_code = RegistryErrorCode.FILE_INVALID


@dataclass
class Sheet:
    headers: list[str]  # the header row as written, in file order
    columns: list[tuple[int, Column]]  # (position, column) of each recognised header
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number as Excel shows it, cells)

    @property
    def positions(self) -> dict[str, int]:
        return {col.field: pos for pos, col in self.columns}


def extension_of(name: str | os.PathLike | None) -> str:
    return Path(str(name or "")).suffix.lower()


def read_survey(source, *, filename: str | None = None) -> Sheet:
    """Read `source` (a path or a binary file object such as an upload). `filename` gives the
    extension when `source` is a file object."""
    if source is None:
        raise SurveyFileError(_("请选择要导入的文件"))
    name = filename or (source if isinstance(source, str | os.PathLike) else getattr(source, "name", ""))
    ext = extension_of(name)
    if ext not in EXTENSIONS:
        raise SurveyFileError(_("文件类型“%(ext)s”不支持，请上传 Excel（.xlsx）或 CSV 文件") % {"ext": ext or _("无扩展名")})
    limits = import_limits(max_cols=MAX_COLUMNS, full_width=len(COLUMNS) + 5)
    try:
        table = bounded_rows(_read_csv(source), limits) if ext == ".csv" else _read_excel(source, limits)
    except SpreadsheetRefused as exc:
        raise SurveyFileError(str(exc)) from None
    return _locate(table)


def _read_excel(source, limits) -> list[list]:
    data = source_bytes(source)
    check_workbook(data, limits)  # before calamine builds anything (common.spreadsheets)
    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception:  # calamine raises several types for a broken or foreign file
        raise SurveyFileError(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏")) from None
    try:
        names = [n for n in workbook.sheet_names if n != NOTES_SHEET] or workbook.sheet_names
        for sheet_name in names:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            if _find_header(rows) is not None:
                return rows
        return workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False) if names else []
    finally:
        workbook.close()


def _read_csv(source):
    """A csv reader over the file's rows (read_survey bounds how many)."""
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read()
    else:
        data = Path(source).read_bytes()
    if isinstance(data, str):
        text = data
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SurveyFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码"))
    return csv.reader(io.StringIO(text, newline=""))


def _find_header(rows: list[list]) -> int | None:
    """The index of the header row: the first of the top rows that names at least three columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        known = sum(1 for cell in row if isinstance(cell, str) and normalize_header(cell) in HEADER_LOOKUP)
        if known >= 3:
            return index
    return None


def _has_data(row: list) -> bool:
    for cell in row:
        if cell is None or cell == "":
            continue
        if not is_blank(cell):
            return True
    return False


def _locate(rows: list[list]) -> Sheet:
    header_index = _find_header(rows)
    if header_index is None:
        if not any(_has_data(row) for row in rows):
            raise SurveyFileError(_("表格是空的，请在模板中填写数据后再导入"))
        raise SurveyFileError(_("找不到表头行，缺少以下列：%(columns)s；请使用系统提供的模板") % {"columns": _("、").join(REQUIRED_HEADERS)})
    header = ["" if is_blank(cell) else str(cell).strip() for cell in rows[header_index]]
    columns: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    for position, text in enumerate(header):
        col = HEADER_LOOKUP.get(normalize_header(text))
        if col is None:
            continue  # extra columns (a 错误原因 column, notes) are ignored
        if col.field in seen:
            raise SurveyFileError(_("“%(header)s”列出现了两次（第%(first)s列和第%(second)s列）") % {"header": col.header, "first": seen[col.field] + 1, "second": position + 1})
        seen[col.field] = position
        columns.append((position, col))
    missing = [h for h in REQUIRED_HEADERS if HEADER_LOOKUP[normalize_header(h)].field not in seen]
    if missing:
        raise SurveyFileError(_("缺少以下列：%(missing)s；请使用系统提供的模板") % {"missing": _("、").join(missing)})
    data = [
        (header_index + 2 + offset, row)
        for offset, row in enumerate(rows[header_index + 1:])
        if _has_data(row)
    ]
    if not data:
        raise SurveyFileError(_("表格中只有表头，没有数据行"))
    return Sheet(headers=header, columns=columns, rows=data)
