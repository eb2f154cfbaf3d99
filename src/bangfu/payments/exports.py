"""Excel export of a payroll's lines (XlsxWriter, constant memory). Account numbers are masked to
their last four digits; no ID number is written. The caller logs the export (log_access)."""

from __future__ import annotations

from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.money import fen_to_yuan

from . import choices as c


def mask_account(number: str) -> str:
    return f"****{number[-4:]}" if number else ""


def write_lines(target, lines: Iterable, *, names: dict[str, str]) -> int:
    headers = [_("序号"), _("乡镇（街道）"), _("区划代码"), _("享受人员"), _("救助项目"), _("所属月份"), _("发放类型"), _("资金项目"),
               _("金额（元）"), _("账户户名"), _("开户银行"), _("账号（后四位）"), _("状态"), _("疑点"), _("放行理由")]
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(_("发放明细")[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, head)
    n = 0
    from bangfu.benefits.choices import Programme

    for n, line in enumerate(lines, start=1):
        values = [n, names.get(line.township, ""), line.region_code, line.person.name if line.person_id else "",
                  str(Programme(line.programme).label), f"{line.month:%Y-%m}", str(c.LineKind(line.kind).label),
                  str(c.Component(line.component).label)]
        for col, v in enumerate(values):
            (sheet.write_number if isinstance(v, int) else sheet.write_string)(n, col, v)
        sheet.write_number(n, 8, float(fen_to_yuan(line.amount_fen)), money)
        rest = [line.holder_name, line.bank_name, mask_account(line.account_number), str(c.LineStatus(line.status).label),
                "、".join(str(x) for x in line.flag_labels), line.release_reason]
        for col, v in enumerate(rest, start=9):
            sheet.write_string(n, col, v)
    book.close()
    return n
