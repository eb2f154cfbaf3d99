"""Writes of the rescue app (篇四, R18–R25). Each takes the acting user, runs in one transaction,
locks the row it changes and leaves history (django-simple-history, author = acting user).

A stay is changed only by the staff of its station (selectors.stay_for_edit); a stay of another
station answers "not found" exactly as a missing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import MANAGE_REGIONS, check_perm
from bangfu.accounts.access import NotFound, access_by_id, in_scope
from bangfu.accounts.choices import Role
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

from . import permissions
from . import choices as c
from . import rules
from .errors import RescueError
from .models import (CareAssessment, Encounter, FollowUp, Institution, InstitutionRate, MandatoryReport, Patrol, Placement,
                     PreventionEntry, RescueStation, SettlementCase, Stay, StationStaff, StayPhoto, StayService, TracingStep)
from .selectors import station_of, stay_for_edit

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"))

STAY_FIELDS = (
    "name", "sex", "birth_date", "birth_date_estimated", "arrival_at", "referral_source", "found_at", "found_place",
    "brought_by", "handover_document", "capable_adult", "consent_given", "physical_description", "language",
    "belongings", "is_minor", "is_elderly", "is_disabled", "has_mental_disorder", "is_immobile", "is_dv_victim",
    "is_pregnant", "tekun_eligible",
)


def _stamp(obj, user):
    obj._history_user = user
    return obj


def _station_for(user, station_id: int | None = None) -> RescueStation:
    """The station the acting user writes for: their own; an administrator names one in scope."""
    check_perm(user, permissions.RESCUE_EDIT)
    if user.role == Role.STATION_STAFF:
        station = station_of(user)
        if station is None:
            raise RescueError(_("您的账号尚未关联救助管理站，请联系系统管理员"))
        return station
    if station_id is None:
        raise RescueError({"station": [_("请选择救助站")]})
    return access_by_id(user, RescueStation.objects.all(), station_id)


def _region_code(raw: str, field: str = "home_region_code") -> str:
    code = (raw or "").strip()
    if not code:
        return ""
    try:
        code = RegionCode.from_prefix(code).code
    except ValueError:
        code = ""
    if not code or not Region.objects.filter(code=code).exists():
        raise RescueError({field: [_("区划代码“%(code)s”不存在，请填写12位统计用区划代码（或6位县级代码）") % {"code": raw}]})
    return code


def _identity(raw: str) -> tuple[str, dt.date, str]:
    try:
        info = parse_id_number(raw)
    except InvalidIdNumber as exc:
        raise RescueError({"id_number": [str(exc)]}) from None
    return info.number, info.birth_date, info.sex


def _registry_person(number: str):
    # Linking only stores the key: the station does not read the registry record, which stays
    # behind registry scoping for everyone else.
    from bangfu.registry.models import Person

    return Person.objects.filter(id_number=number).only("pk").first()


def check_escort(data: dict[str, Any]) -> dict[str, list[str]]:
    escorted = data.get("referral_source") in c.ESCORTED_SOURCES
    vulnerable = any(data.get(f) for f in ("is_minor", "is_elderly", "is_disabled", "has_mental_disorder", "is_immobile"))
    problems = rules.escort_problems(escorted=escorted, capable_adult=bool(data.get("capable_adult", True)), vulnerable=vulnerable,
                                     consent=bool(data.get("consent_given")), handover=bool((data.get("handover_document") or "").strip()))
    return {k: [v] for k, v in problems.items()}


# ----------------------------------------------------------------------------- intake (R18, R19, R21)


@transaction.atomic
def stay_create(*, acting_user, data: dict[str, Any], station_id: int | None = None) -> Stay:
    """Intake (R18, R19, R21): one stay; an unidentified person gets a station number, description,
    language and belongings; an escorted capable adult needs consent, a vulnerable person a
    written handover; a valid ID number links the registry person when there is one."""
    station = _station_for(acting_user, station_id)
    station = RescueStation.objects.select_for_update().get(pk=station.pk)  # serialises station numbers
    errors: dict[str, list[str]] = check_escort(data)
    number = (data.get("id_number") or "").strip()
    fields = {k: data[k] for k in STAY_FIELDS if k in data}
    if not (fields.get("name") or "").strip():
        if number:
            errors.setdefault("name", []).append(_("请填写姓名"))
        else:
            fields["name"] = ""  # filled with the station number below
    if not fields.get("arrival_at"):
        errors.setdefault("arrival_at", []).append(_("请填写入站时间"))
    elif fields["arrival_at"] > timezone.now() + dt.timedelta(minutes=5):
        errors.setdefault("arrival_at", []).append(_("入站时间不能晚于现在"))
    if fields.get("referral_source") not in c.ReferralSource.values:
        errors.setdefault("referral_source", []).append(_("请选择来站方式"))
    person = None
    birth_date = fields.get("birth_date")
    if number:
        try:
            number, birth_date, sex = _identity(number)
            fields["birth_date"], fields["sex"], fields["birth_date_estimated"] = birth_date, sex, False
            person = _registry_person(number)
        except RescueError as exc:
            errors.update(exc.errors)
    else:
        if not (data.get("physical_description") or "").strip():
            errors.setdefault("physical_description", []).append(_("身份不明人员须记录体貌特征，供寻亲公告使用"))
    try:
        home = _region_code(data.get("home_region_code", ""))
    except RescueError as exc:
        errors.update(exc.errors)
        home = ""
    if errors:
        raise RescueError(errors)
    arrival: dt.datetime = fields["arrival_at"]
    if birth_date and rules.is_minor(birth_date, arrival.date()):
        fields["is_minor"] = True
    year = timezone.localtime(arrival).year
    seq = Stay.objects.filter(station=station, station_number__startswith=f"{station.number_prefix}{year}").count() + 1
    stay = Stay(station=station, region_code=station.region_code, home_region_code=home, id_number=number, person=person,
                identity_status=c.IdentityStatus.KNOWN if number else c.IdentityStatus.UNIDENTIFIED,
                station_number=f"{station.number_prefix}{year}{seq:05d}", created_by=acting_user, **fields)
    if not stay.name.strip():
        stay.name = f"无名氏{stay.station_number}"
    stay.name = stay.name.strip()
    _stamp(stay, acting_user).save()
    return stay


@transaction.atomic
def stay_photo_add(*, acting_user, stay_id: int, upload) -> StayPhoto:
    """Store a photo of the person under PRIVATE_FILES_ROOT (never public, never in the database).
    The type is decided by the file's first bytes, not by its name or the browser's claim."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    size = getattr(upload, "size", None) or 0
    if size > PHOTO_MAX_BYTES:
        raise RescueError({"photo": [_("照片不能超过%(size)sMB") % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}]})
    head = upload.read(16)
    kind = next(((mime, ext) for magic, mime, ext in PHOTO_TYPES if head.startswith(magic)), None)
    if kind is None:
        raise RescueError({"photo": [_("只能上传JPEG或PNG格式的照片")]})
    mime, ext = kind
    relative = Path("rescue") / str(stay.station_id) / f"{uuid.uuid4().hex}.{ext}"
    target = Path(settings.PRIVATE_FILES_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256(head)
    written = len(head)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(head)
        for chunk in iter(lambda: upload.read(64 * 1024), b""):
            written += len(chunk)
            if written > PHOTO_MAX_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise RescueError({"photo": [_("照片不能超过%(size)sMB") % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}]})
            digest.update(chunk)
            out.write(chunk)
    try:
        return StayPhoto.objects.create(stay=stay, region_code=stay.region_code, path=str(relative), content_type=mime, size=written,
                                        sha256=digest.hexdigest(), uploaded_by=acting_user)
    except Exception:
        target.unlink(missing_ok=True)  # no row, no file
        raise


