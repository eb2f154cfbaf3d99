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


STAY_EXPORT_MAX_ROWS = 50_000


def stays_xlsx(rows: list, *, full_id: bool) -> bytes:
    """The stay list as the page filters it (issue 17): ID numbers masked unless `full_id`."""
    buffer, book, head, _money = _workbook()
    sheet = book.add_worksheet(_("救助记录"))
    labels = [_("站内编号"), _("姓名"), _("身份证号码") if full_id else _("身份证号码（脱敏）"), _("性别"), _("救助站"), _("入站时间"),
              _("来站方式"), _("身份"), _("状态"), _("离站时间"), _("离站原因"), _("去向")]
    for col, label in enumerate(labels):
        sheet.write(0, col, label, head)
        sheet.set_column(col, col, 16)
    sexes, sources = dict(c.Sex.choices), dict(c.ReferralSource.choices)
    identities, statuses, reasons = dict(c.IdentityStatus.choices), dict(c.StayStatus.choices), dict(c.EndReason.choices)
    for r, stay in enumerate(rows, start=1):
        values = [stay.station_number, stay.name, stay.id_number if full_id else mask_id_number(stay.id_number),
                  sexes.get(stay.sex, stay.sex), stay.station.name, _local(stay.arrival_at), sources.get(stay.referral_source, ""),
                  identities.get(stay.identity_status, ""), statuses.get(stay.status, ""), _local(stay.ended_at),
                  reasons.get(stay.end_reason, "") if stay.end_reason else "", stay.end_destination]
        for col, value in enumerate(values):
            sheet.write_string(r, col, str(value or ""))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _local(moment) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""
