"""Re-screening lists (R1b; seed 篇一、篇五 一、2 "尤其是要关注……临时救助对象、近期申请未通过对象、
近期退保对象中新出现的困难对象，做好筛查"): a selector over cases and benefits, and its Excel export.

Three kinds, per village (the row's 12-digit region code), scoped to the viewer's region:
- refused: applications (dibao, individual dibao, tekun, temporary assistance) decided "不予批准"
  within `rescreen_recent_months` months before the date (cases in state rejected or
  closed_rejected, `decided_on` in the period); one row per household (or applicant without a
  household), the latest refusal;
- left_dibao: households whose dibao stopped within `rescreen_recent_months` months (a stopped or
  gradual-exit dibao benefit whose last paid month lies in the period and before the current
  month); the latest per household;
- temporary: households paid temporary assistance within `rescreen_temporary_months` months
  (`OneOffPayment.approved_on` in the period); the latest payment per household.
A household paid dibao now (an open household dibao benefit) is followed anyway (R1a) and is left
out of every kind. The months are dated, cited policy parameters, resolved for the viewer's region
on the date. ID numbers are masked; the caller logs exports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.benefits import choices as bc
from bangfu.benefits.models import Benefit, OneOffPayment
from bangfu.common.idnumber import mask_id_number
from bangfu.common.money import fen_to_yuan
from bangfu.common.months import add_months, month_of
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import bound_region, within_q

from .choices import APPLICATION_TYPES, TEMPORARY_TYPES, CaseState
from .models import Case

REFUSED, LEFT_DIBAO, TEMPORARY = "refused", "left_dibao", "temporary"
KINDS = {
    REFUSED: gettext_lazy("近期申请未通过"),
    LEFT_DIBAO: gettext_lazy("近期退出低保"),
    TEMPORARY: gettext_lazy("临时救助对象"),
}
ROW_LIMIT = 5000  # one village or township at a time is a few dozen; a county narrows by village


@dataclass
class Row:
    kind: str
    region_code: str
    household_id: int | None
    name: str
    id_number: str  # masked
    on: dt.date
    detail: str
    village_name: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def months(viewer, on: dt.date) -> tuple[int, int]:
    """(recent months, temporary months): the parameters `rescreen_recent_months` and
    `rescreen_temporary_months` for the viewer's region on `on`."""
    from bangfu.policy.current import current_parameter_set

    ps, code = current_parameter_set(), bound_region(viewer).code
    return int(ps.value("rescreen_recent_months", code, on)), int(ps.value("rescreen_temporary_months", code, on))


def _on_dibao(qs_region) -> set[int]:
    return set(Benefit.objects.filter(qs_region, programme=bc.Programme.DIBAO, person__isnull=True,
                                      status=bc.BenefitStatus.ACTIVE).values_list("household_id", flat=True))


