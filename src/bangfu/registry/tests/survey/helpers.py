"""Build survey sheets for tests: rows are dicts keyed by header (columns.HEADERS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from bangfu_testing.factories import make_id_number
from bangfu.registry.survey.columns import HEADERS


def member(key: str, name: str, relation: str = "户主", *, village: str = "340102001001", id_number: str | None = None,
           birth: dt.date = dt.date(1980, 5, 17), sex: str = "M", **extra) -> dict:
    row = {"户编号": key, "村（社区）代码": village, "姓名": name, "与户主关系": relation,
           "身份证号码": id_number or make_id_number(birth=birth, sex=sex)}
    row.update(extra)
    return row


def write_xlsx(path: Path, rows: list[dict], *, headers: tuple[str, ...] | list[str] = HEADERS, numbers: tuple[str, ...] = ()) -> Path:
    """Write `rows`; the headers named in `numbers` are written as Excel numbers (as a user who
    typed digits into a General cell would), every other value as text."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("摸底表")
    for j, header in enumerate(headers):
        sheet.write_string(0, j, header)
    for i, row in enumerate(rows, 1):
        for j, header in enumerate(headers):
            value = row.get(header)
            if value is None:
                continue
            if header in numbers:
                sheet.write_number(i, j, float(value))
            elif isinstance(value, dt.date):
                sheet.write_datetime(i, j, value, workbook.add_format({"num_format": "yyyy-mm-dd"}))
            elif isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))
    workbook.close()
    return path


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8-sig", headers=HEADERS) -> Path:
    import csv

    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else row[h] for h in headers])
    return path


def read_xlsx(source) -> list[dict]:
    """The first sheet as dicts keyed by header."""
    workbook = CalamineWorkbook.from_object(source)
    rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v != "" for v in row)]
