"""Fixtures of the rescue tests: two stations (瑶海区 in the shared tree, 庐阳区 added here), their
staff, the home offices, and a helper to take a stay in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def stations(regions):
    from bangfu_testing.factories import region
    from bangfu.rescue.models import RescueStation

    other_county = region("340103", "庐阳区", regions["city"])
    return {
        "a": RescueStation.objects.create(name="瑶海区救助管理站", region=regions["county"], number_prefix="YH"),
        "b": RescueStation.objects.create(name="庐阳区救助管理站", region=other_county, number_prefix="LY"),
    }


@pytest.fixture
def staff(stations):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user
    from bangfu.rescue.models import StationStaff

    a = make_user("zhan_a", Role.STATION_STAFF, stations["a"].region)
    b = make_user("zhan_b", Role.STATION_STAFF, stations["b"].region)
    StationStaff.objects.create(user=a, station=stations["a"])
    StationStaff.objects.create(user=b, station=stations["b"])
    return {"a": a, "b": b}


@pytest.fixture
def township_b(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return make_user("township_b", Role.TOWNSHIP_OFFICER, regions["township_b"])


@pytest.fixture
def intake(staff):
    """take_in(**overrides): a stay at station A by its staff (an unidentified walk-in by default)."""
    from bangfu.rescue import services

    def take_in(user=None, **overrides):
        data = {"name": "", "referral_source": "walk_in", "arrival_at": at(2025, 3, 1, 9, 30),
                "physical_description": "男，约50岁，身高170cm，左手有疤", "language": "皖北口音", "belongings": "蓝色布包一个"}
        data.update(overrides)
        return services.stay_create(acting_user=user or staff["a"], data=data)

    return take_in
