"""Excel files of the matching app: the blank template of each list kind, and the finding lists
sent to the receiving department (issue 5 "Exports of each list as xlsx ..., masked as the role
requires"). Full ID numbers only for roles with EXPORT_FULL_ID; every export is logged."""

from __future__ import annotations

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.permissions import has_perm
from bangfu.registry.permissions import EXPORT_FULL_ID
from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog, log_access

from .kinds import Kind

FINDING_HEADERS = (gettext_lazy("序号"), gettext_lazy("发现类型"), gettext_lazy("姓名"), gettext_lazy("身份证号"), gettext_lazy("区划代码"),
                   gettext_lazy("说明"), gettext_lazy("状态"), gettext_lazy("排除原因"), gettext_lazy("名单种类"),
                   gettext_lazy("数据来源"), gettext_lazy("数据日期"))


def write_template(target, kind: Kind) -> None:
    workbook = xlsxwriter.Workbook(target)
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(str(kind.label)[:31].replace("/", "、"))
    for col, column in enumerate(kind.all_columns):
        sheet.write_string(0, col, column.header + ("（必填）" if column.required else ""), head)
        sheet.set_column(col, col, 22 if column.parser == "id" else 14, text if column.parser in ("id", "text") else None)
    notes = workbook.add_worksheet("说明")
    notes.write_string(0, 0, f"{kind.label}（来源：{kind.department}）")
    notes.write_string(1, 0, str(kind.note))
    notes.write_string(2, 0, "身份证号一列请设为“文本”格式，否则 Excel 会把18位号码改成科学计数法，后几位丢失。")
    notes.write_string(3, 0, "日期写作 YYYY-MM-DD；金额以元为单位；没有身份证号的，请填写出生日期和性别。")
    for row, column in enumerate(kind.all_columns, start=5):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, "、".join(column.aliases))
    workbook.close()


def write_findings(target, findings, *, viewer, request=None) -> int:
    full = has_perm(viewer, EXPORT_FULL_ID)
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet(_("比对发现"))
    for col, title in enumerate(FINDING_HEADERS):
        sheet.write_string(0, col, str(title), head)
    sheet.set_column(3, 3, 22)
    sheet.set_column(5, 5, 60)
    n = 0
    for n, f in enumerate(findings.iterator(chunk_size=2000), start=1):
        values = (str(n), f.get_kind_display(), f.name, f.id_number if full else mask_id_number(f.id_number), f.region_code,
                  f.summary, f.get_status_display(), f.dismiss_reason, f.batch.kind_label, f.batch.source, f.batch.source_date.isoformat())
        for col, value in enumerate(values):
            sheet.write_string(n, col, str(value or ""))
    workbook.close()
    log_access(acting_user=viewer, action=AccessLog.Action.EXPORT, object_type="matching.finding", region_code=viewer.region.code if viewer.region else "",
               detail=f"导出比对发现 {n} 条（{'完整号码' if full else '号码已遮蔽'}）", request=request)
    return n