def photo_file(photo: StayPhoto) -> Path:
    root = Path(settings.PRIVATE_FILES_ROOT).resolve()
    path = (root / photo.path).resolve()
    if root not in path.parents:
        raise NotFound()
    return path


@transaction.atomic
def service_add(*, acting_user, stay_id: int, kind: str, start_date: dt.date, end_date: dt.date | None = None,
                cost_fen: int = 0, note: str = "") -> StayService:
    """A service given (R19) with dates and cost; medical care at actual cost."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    errors = {}
    if kind not in c.ServiceKind.values:
        errors["kind"] = [_("请选择服务项目")]
    if end_date and end_date < start_date:
        errors["end_date"] = [_("终止日期不能早于起始日期")]
    if start_date < timezone.localtime(stay.arrival_at).date():
        errors["start_date"] = [_("服务日期不能早于入站日期")]
    if cost_fen < 0:
        errors["cost_fen"] = [_("费用不能为负数")]
    if errors:
        raise RescueError(errors)
    service = StayService(stay=stay, region_code=stay.region_code, kind=kind, start_date=start_date, end_date=end_date,
                          cost_fen=cost_fen, note=note)
    _stamp(service, acting_user).save()
    return service


# ----------------------------------------------------------------------------- family tracing (R22)


@transaction.atomic
def tracing_step_record(*, acting_user, stay_id: int, kind: str, done_at: dt.datetime, done_by: str, reference: str = "",
                        result: str = c.TracingResult.PENDING) -> TracingStep:
    """Record a tracing step (notice, fingerprint/face comparison, DNA) with date, who and result."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    errors = {}
    if stay.identity_status == c.IdentityStatus.KNOWN:
        errors["kind"] = [_("身份已知的人员不需要寻亲")]
    if kind not in c.TracingStepKind.values:
        errors["kind"] = [_("请选择寻亲步骤")]
    if done_at < stay.arrival_at:
        errors["done_at"] = [_("完成时间不能早于入站时间")]
    if done_at > timezone.now() + dt.timedelta(minutes=5):
        errors["done_at"] = [_("完成时间不能晚于现在")]
    if not done_by.strip():
        errors["done_by"] = [_("请填写经办人或单位")]
    if result not in c.TracingResult.values:
        errors["result"] = [_("请选择结果")]
    if errors:
        raise RescueError(errors)
    step = TracingStep(stay=stay, region_code=stay.region_code, kind=kind, done_at=done_at, done_by=done_by.strip(),
                       reference=reference, result=result, recorded_by=acting_user)
    _stamp(step, acting_user).save()
    return step


