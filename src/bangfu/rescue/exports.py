"""Excel exports of the rescue app (xlsxwriter): statistics by month and station, and an
institution's monthly statement (R22). Each export is logged (common.models.log_access)."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.money import fen_to_yuan
from bangfu.common.idnumber import mask_id_number

from . import choices as c


def _workbook():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    return buffer, book, head, money


def statistics_xlsx(rows: list[dict], *, year: int) -> bytes:
    buffer, book, head, money = _workbook()
    sheet = book.add_worksheet(_("%(year)s年救助统计") % {"year": year})
    columns = [(_("月份"), "month"), (_("救助站"), "station"), (_("救助人次"), "stays"), (_("救助人数"), "people"),
               (_("身份不明"), "unidentified"), (_("仍在站"), "open")]
    columns += [(str(label), value) for value, label in c.EndReason.choices]
    columns += [(_("平均在站天数（已离站）"), "average_days"), (_("服务费用（元）"), "cost_fen")]
    for col, (label, _key) in enumerate(columns):
        sheet.write(0, col, label, head)
        sheet.set_column(col, col, 14)
    for r, row in enumerate(rows, start=1):
        for col, (_label, key) in enumerate(columns):
            value = row.get(key)
            if key == "cost_fen":
                sheet.write_number(r, col, float(fen_to_yuan(value or 0)), money)
            elif value is not None:
                sheet.write(r, col, value)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def statement_xlsx(institution, year: int, month: int, rows: list[dict]) -> bytes:
    buffer, book, head, money = _workbook()
    sheet = book.add_worksheet(_("托养费用结算单"))
    sheet.write(0, 0, _("%(name)s %(year)s年%(month)s月托养费用结算单") % {"name": institution.name, "year": year, "month": month}, head)
    labels = [_("站内编号"), _("姓名"), _("身份证号码"), _("起止日期"), _("天数"), _("护理等级"), _("月标准（元，含合理收益）"), _("本月合计（元）"), _("说明")]
    for col, label in enumerate(labels):
        sheet.write(2, col, label, head)
        sheet.set_column(col, col, 16)
    r = 3
    total = 0
    level_labels = dict(c.CareLevel.choices)
    for row in rows:
        stay = row["stay"]
        first = r
        for line in row["lines"] or [None]:
            sheet.write_string(r, 0, stay.station_number)
            sheet.write_string(r, 1, stay.name)
            sheet.write_string(r, 2, mask_id_number(stay.id_number))
            if line is not None:
                sheet.write_string(r, 3, f"{line.start:%m-%d}—{line.end:%m-%d}")
                sheet.write_number(r, 4, line.days)
                sheet.write_string(r, 5, str(level_labels[line.level]))
                sheet.write_number(r, 6, float(line.monthly_fen) / 100, money)
            r += 1
        if row["total_fen"] is not None:
            sheet.write_number(first, 7, float(fen_to_yuan(row["total_fen"])), money)
            total += row["total_fen"]
        if row["problem"]:
            sheet.write_string(first, 8, row["problem"])
    sheet.write(r + 1, 6, _("合计"), head)
    sheet.write_number(r + 1, 7, float(fen_to_yuan(total)), money)
    book.close()
    return buffer.getvalue()
