"""Excel exports of the monthly statistics: the table in the layout it is filed in (a title with
the region and month, grouped header rows, units), and the list behind a figure (names and ID
numbers masked). The caller logs each export (log_access)."""

from __future__ import annotations

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.benefits.masking import mask_name
from bangfu.common.idnumber import mask_id_number
from bangfu.common.money import fen_to_yuan
from bangfu.common.spreadsheets import write_filing_table

from .monthly import Report, Row


def _cell(value):
    if isinstance(value, tuple):  # a standard: one value, or the lowest–highest of the counties
        low, high = value
        return low if low == high else f"{low}–{high}"
    return value


def _groups(figures) -> list[tuple[str, int]]:
    groups: list[tuple[str, int]] = []
    for f in figures:
        if groups and groups[-1][0] == str(f.group):
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((str(f.group), 1))
    return groups


def write_report(target, report: Report) -> None:
    """Two sheets: the programmes (dibao urban and rural, tekun, temporary assistance) and the
    cases (by region, then by type)."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    month = f"{report.month:%Y-%m}"
    title = _("%(region)s社会救助统计月报（%(month)s）") % {"region": report.area_name, "month": month}
    missing = sorted({c for r in report.rows for c in r.missing_counties})
    note = _("注：当月未生成发放花名册的县，支出栏空白（%(n)s个县）。") % {"n": len(missing)} if missing else ""
    rows = [(r.name, [_cell(r.value(f.key)) for f in report.figures]) for r in report.rows]
    rows.append((_("合计"), [_cell(report.total.value(f.key)) for f in report.figures]))
    write_filing_table(book, _("救助对象和支出"), title=title, subtitle=_("单位：户、人、元；统计月份：%(month)s") % {"month": month},
                       row_header=_("区划"), groups=_groups(report.figures),
                       headers=[(str(f.label), str(f.unit)) for f in report.figures], rows=rows, note=note)
    case_rows = [(r.name, [_cell(r.value(f.key)) for f in report.case_figures]) for r in report.rows]
    case_rows.append((_("合计"), [_cell(report.total.value(f.key)) for f in report.case_figures]))
    for case_type, label, values in report.case_types:
        one = Row(report.total.code, label, cases={case_type: values})
        case_rows.append((label, [_cell(one.value(f.key)) for f in report.case_figures]))
    write_filing_table(book, _("案件办理"), title=title, subtitle=_("单位：件、个工作日；统计月份：%(month)s") % {"month": month},
                       row_header=_("区划 / 案件类型"), groups=_groups(report.case_figures),
                       headers=[(str(f.label), str(f.unit)) for f in report.case_figures], rows=case_rows)
    book.close()


LIST_HEADERS = {
    "benefits": lambda: [_("村（社区）"), _("户号"), _("享受人（脱敏）"), _("身份证号（脱敏）"), _("救助项目"), _("起始发放月"),
                         _("最后发放月"), _("月待遇（元）")],
    "persons": lambda: [_("村（社区）"), _("户号"), _("姓名（脱敏）"), _("身份证号（脱敏）"), _("出生日期")],
    "memberships": lambda: [_("村（社区）"), _("户号"), _("姓名（脱敏）"), _("身份证号（脱敏）"), _("出生日期")],
    "lines": lambda: [_("村（社区）"), _("户号"), _("享受人（脱敏）"), _("身份证号（脱敏）"), _("资金项目"), _("所属月份"),
                      _("金额（元）")],
    "one_offs": lambda: [_("村（社区）"), _("户号"), _("户主（脱敏）"), _("身份证号（脱敏）"), _("类型"), _("批准日期"), _("金额（元）")],
    "cases": lambda: [_("村（社区）"), _("案件编号"), _("案件类型"), _("状态"), _("申请日期"), _("决定日期"), _("办结时限")],
}


def _person(p) -> list:
    return [mask_name(p.name), mask_id_number(p.id_number)] if p is not None else ["", ""]


def list_row(kind: str, obj, names: dict[str, str]) -> list:
    """One row of a figure's list, masked, as the page and the export show it."""
    village = names.get(obj.region_code, obj.region_code)
    if kind == "benefits":
        holder = obj.person if obj.person_id else obj.household.head
        return [village, obj.household_id, *_person(holder), str(obj.get_programme_display()), f"{obj.start_month:%Y-%m}",
                f"{obj.end_month:%Y-%m}" if obj.end_month else "", fen_to_yuan(obj.monthly_amount_fen)]
    if kind == "persons":
        return [village, obj.household_id or "", *_person(obj), f"{obj.birth_date:%Y-%m-%d}"]
    if kind == "memberships":
        return [village, obj.household_id, *_person(obj.person), f"{obj.person.birth_date:%Y-%m-%d}"]
    if kind == "lines":
        return [village, obj.household_id, *_person(obj.person), str(obj.get_component_display()), f"{obj.month:%Y-%m}",
                fen_to_yuan(obj.amount_fen)]
    if kind == "one_offs":
        return [village, obj.household_id, *_person(obj.household.head), str(obj.get_kind_display()), f"{obj.approved_on:%Y-%m-%d}",
                fen_to_yuan(obj.amount_fen)]
    return [village, obj.pk, str(obj.get_case_type_display()), str(obj.get_state_display()), f"{obj.applied_on:%Y-%m-%d}",
            f"{obj.decided_on:%Y-%m-%d}" if obj.decided_on else "", f"{obj.overall_deadline:%Y-%m-%d}" if obj.overall_deadline else ""]


def write_list(target, kind: str, objects, *, title: str, names: dict[str, str]) -> int:
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(_("明细")[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 13}))
    for col, text in enumerate(LIST_HEADERS[kind]()):
        sheet.write_string(1, col, text, head)
        sheet.set_column(col, col, 16)
    n = 0
    for n, obj in enumerate(objects, start=1):
        for col, value in enumerate(list_row(kind, obj, names)):
            if isinstance(value, int):
                sheet.write_number(n + 1, col, value)
            elif value is not None and not isinstance(value, str):
                sheet.write_number(n + 1, col, float(value), money)
            else:
                sheet.write_string(n + 1, col, value or "")
    book.close()
    return n
