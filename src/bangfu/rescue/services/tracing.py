"""Family tracing (R22): tracing steps, a confirmed identity, and the registry record of a returnee."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm

from .. import permissions
from .. import choices as c
from ..errors import RescueError
from ..models import Stay, TracingStep
from ..selectors import stay_for_edit
from ._common import _identity, _region_code, _registry_person, _stamp


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

    from ..selectors import stay_get

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
