"""Excel files of the matching app: the blank template of each list kind, the finding lists
sent to the receiving department (issue 5 "Exports of each list as xlsx ..., masked as the role
requires"), and a department's own list sent back with the outcome of each row (比对结果回传,
issue 12). Full ID numbers only for roles with EXPORT_FULL_ID; every export is logged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.permissions import check_perm, has_perm
from bangfu.common.errors import DomainError
from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.scoping import bound_region
from bangfu.registry.permissions import EXPORT_FULL_ID

from . import permissions
from .choices import LinkMethod, LinkStatus
from .error_codes import MatchingErrorCode
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


# ---------------------------------------------------------------------------------------------
# The list sent back (比对结果回传): one line per row of the department's list, in its row order.

ROW_FIELDS = ("row_no", "name", "id_given", "outcome", "outcome_words", "person_id_number", "score", "method",
              "candidate_name", "candidate_id_number", "refusal")
ROW_HEADERS = (gettext_lazy("行号"), gettext_lazy("姓名"), gettext_lazy("身份证号（原样）"), gettext_lazy("比对结果"),
               gettext_lazy("比对结果说明"), gettext_lazy("匹配人员身份证号"), gettext_lazy("匹配得分"), gettext_lazy("匹配方式"),
               gettext_lazy("候选人姓名"), gettext_lazy("候选人身份证号"), gettext_lazy("拒收原因"))
# the outcome as a code a department's own program can read; the next column says it in words
OUTCOME = {LinkStatus.ACCEPTED: "auto", LinkStatus.REVIEW: "review", LinkStatus.NONE: "none", LinkStatus.REJECTED: "none",
           LinkStatus.REFUSED: "refused"}
ROW_SUFFIXES = (".xlsx", ".csv")


class ExportError(DomainError):
    """An export that cannot be written as asked; the message is Chinese."""

    default_code = MatchingErrorCode.INVALID


def list_row_lines(batch, *, viewer) -> Iterator[dict]:
    """The batch's rows as the department gets them back, in row order: the name and number as the
    list gave them, the outcome (auto / review / none / refused, and in words), the linked person's
    number, score and method, the best candidate of a row awaiting review, the refusal reason.
    Numbers are masked unless the viewer holds EXPORT_FULL_ID; a linked person outside the
    viewer's region is named only as such."""
    full = has_perm(viewer, EXPORT_FULL_ID)
    region = bound_region(viewer)
    methods = dict(LinkMethod.choices)
    statuses = dict(LinkStatus.choices)
    outside = _("（辖区外）")

    def number(value: str) -> str:
        return value if full else mask_id_number(value)

    rows = (batch.rows.order_by("row_no")
            .values_list("row_no", "name", "id_raw", "link_status", "decided_by_id", "score", "method", "refusal",
                         "person__name", "person__id_number", "person__region_code"))
    for row_no, name, id_raw, status, decided_by, score, method, refusal, p_name, p_number, p_region in rows.iterator(chunk_size=5000):
        words = str(statuses.get(status, status))
        if status == LinkStatus.ACCEPTED and decided_by:
            words = _("已匹配（人工确认）")
        elif status == LinkStatus.REJECTED:
            words = _("未匹配（人工否决）")
        seen = p_region is not None and region is not None and region.contains(p_region)
        person = candidate_name = candidate = ""
        if status == LinkStatus.ACCEPTED and p_number is not None:
            person = number(p_number) if seen else outside
        elif status == LinkStatus.REVIEW and p_number is not None:
            candidate_name, candidate = (p_name, number(p_number)) if seen else (outside, "")
        yield {"row_no": row_no, "name": name, "id_given": number(id_raw), "outcome": OUTCOME.get(status, status),
               "outcome_words": words, "person_id_number": person,
               "score": score,
               "method": str(methods.get(method, "")) if method else "", "candidate_name": candidate_name,
               "candidate_id_number": candidate, "refusal": refusal}


def list_rows_export(*, viewer, batch_id, target, suffix: str, request=None) -> int:
    """Write batch `batch_id`'s rows back to the department (xlsx or csv by `suffix`) to `target`
    (a path or a binary file), for a viewer allowed to export who can see the batch; logged in
    the access log. Answers the number of rows written."""
    from .selectors import batch_get

    check_perm(viewer, permissions.MATCH_EXPORT)
    suffix = suffix.lower()
    if suffix not in ROW_SUFFIXES:
        raise ExportError(_("文件类型“%(suffix)s”不支持，请用 .xlsx 或 .csv") % {"suffix": suffix or _("无扩展名")})
    batch = batch_get(viewer, batch_id)
    lines = list_row_lines(batch, viewer=viewer)
    headers = [str(h) for h in ROW_HEADERS]
    n = _write_csv(target, headers, lines) if suffix == ".csv" else _write_xlsx(target, headers, lines)
    full = has_perm(viewer, EXPORT_FULL_ID)
    log_access(acting_user=viewer, action=AccessLog.Action.EXPORT, object_type="matching.listrow", object_id=batch.pk,
               region_code=batch.region_code, detail=f"导出比对批次{batch.pk}的比对结果 {n} 行（{'完整号码' if full else '号码已遮蔽'}）",
               request=request)
    return n


def _write_xlsx(target, headers: list[str], lines) -> int:
    workbook = xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target, {"constant_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet(_("比对结果"))
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, head)
    sheet.set_column(2, 2, 22)
    sheet.set_column(5, 5, 22)
    sheet.set_column(9, 10, 22)
    n = 0
    for n, line in enumerate(lines, start=1):
        for col, key in enumerate(ROW_FIELDS):
            value = line[key]
            if isinstance(value, int | float):
                sheet.write_number(n, col, value)
            elif value:
                sheet.write_string(n, col, value)
    workbook.close()
    return n


def _write_csv(target, headers: list[str], lines) -> int:
    """UTF-8 with a byte-order mark, which Excel needs to open Chinese text."""
    opened = isinstance(target, str | Path)
    raw = open(target, "wb") if opened else target  # noqa: SIM115 - closed below when opened here
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(headers)
        n = 0
        for n, line in enumerate(lines, start=1):
            writer.writerow(["" if line[key] is None else line[key] for key in ROW_FIELDS])
        text.flush()
    finally:
        if opened:
            text.close()
        else:
            text.detach()
    return n
