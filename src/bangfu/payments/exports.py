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


def write_failures(target, rows, *, names: dict[str, str]) -> int:
    """The failure worklist (补发批次): one row per failed line not yet paid again."""
    from bangfu.benefits.choices import Programme

    headers = [_("序号"), _("区划"), _("享受人员"), _("救助项目"), _("所属月份"), _("资金项目"), _("金额（元）"), _("失败原因"),
               _("失败次数"), _("失败时间"), _("现登记账户户名"), _("现登记账号（后四位）"), _("账户已更正"), _("暂不补发原因")]
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet(_("发放失败清单")[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, head)
    n = 0
    for n, r in enumerate(rows, start=1):
        line, acc = r.line, r.account
        values = [names.get(line.region_code, line.region_code), line.person.name if line.person_id else "",
                  str(Programme(line.programme).label), f"{line.month:%Y-%m}", str(c.Component(line.component).label)]
        sheet.write_number(n, 0, n)
        for col, v in enumerate(values, start=1):
            sheet.write_string(n, col, v)
        sheet.write_number(n, 6, float(fen_to_yuan(line.amount_fen)), money)
        rest = [r.reason, str(r.times), f"{r.failed_at:%Y-%m-%d %H:%M}" if r.failed_at else "", acc.holder_name if acc else "",
                mask_account(acc.account_number if acc else ""), _("是") if r.corrected else _("否"), r.why_not]
        for col, v in enumerate(rest, start=7):
            sheet.write_string(n, col, v)
    book.close()
    return n