@transaction.atomic
def identity_confirm(*, acting_user, stay_id: int, id_number: str, name: str, home_region_code: str) -> Stay:
    """A tracing match (R22): record the identity, link the registry person when one exists. When
    none exists, the home office registers the person (stay_register_person)."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    errors: dict[str, list[str]] = {}
    number = ""
    try:
        number, birth, sex = _identity(id_number)
    except RescueError as exc:
        errors.update(exc.errors)
    if not name.strip():
        errors["name"] = [_("请填写姓名")]
    try:
        home = _region_code(home_region_code)
    except RescueError as exc:
        errors.update(exc.errors)
        home = ""
    if not home:
        errors.setdefault("home_region_code", [_("请填写户籍地区划代码")])
    if errors:
        raise RescueError(errors)
    stay.id_number, stay.birth_date, stay.sex, stay.birth_date_estimated = number, birth, sex, False
    stay.name, stay.home_region_code = name.strip(), home
    if stay.identity_status == c.IdentityStatus.UNIDENTIFIED:
        stay.identity_status = c.IdentityStatus.MATCHED
    stay.person = _registry_person(number)
    _stamp(stay, acting_user).save()
    return stay


@transaction.atomic
def stay_register_person(*, acting_user, stay_id: int, village_id: int) -> Stay:
    """The home office creates the registry record of an identified returnee who has none, through
    registry.services (its own permission and village scope apply)."""
    from bangfu.registry import services as registry_services

    from .selectors import stay_get

    check_perm(acting_user, permissions.RESCUE_FOLLOW_UP)
    stay = Stay.objects.select_for_update().get(pk=stay_get(acting_user, stay_id).pk)
    if not stay.id_number:
        raise RescueError(_("身份未查明，不能登记到帮扶档案"))
    if stay.person_id:
        raise RescueError(_("该人员已关联帮扶档案"))
    existing = _registry_person(stay.id_number)
    if existing is None:
        # a RegistryError (a DomainError, as RescueError) reaches the page as it is
        household = registry_services.household_create(
            acting_user=acting_user, region_id=village_id,
            members=[{"name": stay.name, "relation": "head", "id_number": stay.id_number,
                      "has_mental_disorder": stay.has_mental_disorder}],
            note=_("救助返乡人员（%(station)s %(number)s）") % {"station": stay.station.name, "number": stay.station_number})
        existing = household.head
    stay.person = existing
    _stamp(stay, acting_user).save(update_fields=["person"])
    return stay


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
    from .selectors import placements_in_month

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


# ----------------------------------------------------------------------------- end of stay (R19, R23)


@transaction.atomic
def stay_end(*, acting_user, stay_id: int, ended_at: dt.datetime, reason: str, statement: str = "", destination: str = "") -> Stay:
    """End the stay with a reason. Leaving by choice needs a signed statement; returning home needs
    the home region and gives the home office a follow-up task (R23)."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    errors: dict[str, list[str]] = {}
    if stay.status != c.StayStatus.OPEN:
        raise RescueError(_("该人员已离站"))
    if reason not in c.EndReason.values:
        errors["reason"] = [_("请选择离站原因")]
    if ended_at < stay.arrival_at:
        errors["ended_at"] = [_("离站时间不能早于入站时间")]
    if reason == c.EndReason.LEFT_BY_CHOICE and not statement.strip():
        errors["statement"] = [_("自愿离站须由本人签署声明书，请填写声明书编号")]
    if reason == c.EndReason.LEFT_BY_CHOICE and (stay.is_minor or not stay.capable_adult):
        errors["reason"] = [_("未成年人或无完全民事行为能力人不能自行离站，应护送返乡或交监护人")]
    if reason == c.EndReason.RETURNED_HOME and not stay.home_region_code:
        errors["reason"] = [_("返乡须先查明户籍地（填写户籍地区划代码）")]
    if reason == c.EndReason.SETTLED and not (hasattr(stay, "settlement") and stay.settlement.status == c.SettlementStatus.REGISTERED):
        errors["reason"] = [_("落户安置须在安置案件办结（户口登记）后离站")]
    if errors:
        raise RescueError(errors)
    stay.status, stay.ended_at, stay.end_reason = c.StayStatus.ENDED, ended_at, reason
    stay.end_statement, stay.end_destination = statement.strip(), destination.strip()
    _stamp(stay, acting_user).save()
    end_day = timezone.localtime(ended_at).date()
    for placement in Placement.objects.select_for_update().filter(stay=stay, end_date__isnull=True).order_by("pk"):
        placement.end_date = max(end_day, placement.start_date)
        _stamp(placement, acting_user).save()
    if reason == c.EndReason.RETURNED_HOME:
        entry = PreventionEntry(
            region_code=stay.home_region_code, category=c.PreventionCategory.RETURNED, name=stay.name, id_number=stay.id_number,
            person=stay.person, stay=stay, address=destination.strip(),
            interval_days=rules.value("follow_up_interval_days", end_day),
            next_due=end_day + dt.timedelta(days=rules.value("first_follow_up_days", end_day)))
        _stamp(entry, acting_user).save()
    return stay


