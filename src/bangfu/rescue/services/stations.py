"""The link between a station-staff user and their rescue station."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import MANAGE_REGIONS, check_perm
from bangfu.accounts.access import access_by_id
from bangfu.accounts.choices import Role

from ..errors import RescueError
from ..models import RescueStation, StationStaff


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
