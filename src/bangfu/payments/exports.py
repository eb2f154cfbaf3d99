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


def _sheet(target, title: str, headers: list, options: dict):
    """A workbook with one sheet named `title`, its header row written: (book, sheet, money format)."""
    book = xlsxwriter.Workbook(target, options)
    sheet = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, head)
    return book, sheet, book.add_format({"num_format": "#,##0.00"})


def _write_row(sheet, n: int, first_col: int, values) -> None:
    for col, v in enumerate(values, start=first_col):
        (sheet.write_number if isinstance(v, int) else sheet.write_string)(n, col, v)


def write_lines(target, lines: Iterable, *, names: dict[str, str]) -> int:
    from bangfu.benefits.choices import Programme

    headers = [_("序号"), _("乡镇（街道）"), _("区划代码"), _("享受人员"), _("救助项目"), _("所属月份"), _("发放类型"), _("资金项目"),
               _("金额（元）"), _("账户户名"), _("开户银行"), _("账号（后四位）"), _("状态"), _("疑点"), _("放行理由")]
    book, sheet, money = _sheet(target, _("发放明细"), headers, {"constant_memory": True, "in_memory": False})
    n = 0
    for n, line in enumerate(lines, start=1):
        _write_row(sheet, n, 0, [n, names.get(line.township, ""), line.region_code, line.person.name if line.person_id else "",
                                 str(Programme(line.programme).label), f"{line.month:%Y-%m}", str(c.LineKind(line.kind).label),
                                 str(c.Component(line.component).label)])
        sheet.write_number(n, 8, float(fen_to_yuan(line.amount_fen)), money)
        _write_row(sheet, n, 9, [line.holder_name, line.bank_name, mask_account(line.account_number),
                                 str(c.LineStatus(line.status).label), "、".join(str(x) for x in line.flag_labels), line.release_reason])
    book.close()
    return n


def write_failures(target, rows, *, names: dict[str, str]) -> int:
    """The failure worklist (补发批次): one row per failed line not yet paid again."""
    from bangfu.benefits.choices import Programme

    headers = [_("序号"), _("区划"), _("享受人员"), _("救助项目"), _("所属月份"), _("资金项目"), _("金额（元）"), _("失败原因"),
               _("失败次数"), _("失败时间"), _("现登记账户户名"), _("现登记账号（后四位）"), _("账户已更正"), _("暂不补发原因")]
    book, sheet, money = _sheet(target, _("发放失败清单"), headers, {"in_memory": True})
    n = 0
    for n, r in enumerate(rows, start=1):
        line, acc = r.line, r.account
        _write_row(sheet, n, 0, [n, names.get(line.region_code, line.region_code), line.person.name if line.person_id else "",
                                 str(Programme(line.programme).label), f"{line.month:%Y-%m}", str(c.Component(line.component).label)])
        sheet.write_number(n, 6, float(fen_to_yuan(line.amount_fen)), money)
        _write_row(sheet, n, 7, [r.reason, str(r.times), f"{r.failed_at:%Y-%m-%d %H:%M}" if r.failed_at else "",
                                 acc.holder_name if acc else "", mask_account(acc.account_number if acc else ""),
                                 _("是") if r.corrected else _("否"), r.why_not])
    book.close()
    return n