# ----------------------------------------------------------------------------- settlement (R24)


def _settlement_for_update(acting_user, case_id: int, version: int) -> SettlementCase:
    from .selectors import stays

    case = SettlementCase.objects.select_for_update().filter(pk=case_id, stay__in=stays(acting_user)).select_related("stay").first()
    if case is None:
        raise NotFound()
    if case.version != version:
        raise RescueError(_("该案件已被他人修改，请刷新后重试"))
    return case


@transaction.atomic
def settlement_apply(*, acting_user, stay_id: int, applied_on: dt.date) -> SettlementCase:
    """The station applies for settlement of an unidentified person staying over 3 months (R24)."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    if stay.status != c.StayStatus.OPEN or stay.identity_status != c.IdentityStatus.UNIDENTIFIED:
        raise RescueError(_("只有在站的身份不明人员可以申请落户安置"))
    if not rules.settlement_due(timezone.localtime(stay.arrival_at), applied_on):
        due = rules.tracing_deadlines(timezone.localtime(stay.arrival_at)).settlement_after
        raise RescueError({"applied_on": [_("在站未满3个月（%(date)s后方可申请）") % {"date": f"{due:%Y-%m-%d}"}]})
    if SettlementCase.objects.filter(stay=stay).exists():
        raise RescueError(_("该人员已有落户安置案件"))
    case = SettlementCase(stay=stay, region_code=stay.region_code, applied_on=applied_on)
    _stamp(case, acting_user).save()
    return case


@transaction.atomic
def settlement_plan(*, acting_user, case_id: int, version: int, planned_on: dt.date, outcome: str, orphan_benefit: bool = False,
                    institution_name: str = "", note: str = "") -> SettlementCase:
    """Civil affairs proposes the plan: a minor → children's welfare institution and orphan benefit;
    a tekun-eligible adult → tekun institution (seed 篇四 二（五）)."""
    check_perm(acting_user, permissions.RESCUE_SETTLE)
    case = _settlement_for_update(acting_user, case_id, version)
    if case.status != c.SettlementStatus.APPLIED:
        raise RescueError(_("该案件不在待提出方案阶段"))
    stay = case.stay
    minor = rules.is_minor(stay.birth_date, planned_on, flagged=stay.is_minor)
    problems = rules.settlement_outcome_problems(minor=minor, outcome=outcome, orphan_benefit=orphan_benefit,
                                                 tekun_eligible=stay.tekun_eligible)
    if outcome not in c.SettlementOutcome.values:
        problems["outcome"] = _("请选择安置去向")
    if outcome == c.SettlementOutcome.OTHER and not note.strip():
        problems["note"] = _("其他安置须写明方案")
    if planned_on < case.applied_on:
        problems["planned_on"] = _("方案日期不能早于申请日期")
    if problems:
        raise RescueError({k: [v] for k, v in problems.items()})
    case.status, case.planned_on, case.outcome = c.SettlementStatus.PLANNED, planned_on, outcome
    case.orphan_benefit, case.institution_name, case.note = orphan_benefit, institution_name.strip(), note.strip()
    case.version += 1
    _stamp(case, acting_user).save()
    return case


@transaction.atomic
def settlement_advance(*, acting_user, case_id: int, version: int, day: dt.date) -> SettlementCase:
    """Government approval (approved), then household registration and transfer (registered), which
    ends the stay as settled."""
    check_perm(acting_user, permissions.RESCUE_SETTLE)
    case = _settlement_for_update(acting_user, case_id, version)
    if case.status == c.SettlementStatus.PLANNED:
        if day < case.planned_on:
            raise RescueError({"day": [_("批准日期不能早于方案日期")]})
        case.status, case.approved_on = c.SettlementStatus.APPROVED, day
    elif case.status == c.SettlementStatus.APPROVED:
        if day < case.approved_on:
            raise RescueError({"day": [_("户口登记日期不能早于批准日期")]})
        case.status, case.registered_on = c.SettlementStatus.REGISTERED, day
    else:
        raise RescueError(_("该案件不在待批准或待登记阶段"))
    case.version += 1
    _stamp(case, acting_user).save()
    if case.status == c.SettlementStatus.REGISTERED:
        stay = Stay.objects.select_for_update().get(pk=case.stay_id)
        stay.status, stay.end_reason, stay.end_destination = c.StayStatus.ENDED, c.EndReason.SETTLED, case.institution_name
        stay.ended_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        _stamp(stay, acting_user).save()
        Placement.objects.filter(stay=stay, end_date__isnull=True).update(end_date=day)
    return case


# ----------------------------------------------------------------------------- source prevention (R23)


@transaction.atomic
def prevention_entry_create(*, acting_user, region_code: str, category: str, name: str, id_number: str = "", address: str = "",
                            phone: str = "", first_due: dt.date | None = None) -> PreventionEntry:
    """Add a person prone to wandering to the home region's register (R23)."""
    check_perm(acting_user, permissions.RESCUE_FOLLOW_UP)
    errors: dict[str, list[str]] = {}
    try:
        code = _region_code(region_code, "region_code")
    except RescueError as exc:
        errors.update(exc.errors)
        code = ""
    if code and not in_scope(acting_user, code):
        errors["region_code"] = [_("只能登记本辖区的人员")]
    if category not in c.PreventionCategory.values:
        errors["category"] = [_("请选择类别")]
    if not name.strip():
        errors["name"] = [_("请填写姓名")]
    number = ""
    if id_number.strip():
        try:
            number = _identity(id_number)[0]
        except RescueError as exc:
            errors.update(exc.errors)
    if errors:
        raise RescueError(errors)
    today = timezone.localdate()
    entry = PreventionEntry(region_code=code, category=category, name=name.strip(), id_number=number, address=address, phone=phone,
                            person=_registry_person(number) if number else None,
                            interval_days=rules.value("follow_up_interval_days", today),
                            next_due=first_due or today + dt.timedelta(days=rules.value("first_follow_up_days", today)))
    _stamp(entry, acting_user).save()
    return entry


