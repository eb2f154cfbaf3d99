"""The stay list's Excel export (issue 17): read back with openpyxl; the list's filters, masked ID
numbers unless the user may export full numbers, scope (station B's staff and the other county's
officer never get station A's stays) and the download logged."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from .conftest import at

pytestmark = pytest.mark.django_db



def _rows(response):
    import openpyxl

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def stays(intake, staff):
    from bangfu_testing.factories import make_id_number

    known = intake(name="陈某", id_number=make_id_number(area="340102", seq=5), arrival_at=at(2025, 3, 2, 10, 0))
    unknown = intake()
    other = intake(user=staff["b"], name="庐阳某人", id_number=make_id_number(area="340103", seq=6))
    return {"known": known, "unknown": unknown, "other": other}


def test_stay_export_rows_masking_and_scope(client, stays, staff, stations, regions):
    from bangfu.accounts.choices import Role
    from bangfu.common.models import AccessLog
    from bangfu_testing.factories import make_user

    client.force_login(staff["a"])
    rows = _rows(client.get(reverse("rescue:stay_export")))
    assert rows[0][2] == "身份证号码（脱敏）"
    numbers = [r[0] for r in rows[1:]]
    assert sorted(numbers) == sorted([stays["known"].station_number, stays["unknown"].station_number])
    known = next(r for r in rows[1:] if r[0] == stays["known"].station_number)
    assert known[1] == "陈某" and known[4] == "瑶海区救助管理站" and known[5] == "2025-03-02 10:00"
    assert known[2] != stays["known"].id_number and known[2].endswith(stays["known"].id_number[-4:]) and "*" in known[2]
    assert "庐阳某人" not in str(rows)
    # the list's filter: a name
    rows = _rows(client.get(reverse("rescue:stay_export"), {"q": "陈"}))
    assert [r[0] for r in rows[1:]] == [stays["known"].station_number]
    # the county officer of 瑶海区 (full numbers), never 庐阳区's stays; 庐阳区's officer only its own
    client.force_login(make_user("county_yh", Role.COUNTY_OFFICER, regions["county"]))
    rows = _rows(client.get(reverse("rescue:stay_export"), {"status": "all"}))
    assert stays["known"].id_number in [r[2] for r in rows[1:]] and "庐阳某人" not in str(rows)
    client.force_login(make_user("county_ly", Role.COUNTY_OFFICER, stations["b"].region))
    rows = _rows(client.get(reverse("rescue:stay_export")))
    assert [r[1] for r in rows[1:]] == ["庐阳某人"]
    assert AccessLog.objects.filter(object_type="rescue.stay", action=AccessLog.Action.EXPORT).count() == 4


def test_stay_export_refused_to_roles_without_rescue(client, users):
    client.force_login(users["village_a"])
    assert client.get(reverse("rescue:stay_export")).status_code == 403
