"""Excel exports of the benefits pages (XlsxWriter, constant memory). Names are masked
(masking.mask_name); no ID number is written. The caller logs each export (log_access)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.money import fen_to_yuan
from bangfu.regions.codes import RegionCode

from . import choices as c
from .masking import mask_name

CHUNK = 2000


def _book(target, title: str, headers: list[str], widths: list[int]):
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, text, head)
    money = book.add_format({"num_format": "#,##0.00"})
    text = book.add_format({"num_format": "@"})
    return book, sheet, money, text


def holder_name(benefit) -> str:
    person = benefit.person if benefit.person_id else benefit.household.head
    return person.name if person is not None else ""


def extension_note(item) -> str:
    """The due list's note for a review date set by an emergency extension (seed 篇三（四））."""
    if item is None:
        return ""
    ext = item.extension
    return _("因重大突发事件延期%(months)s个月（原定%(before)s，依据%(document)s）") % {
        "months": ext.months, "before": f"{item.due_before:%Y-%m-%d}", "document": f"{ext.document_name} {ext.document_number}".strip()}


def write_due_list(target, benefits: Iterable, *, as_of: dt.date, names: dict[str, str], extended: dict | None = None) -> int:
    extended = extended or {}
    headers = [_("乡镇（街道）"), _("村（社区）"), _("户号"), _("享受人（脱敏）"), _("救助项目"), _("核查分类"), _("月待遇（元）"),
               _("最近核查"), _("应核查日期"), _("逾期天数"), _("提前核查原因"), _("核查期限延长")]
    book, sheet, money, text = _book(target, _("到期复核"), headers, [16, 16, 8, 12, 10, 10, 12, 12, 12, 10, 30, 40])
    row = 0
    for b in benefits:
        row += 1
        overdue = (as_of - b.next_review_date).days if b.next_review_date and b.next_review_date < as_of else 0
        township = RegionCode(b.region_code).township
        sheet.write_string(row, 0, names.get(township.code, township.prefix))
        sheet.write_string(row, 1, b.household.region.name if b.household.region_id else b.region_code)
        sheet.write_number(row, 2, b.household_id)
        sheet.write_string(row, 3, mask_name(holder_name(b)))
        sheet.write_string(row, 4, str(c.Programme(b.programme).label))
        sheet.write_string(row, 5, b.review_class)
        sheet.write_number(row, 6, float(fen_to_yuan(b.monthly_amount_fen)), money)
        sheet.write_string(row, 7, f"{b.last_reviewed_on:%Y-%m-%d}" if b.last_reviewed_on else "")
        sheet.write_string(row, 8, f"{b.next_review_date:%Y-%m-%d}" if b.next_review_date else "")
        sheet.write_number(row, 9, overdue)
        sheet.write_string(row, 10, b.review_reason)
        sheet.write_string(row, 11, extension_note(extended.get(b.pk)))
    book.close()
    return row


def write_publication(target, benefits: Iterable, *, month: dt.date) -> int:
    headers = [_("村（社区）"), _("姓名"), _("保障人口"), _("救助项目"), _("月保障金（元）")]
    book, sheet, money, text = _book(target, _("保障对象公示"), headers, [20, 12, 10, 12, 14])
    row = 0
    for b in benefits:
        row += 1
        sheet.write_string(row, 0, b.household.region.name if b.household.region_id else b.region_code)
        sheet.write_string(row, 1, mask_name(holder_name(b)))
        sheet.write_number(row, 2, b.size or 0)
        sheet.write_string(row, 3, str(c.Programme(b.programme).label))
        sheet.write_number(row, 4, float(fen_to_yuan(b.amount_fen)), money)
    sheet.write_string(row + 2, 0, _("发放月份：%(month)s") % {"month": f"{month:%Y-%m}"})
    book.close()
    return row


def write_register(target, rows: list[dict], *, month: dt.date, names: dict[str, str]) -> int:
    headers = [_("乡镇（街道）"), _("区划代码"), _("救助项目"), _("人次（户/人）"), _("金额合计（元）")]
    book, sheet, money, text = _book(target, _("待遇发放台账"), headers, [20, 14, 12, 14, 16])
    for i, r in enumerate(rows, start=1):
        sheet.write_string(i, 0, names.get(r["township"], r["township"]))
        sheet.write_string(i, 1, r["township"], text)
        sheet.write_string(i, 2, str(c.Programme(r["programme"]).label))
        sheet.write_number(i, 3, r["count"])
        sheet.write_number(i, 4, float(fen_to_yuan(r["total_fen"])), money)
    total = sum(r["total_fen"] for r in rows)
    sheet.write_string(len(rows) + 1, 0, _("合计"))
    sheet.write_number(len(rows) + 1, 3, sum(r["count"] for r in rows))
    sheet.write_number(len(rows) + 1, 4, float(fen_to_yuan(total)), money)
    sheet.write_string(len(rows) + 3, 0, _("月份：%(month)s") % {"month": f"{month:%Y-%m}"})
    book.close()
    return len(rows)