@transaction.atomic
def follow_up_record(*, acting_user, entry_id: int, kind: str, done_on: dt.date, note: str) -> FollowUp:
    """A visit or call (R23); the next one falls due one interval later."""
    check_perm(acting_user, permissions.RESCUE_FOLLOW_UP)
    entry = access_by_id(acting_user, PreventionEntry.objects.select_for_update(), entry_id)
    errors = {}
    if kind not in c.FollowUpKind.values:
        errors["kind"] = [_("请选择回访方式")]
    if done_on > timezone.localdate():
        errors["done_on"] = [_("回访日期不能晚于今天")]
    if not note.strip():
        errors["note"] = [_("请填写回访情况")]
    if errors:
        raise RescueError(errors)
    follow_up = FollowUp.objects.create(entry=entry, region_code=entry.region_code, kind=kind, done_on=done_on, note=note.strip(),
                                        recorded_by=acting_user)
    entry.next_due = done_on + dt.timedelta(days=entry.interval_days)
    _stamp(entry, acting_user).save()
    return follow_up


# ----------------------------------------------------------------------------- patrols (R21)


@transaction.atomic
def patrol_create(*, acting_user, started_at: dt.datetime, area: str, team: str, station_id: int | None = None) -> Patrol:
    station = _station_for(acting_user, station_id)
    if not area.strip() or not team.strip():
        raise RescueError({"area": [_("请填写巡查区域和巡查人员")]})
    return Patrol.objects.create(station=station, region_code=station.region_code, started_at=started_at, area=area.strip(),
                                 team=team.strip(), recorded_by=acting_user)


