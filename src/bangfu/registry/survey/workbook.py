"""The survey workbook as XlsxWriter writes it: the blank template, exports and the bad-rows file
share the same header row, column formats (ID and code columns as text) and drop-down lists."""

from __future__ import annotations

import datetime as dt

import xlsxwriter

from .cells import Date, LostDigits, Money, cell_text
from .columns import COLUMNS, ERROR_HEADER, HEADER_LOOKUP, Column, column_letter, normalize_header
from .reader import NOTES_SHEET

SHEET_NAME = "摸底表"
LAST_ROW = 1_048_575  # validations cover the whole column, whatever the number of rows

GENERAL_NOTES = (
    "一行填一名家庭成员；同一户的成员填相同的“户编号”，每户须有且只有一名“户主”。",
    "户级信息（村（社区）代码、住址、户籍性质、住房安全、类别、致困原因和各项财产）填在户主行，其他成员行可留空。",
    "财产各列填全家合计，刚性支出各列填本人每月金额。留空表示未填报，不改动系统中已有记录；没有的请填0。",
    "身份证号码、村（社区）代码、联系电话、残疾证号列已设为文本格式，请勿改为“常规”或“数值”，"
    "否则 Excel 会把18位号码存为数字并丢失末3位。从别处粘贴时请用“选择性粘贴 → 数值/文本”。",
    "选项列请从下拉列表中选择；可多选的列（重大疾病、类别、致困原因）用“、”分隔。",
    "日期可写成 2024-01-31、2024/1/31 或 20240131。金额以元为单位，最多两位小数，可写成 1200.50 或 1,200.50。",
    "再次导入同一人（按身份证号码）会更新其信息，不会重复建档；单元格留空表示不修改原有内容。",
    "标红的列为必填列。请勿修改表头文字；可以删去不用的非必填列，也可以在最后增加自己的备注列（导入时忽略）。",
)


class Formats:
    def __init__(self, workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.required = workbook.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True, "valign": "vcenter", "font_color": "#9C0006"})
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.money = workbook.add_format({"num_format": "0.00"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.bold = workbook.add_format({"bold": True})

    def for_column(self, col: Column):
        if col.parser.text:
            return self.text
        if isinstance(col.parser, Date):
            return self.date
        if isinstance(col.parser, Money):
            return self.money
        return None


def add_survey_sheet(workbook, formats: Formats, *, extra_headers: tuple[str, ...] = ()):
    """A sheet with the header row, column formats and validations of COLUMNS."""
    sheet = workbook.add_worksheet(SHEET_NAME)
    for index, col in enumerate(COLUMNS):
        sheet.set_column(index, index, col.width, formats.for_column(col))
        sheet.write_string(0, index, col.header, formats.required if col.required else formats.header)
        _validate(sheet, index, col)
    for offset, header in enumerate(extra_headers):
        sheet.set_column(len(COLUMNS) + offset, len(COLUMNS) + offset, 40)
        sheet.write_string(0, len(COLUMNS) + offset, header, formats.required)
    sheet.set_row(0, 32)
    sheet.freeze_panes(1, 0)
    return sheet


def _validate(sheet, index: int, col: Column) -> None:
    message = (col.help or col.parser.describe)[:250]
    if col.parser.dropdown:
        sheet.data_validation(1, index, LAST_ROW, index, {
            "validate": "list", "source": list(col.parser.dropdown),
            "input_title": col.header[:32], "input_message": message,
            "error_title": "输入有误", "error_message": f"请从下拉列表中选择：{'、'.join(col.parser.dropdown)}"[:250],
            "error_type": "warning",
        })
    else:
        sheet.data_validation(1, index, LAST_ROW, index, {
            "validate": "any", "input_title": col.header[:32], "input_message": message,
        })


def add_notes_sheet(workbook, formats: Formats) -> None:
    notes = workbook.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 8)
    notes.set_column(1, 1, 18)
    notes.set_column(2, 2, 10)
    notes.set_column(3, 3, 48, formats.wrap)
    notes.set_column(4, 4, 70, formats.wrap)
    notes.write_string(0, 0, "填写说明", formats.bold)
    for i, text in enumerate(GENERAL_NOTES, 1):
        notes.write_string(i, 0, f"{i}. {text}")
    start = len(GENERAL_NOTES) + 2
    for j, header in enumerate(("列", "列名", "必填", "格式与可选值", "说明")):
        notes.write_string(start, j, header, formats.header)
    for i, col in enumerate(COLUMNS, start + 1):
        required = "是" if col.required else ""
        if col.household:
            required = "户主行" if not col.required else "是（户主行）"
        for j, value in enumerate((column_letter(i - start - 1), col.header, required, col.parser.describe, col.help)):
            notes.write_string(i, j, value, formats.wrap)


def write_template(target) -> None:
    """The blank template: the 摸底表 sheet and a 说明 sheet describing each column."""
    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    formats = Formats(workbook)
    add_survey_sheet(workbook, formats)
    add_notes_sheet(workbook, formats)
    workbook.close()


def write_cell(sheet, row: int, index: int, col: Column | None, value, formats: Formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, index, "是" if value else "否")
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(row, index, value, formats.date)
    elif isinstance(value, int | float):
        if col is not None and col.parser.text:
            try:
                sheet.write_string(row, index, cell_text(value))
            except LostDigits:
                sheet.write_number(row, index, value)
        else:
            sheet.write_number(row, index, value, formats.money if col is not None and isinstance(col.parser, Money) else None)
    else:
        sheet.write_string(row, index, str(value))


def write_bad_rows(report, target) -> int:
    """The rows an import did not take, with their original columns and a 错误原因 column.
    Returns the number of rows written."""
    keep = [i for i, h in enumerate(report.headers) if normalize_header(h) != ERROR_HEADER]
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    formats = Formats(workbook)
    sheet = workbook.add_worksheet(SHEET_NAME)
    columns = [HEADER_LOOKUP.get(normalize_header(report.headers[i])) for i in keep]
    for out, (i, col) in enumerate(zip(keep, columns, strict=True)):
        sheet.set_column(out, out, col.width if col else 14, formats.for_column(col) if col else None)
        sheet.write_string(0, out, report.headers[i], formats.required if col is not None and col.required else formats.header)
    sheet.set_column(len(keep), len(keep), 60, formats.wrap)
    sheet.write_string(0, len(keep), ERROR_HEADER, formats.required)
    sheet.freeze_panes(1, 0)
    for r, (_number, cells, reason) in enumerate(report.rejected, 1):
        for out, (i, col) in enumerate(zip(keep, columns, strict=True)):
            if i < len(cells):
                write_cell(sheet, r, out, col, cells[i], formats)
        sheet.write_string(r, len(keep), reason)
    workbook.close()
    return len(report.rejected)
