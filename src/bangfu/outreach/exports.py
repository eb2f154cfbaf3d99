"""Referral lists for the receiving department (R4: the education department, the disability
federation, the village committee and the housing department), as xlsx. ID numbers are masked
unless the viewer may export full numbers; every export is logged (AccessLog)."""

from __future__ import annotations

import xlsxwriter
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import has_perm
from bangfu.registry.permissions import EXPORT_FULL_ID
from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog, log_access

from . import choices as c


def export_referrals(*, viewer, rows, target_code: str, target, request=None) -> int:
    full = has_perm(viewer, EXPORT_FULL_ID)
    labels = dict(c.ReferralTarget.choices)
    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet(_("转介清单"))
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    title = _("%(target)s 转介清单") % {"target": labels.get(target_code, target_code)}
    sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    headers = [_("序号"), _("区划代码"), _("家庭编号"), _("姓名"), _("身份证号码"), _("事项"), _("发现日期"), _("转介日期"),
               _("接收单位或联系人"), _("答复"), _("答复日期")]
    for col, text in enumerate(headers):
        sheet.write(1, col, text, head)
    n = 0
    for n, referral in enumerate(rows, start=1):
        item, person = referral.item, referral.item.person
        number = person.id_number if full else mask_id_number(person.id_number)
        values = [n, referral.region_code, item.household_id, person.name, number, item.get_kind_display(),
                  item.opened_on.isoformat(), referral.referred_on.isoformat(), referral.target_name, referral.answer,
                  referral.answered_on.isoformat() if referral.answered_on else ""]
        for col, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(n + 1, col, value)
            else:
                sheet.write_string(n + 1, col, str(value))
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 4, 16)
    sheet.set_column(5, 10, 18)
    workbook.close()
    log_access(acting_user=viewer, action=AccessLog.Action.EXPORT, object_type="outreach.referral", object_id=target_code,
               region_code=viewer.region.code if viewer.region else "", detail=f"转介清单 {n} 行（{'完整' if full else '脱敏'}号码）",
               request=request)
    return n


# --------------------------------------------------------------------- the list pages (issue 17)

EXPORT_MAX_ROWS = 50_000  # past this the user narrows the list first (a county's pairings fit)


def _place_names(codes) -> dict[str, tuple[str, str]]:
    """code → (township name, village name) for 12-digit region codes, in one query."""
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region

    pairs = {}
    for code in set(codes):
        township = RegionCode(code).township
        pairs[code] = (township.code if township else "", code)
    wanted = {c for pair in pairs.values() for c in pair if c}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    return {code: (names.get(t, ""), names.get(v, "") if v != t else "") for code, (t, v) in pairs.items()}


def _write(target, title: str, headers: list[str], widths: list[int], rows) -> int:
    """One sheet with a header row (XlsxWriter, constant memory); every value written as text or
    number as it is (an ID number stays text)."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, text, head)
    n = 0
    for n, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, "" if value is None else str(value))
    book.close()
    return n


def _target_id(pairing, full: bool) -> str:
    person = pairing.person if pairing.person_id else (pairing.household.head if pairing.household_id else None)
    number = person.id_number if person is not None else ""
    return number if full else mask_id_number(number)


def write_pairings(target, pairings: list, *, full_id: bool) -> int:
    """The pairings in force in the quarter (selectors.pairings_with_counts), with their helpers."""
    places = _place_names(p.region_code for p in pairings)
    kinds = dict(c.TargetKind.choices)
    headers = [_("编号"), _("帮扶对象"), _("类型"), _("身份证号") if full_id else _("身份证号（脱敏）"), _("乡镇（街道）"), _("村（社区）"),
               _("帮扶责任人"), _("起始日期"), _("终止日期"), _("本季度走访"), _("应走访")]

    def rows():
        for p in pairings:
            township, village = places[p.region_code]
            helpers = "、".join(link.helper.name for link in p.links.all())
            yield [p.pk, p.target_label, str(kinds.get(p.target_kind, p.target_kind)), _target_id(p, full_id), township, village,
                   helpers, f"{p.start_date:%Y-%m-%d}", f"{p.end_date:%Y-%m-%d}" if p.end_date else "", p.visit_count, p.required]

    return _write(target, _("结对关系"), headers, [8, 16, 8, 22, 14, 14, 24, 12, 12, 10, 8], rows())


def write_visits(target, visits: list, *, full_id: bool) -> int:
    """Visits (newest first) with their pairing's target and the visitors."""
    places = _place_names(v.region_code for v in visits)
    ways = dict(c.VisitWay.choices)
    headers = [_("走访日期"), _("结对编号"), _("帮扶对象"), _("身份证号") if full_id else _("身份证号（脱敏）"), _("乡镇（街道）"),
               _("村（社区）"), _("走访方式"), _("走访人"), _("了解到的情况"), _("提出的需求"), _("后续措施")]

    def rows():
        for v in visits:
            township, village = places[v.region_code]
            visitors = "、".join([h.name for h in v.visitors.all()] + ([v.other_visitors] if v.other_visitors else []))
            yield [f"{v.date:%Y-%m-%d}", v.pairing_id, v.pairing.target_label, _target_id(v.pairing, full_id), township, village,
                   str(ways.get(v.way, v.way)), visitors, v.findings, v.needs, v.follow_up]

    return _write(target, _("走访记录"), headers, [12, 8, 16, 22, 14, 14, 10, 20, 40, 30, 30], rows())


def write_helpers(target, helpers: list, *, full_phone: bool) -> int:
    from bangfu.common.idnumber import mask_phone

    places = _place_names(h.region_code for h in helpers)
    kinds = dict(c.HelperKind.choices)
    headers = [_("姓名或名称"), _("类型"), _("所在单位"), _("乡镇（街道）"), _("所属区划"), _("联系电话"), _("在岗"), _("登录账号")]

    def rows():
        for h in helpers:
            township, _village = places[h.region_code]
            yield [h.name, str(kinds.get(h.kind, h.kind)), h.unit, township, h.region.name, h.phone if full_phone else mask_phone(h.phone),
                   _("是") if h.active else _("否"), _("有") if h.user_id else ""]

    return _write(target, _("帮扶责任人"), headers, [16, 12, 24, 14, 16, 14, 6, 8], rows())