def rescreening_list(viewer, *, on: dt.date, village: RegionCode | None = None, kind: str = "") -> list[Row]:
    """The re-screening rows of the viewer's region (or of `village`, which must lie in it), of
    one kind or all, by village, kind, newest first."""
    own = bound_region(viewer)
    if own is None:
        return []
    area = own if village is None else own.meet(village)
    if area is None:
        return []
    recent, temporary = months(viewer, on)
    in_area = within_q(area)
    on_dibao = _on_dibao(in_area)
    rows: list[Row] = []
    if kind in ("", REFUSED):
        since = add_months(on, -recent)
        seen: set = set()
        qs = (Case.objects.filter(in_area, state__in=[CaseState.REJECTED, CaseState.CLOSED_REJECTED],
                                  case_type__in=list(APPLICATION_TYPES | TEMPORARY_TYPES), decided_on__gt=since, decided_on__lte=on)
              .select_related("person", "household__head").order_by("-decided_on", "-id"))
        for case in qs[:ROW_LIMIT]:
            key = ("h", case.household_id) if case.household_id else ("c", case.pk)
            if key in seen or case.household_id in on_dibao:
                continue
            seen.add(key)
            person = case.person or (case.household.head if case.household_id else None)
            rows.append(Row(REFUSED, case.region_code, case.household_id, person.name if person else case.applicant_name,
                            mask_id_number(person.id_number if person else case.applicant_id_number), case.decided_on,
                            _("%(type)s，案件号 %(pk)s") % {"type": case.get_case_type_display(), "pk": case.pk}))
    if kind in ("", LEFT_DIBAO):
        first = month_of(add_months(on, -recent))
        seen = set()
        qs = (Benefit.objects.filter(in_area, programme=bc.Programme.DIBAO,
                                     status__in=[bc.BenefitStatus.STOPPED, bc.BenefitStatus.GRADUAL_EXIT],
                                     end_month__gte=first, end_month__lt=month_of(on))
              .select_related("person", "household__head").order_by("-end_month", "-id"))
        for b in qs[:ROW_LIMIT]:
            if b.household_id in seen or b.household_id in on_dibao:
                continue
            seen.add(b.household_id)
            person = b.person or b.household.head
            rows.append(Row(LEFT_DIBAO, b.region_code, b.household_id, person.name if person else "",
                            mask_id_number(person.id_number if person else ""), b.end_month,
                            _("最后发放月 %(month)s") % {"month": f"{b.end_month:%Y-%m}"}))
    if kind in ("", TEMPORARY):
        since = add_months(on, -temporary)
        seen = set()
        qs = (OneOffPayment.objects.filter(in_area, approved_on__gt=since, approved_on__lte=on)
              .select_related("household__head").order_by("-approved_on", "-id"))
        for p in qs[:ROW_LIMIT]:
            if p.household_id in seen or p.household_id in on_dibao:
                continue
            seen.add(p.household_id)
            head = p.household.head
            rows.append(Row(TEMPORARY, p.region_code, p.household_id, head.name if head else "",
                            mask_id_number(head.id_number if head else ""), p.approved_on,
                            _("%(kind)s %(amount)s 元") % {"kind": p.get_kind_display(), "amount": fen_to_yuan(p.amount_fen)}))
    from bangfu.regions.models import Region

    names = dict(Region.objects.filter(code__in={r.region_code for r in rows}).values_list("code", "name"))
    order = list(KINDS)
    for r in rows:
        r.village_name = names.get(r.region_code, r.region_code)
    rows.sort(key=lambda r: (r.region_code, order.index(r.kind), -r.on.toordinal(), r.household_id or 0))
    return rows


def write_xlsx(target, rows: list[Row], *, on: dt.date, recent: int, temporary: int) -> int:
    """The list as one sheet (XlsxWriter): village, kind, household, name, masked ID number, date,
    detail; then the period of each kind."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(_("重新筛查名单")[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    headers = [_("村（社区）"), _("类别"), _("户号"), _("姓名"), _("身份证号（脱敏）"), _("日期"), _("说明")]
    for col, (text, width) in enumerate(zip(headers, [20, 16, 8, 10, 22, 12, 36], strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, text, head)
    n = 0
    for n, r in enumerate(rows, start=1):
        sheet.write_string(n, 0, r.village_name)
        sheet.write_string(n, 1, r.kind_label)
        if r.household_id:
            sheet.write_number(n, 2, r.household_id)
        sheet.write_string(n, 3, r.name)
        sheet.write_string(n, 4, r.id_number)
        sheet.write_string(n, 5, f"{r.on:%Y-%m-%d}")
        sheet.write_string(n, 6, r.detail)
    sheet.write_string(n + 2, 0, _("截至 %(date)s；近期未通过、近期退保：%(recent)s 个月内；临时救助：%(temporary)s 个月内")
                       % {"date": f"{on:%Y-%m-%d}", "recent": recent, "temporary": temporary})
    book.close()
    return len(rows)