@transaction.atomic
def encounter_add(*, acting_user, patrol_id: int, data: dict[str, Any]) -> Encounter:
    """A person met on patrol and what was done (R21): an escorted capable adult needs consent, a
    vulnerable person a written handover; a refusal needs the persuasion given and the contact left."""
    check_perm(acting_user, permissions.RESCUE_EDIT)
    from .selectors import patrols

    patrol = patrols(acting_user).filter(pk=patrol_id).first()
    if patrol is None:
        raise NotFound()
    action = data.get("action")
    errors: dict[str, list[str]] = {}
    if action not in c.EncounterAction.values:
        errors["action"] = [_("请选择处置方式")]
    problems = rules.escort_problems(escorted=action == c.EncounterAction.ESCORTED, capable_adult=bool(data.get("capable_adult", True)),
                                     vulnerable=bool(data.get("vulnerable")), consent=bool(data.get("consent_given")),
                                     handover=bool((data.get("handover_document") or "").strip()))
    errors.update({k: [v] for k, v in problems.items()})
    if action == c.EncounterAction.REFUSED:
        if not (data.get("persuasion") or "").strip():
            errors["persuasion"] = [_("拒绝救助的，须记录劝导情况")]
        if not data.get("contact_left"):
            errors["contact_left"] = [_("拒绝救助的，须告知救助站联系方式和求助方式")]
    for field in ("place", "description"):
        if not (data.get(field) or "").strip():
            errors[field] = [_("请填写此项")]
    if not data.get("met_at"):
        errors["met_at"] = [_("请填写时间")]
    if errors:
        raise RescueError(errors)
    fields = ("met_at", "place", "description", "action", "capable_adult", "vulnerable", "consent_given", "handover_document",
              "persuasion", "contact_left")
    return Encounter.objects.create(patrol=patrol, region_code=patrol.region_code, **{k: data[k] for k in fields if k in data})


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


@transaction.atomic
def station_staff_link(*, acting_user, user_id: int, station_id: int) -> StationStaff:
    """An administrator binds a station-staff user to a station (the user's region must be the station's)."""
    check_perm(acting_user, MANAGE_REGIONS)
    from django.contrib.auth import get_user_model

    station = access_by_id(acting_user, RescueStation.objects.all(), station_id)
    user = get_user_model().objects.select_for_update().get(pk=user_id)
    if user.role != Role.STATION_STAFF or user.region_id != station.region_id:
        raise RescueError(_("只有所属区划与救助站一致的救助站工作人员可以关联"))
    link, _created = StationStaff.objects.update_or_create(user=user, defaults={"station": station})
    return link
