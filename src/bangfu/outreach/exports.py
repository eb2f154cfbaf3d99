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
