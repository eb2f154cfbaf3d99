"""Care and cost (R22): self-care assessments, placements, contracted institutions, their rates and
monthly statements."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound

from .. import choices as c
from .. import rules
from ..errors import RescueError
from ..models import CareAssessment, Institution, InstitutionRate, Placement
from ..selectors import stay_for_edit
from ._common import _stamp, _station_for


# ----------------------------------------------------------------------------- care and cost (R22)


def _care_thresholds(region_code: str, on: dt.date) -> tuple[int, int]:
    try:
        from bangfu.policy.current import current_parameter_set

        params = current_parameter_set()
        return int(params.value("care_partial_min_unable", region_code, on)), int(params.value("care_full_min_unable", region_code, on))
    except Exception:  # noqa: BLE001 - policy parameters missing: the rule's own numbers (特困人员认定办法)
        return 1, 4


@transaction.atomic
def assessment_record(*, acting_user, stay_id: int, effective_on: dt.date, abilities: dict[str, bool]) -> CareAssessment:
    """Self-care ability on six activities → care level (特困人员认定办法), effective from a date."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    if effective_on < timezone.localtime(stay.arrival_at).date():
        raise RescueError({"effective_on": [_("评估日期不能早于入站日期")]})
    values = {f: bool(abilities.get(f, True)) for f, _l in c.SELF_CARE_ACTIVITIES}
    unable = sum(not v for v in values.values())
    partial, full = _care_thresholds(stay.region_code, effective_on)
    assessment, _created = CareAssessment.objects.update_or_create(
        stay=stay, effective_on=effective_on,
        defaults={**values, "region_code": stay.region_code, "level": rules.care_level(unable, partial_min=partial, full_min=full)})
    return assessment


@transaction.atomic
def placement_start(*, acting_user, stay_id: int, kind: str, start_date: dt.date, institution_id: int | None = None) -> Placement:
    """Care on site or entrusted to a contracted institution (R22); the previous placement ends the day before."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    if stay.status != c.StayStatus.OPEN:
        raise RescueError(_("该人员已离站"))
    institution = None
    if kind != c.PlacementKind.ON_SITE:
        institution = Institution.objects.filter(pk=institution_id, station=stay.station).first()
        if institution is None:
            raise RescueError({"institution": [_("站外托养须选择本站签约的托养机构")]})
    for previous in Placement.objects.select_for_update().filter(stay=stay, end_date__isnull=True).order_by("pk"):
        if start_date <= previous.start_date:
            raise RescueError({"start_date": [_("起始日期须晚于上一次安置的起始日期")]})
        previous.end_date = start_date - dt.timedelta(days=1)
        _stamp(previous, acting_user).save()
    placement = Placement(stay=stay, region_code=stay.region_code, kind=kind, institution=institution, start_date=start_date)
    _stamp(placement, acting_user).save()
    return placement


@transaction.atomic
def institution_create(*, acting_user, name: str, kind: str, contract_number: str = "", contract_from=None, contract_to=None,
                       station_id: int | None = None) -> Institution:
    station = _station_for(acting_user, station_id)
    if kind not in c.InstitutionKind.values or not name.strip():
        raise RescueError({"name": [_("请填写机构名称并选择类型")]})
    institution = Institution(name=name.strip(), kind=kind, station=station, contract_number=contract_number,
                              contract_from=contract_from, contract_to=contract_to)
    _stamp(institution, acting_user).save()
    return institution


@transaction.atomic
def rate_set(*, acting_user, institution_id: int, valid_from: dt.date, **rates: int) -> InstitutionRate:
    station = _station_for(acting_user, rates.pop("station_id", None))
    institution = Institution.objects.filter(pk=institution_id, station=station).first()
    if institution is None:
        raise NotFound()
    if any(v is None or v < 0 for v in rates.values()):
        raise RescueError(_("费用标准不能为空或负数"))
    rate, _created = InstitutionRate.objects.update_or_create(institution=institution, valid_from=valid_from, defaults=rates)
    return rate


def rates_on(institution: Institution, day: dt.date) -> rules.Rates | None:
    rate = institution.rates.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rate is None:
        return None
    return rules.Rates(bed_fen=rate.bed_fen, rehab_fen=rate.rehab_fen, other_fen=rate.other_fen, margin_bp=rate.margin_bp,
                       care_fen={c.CareLevel.SELF_CARING: rate.care_self_fen, c.CareLevel.PARTLY_DEPENDENT: rate.care_partial_fen,
                                 c.CareLevel.FULLY_DEPENDENT: rate.care_full_fen})


def institution_statement(institution: Institution, year: int, month: int) -> list[dict]:
    """Monthly statement of one institution (R22): one row per person, prorated by day for
    placements and care-level changes. Rates in force on the month's first day apply."""
    from ..selectors import placements_in_month

    first, _last = rules.month_bounds(year, month)
    rates = rates_on(institution, first)
    if rates is None:
        raise RescueError(_("%(institution)s在%(year)s年%(month)s月没有有效的托养费用标准") % {"institution": institution.name, "year": year, "month": month})
    by_stay: dict[int, list[Placement]] = {}
    for placement in placements_in_month(institution, year, month):
        by_stay.setdefault(placement.stay_id, []).append(placement)
    levels: dict[int, list[tuple[dt.date, str]]] = {}
    for a in CareAssessment.objects.filter(stay_id__in=by_stay).order_by("effective_on"):
        levels.setdefault(a.stay_id, []).append((a.effective_on, a.level))
    rows = []
    for stay_id, placements in by_stay.items():
        stay = placements[0].stay
        if stay_id not in levels:
            rows.append({"stay": stay, "total_fen": None, "lines": [], "problem": _("缺少自理能力评估")})
            continue
        total, lines = rules.month_cost(year=year, month=month, placed=[(p.start_date, p.end_date) for p in placements],
                                        levels=levels[stay_id], rates=rates)
        rows.append({"stay": stay, "total_fen": total, "lines": lines, "problem": ""})
    return rows
