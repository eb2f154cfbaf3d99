"""Excel export of the receivables list (应追回款): money in yuan with two decimals; names only, no
ID numbers."""

from __future__ import annotations

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.money import fen_to_yuan


def write_receivables(target, rows, *, county_name: str) -> None:
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet(_("应追回款")[:31])
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_string(0, 0, _("%(county)s应追回款") % {"county": county_name}, title)
    headers = [_("序号"), _("区划代码"), _("户主"), _("人员"), _("原因"), _("多发月份"), _("应追回（元）"), _("已追回（元）"),
               _("核销（元）"), _("尚未追回（元）"), _("状态"), _("扣减方式"), _("登记日期")]
    for col, text in enumerate(headers):
        sheet.write_string(2, col, text, head)
    for n, r in enumerate(rows, start=1):
        i = n + 2
        sheet.write_number(i, 0, n)
        sheet.write_string(i, 1, r.region_code)
        sheet.write_string(i, 2, r.household.head.name if r.household.head_id else "")
        sheet.write_string(i, 3, r.person.name if r.person_id else "")
        sheet.write_string(i, 4, str(r.get_reason_display()))
        sheet.write_string(i, 5, ", ".join(r.months))
        for col, fen in ((6, r.amount_fen), (7, r.recovered_fen), (8, r.written_off_fen), (9, r.outstanding_fen)):
            sheet.write_number(i, col, float(fen_to_yuan(fen)), money)
        sheet.write_string(i, 10, str(r.get_state_display()))
        sheet.write_string(i, 11, str(r.get_deduct_mode_display()))
        sheet.write_string(i, 12, f"{r.recorded_at:%Y-%m-%d}")
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 12, 14)
    sheet.set_column(5, 5, 24)
    book.close()
