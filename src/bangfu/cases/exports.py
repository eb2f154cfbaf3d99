"""Excel exports of the case lists (XlsxWriter, constant memory): the inbox as filtered and the
overdue cases. ID numbers are masked unless the viewer may export full numbers
(registry EXPORT_FULL_ID); the caller logs each download (log_access)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.common.idnumber import mask_id_number

from .choices import CaseState, CaseType
from .models import NO_DEADLINE


def write_case_list(target, rows: Iterable, *, title: str, today: dt.date, full_id: bool) -> int:
    """One sheet: case number, receipt number, type, applicant, ID number, township, village, state,
    deadline and days overdue. Each row carries `township_name` and `village_name`
    (selectors.place_names). Returns the number of cases written."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    headers = [_("案件号"), _("回执号"), _("案件类型"), _("申请人"), _("身份证号") if full_id else _("身份证号（脱敏）"),
               _("乡镇（街道）"), _("村（社区）"), _("状态"), _("时限"), _("超期天数")]
    for col, (text, width) in enumerate(zip(headers, [10, 14, 14, 10, 22, 16, 16, 16, 12, 10], strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, text, head)
    types, states = dict(CaseType.choices), dict(CaseState.choices)
    n = 0
    for n, case in enumerate(rows, start=1):
        number = case.applicant_id_number if full_id else mask_id_number(case.applicant_id_number)
        due = None if case.due_date == NO_DEADLINE else case.due_date
        sheet.write_number(n, 0, case.pk)
        sheet.write_string(n, 1, case.receipt_number or "")
        sheet.write_string(n, 2, str(types.get(case.case_type, case.case_type)))
        sheet.write_string(n, 3, case.applicant_name)
        sheet.write_string(n, 4, number)
        sheet.write_string(n, 5, case.township_name)
        sheet.write_string(n, 6, case.village_name)
        sheet.write_string(n, 7, str(states.get(case.state, case.state)))
        sheet.write_string(n, 8, f"{due:%Y-%m-%d}" if due else "")
        sheet.write_number(n, 9, (today - due).days if due and due < today else 0)
    sheet.write_string(n + 2, 0, _("导出日期：%(date)s") % {"date": f"{today:%Y-%m-%d}"})
    book.close()
    return n
