"""Issue 13: `bangfu demo-setup` for a second county on the same database. It failed twice: the
demo logins were reused ("该账号已关联其他帮扶责任人": the helper login already belonged to a helper
of the first county) and the second county's rescue station numbered its first stay like the
first station's (an IntegrityError). The second county gets its own logins, suffixed by its code."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

FIRST, SECOND = "341122", "341124"  # 来安县, 全椒县 (both 滁州市)


def test_two_counties_each_get_their_own_demo(settings):
    from bangfu.accounts.models import User
    from bangfu.outreach.models import Helper
    from bangfu.rescue.models import RescueStation, Stay

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True  # demo-setup runs only in debug mode (demo.guard), as `make demo` sets
    call_command("demo_setup", county=FIRST, households=150, seed=7, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_setup", county=SECOND, households=150, seed=7, stdout=out)
    printed = out.getvalue()

    first = {u.username: u for u in User.objects.filter(region__code__startswith=FIRST)}
    second = {u.username: u for u in User.objects.filter(region__code__startswith=SECOND)}
    assert {"village", "township", "county", "station", "helper"} <= set(first)
    assert {f"village_{SECOND}", f"township_{SECOND}", f"county_{SECOND}", f"station_{SECOND}", f"helper_{SECOND}"} <= set(second)
    assert f"helper_{SECOND}" in printed and f"station_{SECOND}" in printed  # the second county's logins are printed
    # the first county's logins still work where they did
    assert User.objects.get(username="village").region.code.startswith(FIRST)
    # both rescue stations took their first stays, numbered per station
    stations = RescueStation.objects.order_by("pk")
    assert stations.count() == 2
    for station in stations:
        numbers = sorted(Stay.objects.filter(station=station).values_list("station_number", flat=True))
        assert numbers and numbers[0].endswith("00001")
    assert Helper.objects.filter(user__username=f"helper_{SECOND}").exists()
    # a second run for the second county creates nothing new and keeps its logins
    again = io.StringIO()
    call_command("demo_setup", county=SECOND, households=150, seed=7, stdout=again)
    assert "village_" + SECOND in again.getvalue()
    assert User.objects.filter(username__startswith="village").count() == 2
