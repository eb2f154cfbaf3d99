"""Mandatory reporting (R25) of harm noticed during a stay."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import access_by_id

from .. import permissions
from .. import choices as c
from ..errors import RescueError
from ..models import MandatoryReport
from ..selectors import stay_for_edit
from ._common import _stamp


# ----------------------------------------------------------------------------- mandatory reporting (R25)


@transaction.atomic
def report_record(*, acting_user, stay_id: int, kind: str, victim: str, noticed_at: dt.datetime, description: str,
                  reported_to: str = "", reported_at: dt.datetime | None = None) -> MandatoryReport:
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    errors = {}
    if kind not in c.ReportKind.values:
        errors["kind"] = [_("请选择情形")]
    if victim not in c.ReportVictim.values:
        errors["victim"] = [_("请选择受侵害人类别")]
    if not description.strip():
        errors["description"] = [_("请填写情况")]
    if reported_at and not reported_to.strip():
        errors["reported_to"] = [_("已报告的，须填写报告对象")]
    if reported_at and reported_at < noticed_at:
        errors["reported_at"] = [_("报告时间不能早于发现时间")]
    if errors:
        raise RescueError(errors)
    report = MandatoryReport(stay=stay, region_code=stay.region_code, kind=kind, victim=victim, noticed_at=noticed_at,
                             description=description.strip(), reported_to=reported_to.strip(), reported_at=reported_at,
                             recorded_by=acting_user)
    _stamp(report, acting_user).save()
    return report


@transaction.atomic
def report_made(*, acting_user, report_id: int, reported_to: str, reported_at: dt.datetime) -> MandatoryReport:
    check_perm(acting_user, permissions.RESCUE_EDIT)
    report = access_by_id(acting_user, MandatoryReport.objects.select_for_update(), report_id)
    stay_for_edit(acting_user, report.stay_id)
    if not reported_to.strip() or reported_at < report.noticed_at:
        raise RescueError({"reported_to": [_("请填写报告对象，报告时间不能早于发现时间")]})
    report.reported_to, report.reported_at = reported_to.strip(), reported_at
    _stamp(report, acting_user).save()
    return report
