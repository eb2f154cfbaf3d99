"""What the rescue services share: the history stamp, the station the acting user writes for, a
region code, an ID number and the registry person it names."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import access_by_id
from bangfu.accounts.choices import Role
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

from .. import permissions
from ..errors import RescueError
from ..models import RescueStation
from ..selectors import station_of


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
