"""Stays (R18, R19, R21, R23): intake, photos and services given, and the end of a stay."""

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

from bangfu.accounts.access import NotFound
from bangfu.common.dates import birth_date_problem

from .. import choices as c
from .. import rules
from ..errors import RescueError
from ..models import Placement, PreventionEntry, RescueStation, Stay, StayPhoto, StayService
from ..selectors import stay_for_edit
from ._common import _identity, _region_code, _registry_person, _stamp, _station_for


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"))

STAY_FIELDS = (
    "name", "sex", "birth_date", "birth_date_estimated", "arrival_at", "referral_source", "found_at", "found_place",
    "brought_by", "handover_document", "capable_adult", "consent_given", "physical_description", "language",
    "belongings", "is_minor", "is_elderly", "is_disabled", "has_mental_disorder", "is_immobile", "is_dv_victim",
    "is_pregnant", "tekun_eligible",
)


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
    if birth_date and not number and fields.get("arrival_at"):
        # year 1 and 9999 are dates too; an estimate still lies between 1900 and the arrival
        problem = birth_date_problem(birth_date, timezone.localtime(fields["arrival_at"]).date())
        if problem:
            errors.setdefault("birth_date", []).append(problem)
    if errors:
        raise RescueError(errors)
    arrival: dt.datetime = fields["arrival_at"]
    if birth_date and rules.is_minor(birth_date, arrival.date()):
        fields["is_minor"] = True
    year = timezone.localtime(arrival).year
    # the station row is locked above, so the count is this station's alone; a number already taken
    # (a prefix changed back, a row removed by the administrator) is skipped
    numbers = Stay.objects.filter(station=station, station_number__startswith=f"{station.number_prefix}{year}")
    seq = numbers.count() + 1
    while numbers.filter(station_number=f"{station.number_prefix}{year}{seq:05d}").exists():
        seq += 1
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
