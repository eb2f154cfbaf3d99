"""Excel export of the monthly statement of fund use (资金使用月报): numbers as numbers, money in
yuan with two decimals, the share of the budget used as a percentage. No person is listed."""

from __future__ import annotations

import datetime as dt

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.money import fen_to_yuan


def write_statement(target, rows, *, county_name: str, month: dt.date) -> None:
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet(_("资金使用月报")[:31])
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    pct = book.add_format({"num_format": "0.0"})
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, _("%(county)s资金使用月报（%(month)s）") % {"county": county_name, "month": f"{month:%Y-%m}"}, title)
    headers = [_("救助项目"), _("到账笔数"), _("到账金额（元）"), _("失败笔数"), _("失败金额（元）"), _("到账人数"),
               _("本年累计支出（元）"), _("本年预算（元）"), _("预算执行率（%）")]
    for col, text in enumerate(headers):
        sheet.write_string(2, col, text, head)
    for i, row in enumerate(rows, start=3):
        sheet.write_string(i, 0, str(row.label), bold if not row.programme else None)
        sheet.write_number(i, 1, row.lines_paid)
        sheet.write_number(i, 2, float(fen_to_yuan(row.paid)), money)
        sheet.write_number(i, 3, row.lines_failed)
        sheet.write_number(i, 4, float(fen_to_yuan(row.failed)), money)
        sheet.write_number(i, 5, row.persons_paid)
        sheet.write_number(i, 6, float(fen_to_yuan(row.paid_ytd)), money)
        sheet.write_number(i, 7, float(fen_to_yuan(row.budget)), money)
        if row.used_pct is not None:
            sheet.write_number(i, 8, float(row.used_pct), pct)
        else:
            sheet.write_blank(i, 8, None)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 8, 14)
    book.close()
