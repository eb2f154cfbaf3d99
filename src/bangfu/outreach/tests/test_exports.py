"""Excel exports of the pairing, visit and helper lists (issue 17): read back with openpyxl; rows,
masking (ID numbers and phones unless the user may export full numbers), scope (a user of 来安县
341122 never gets 全椒县 341124's rows) and the download logged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    from bangfu.accounts.choices import Role
    from bangfu.outreach.services import helper_create, pairing_create, visit_create
    from bangfu.registry.services import household_create
    from bangfu_testing.counties import two_counties
    from bangfu_testing.factories import make_user, person_data

    two = two_counties()
    out = {"two": two}
    today = timezone.localdate()
    for county, village, head in (("laian", "xinan_v1", "来安户主"), ("quanjiao", "xianghe_v1", "全椒户主")):
        worker = make_user(f"worker_{county}", Role.VILLAGE_WORKER, two[village])
        household = household_create(acting_user=worker, region_id=two[village].pk, address="一号",
                                     members=[person_data(head, "head")])
        helper = helper_create(acting_user=worker, kind="cadre", name=f"{head}的帮扶人", unit="镇政府", phone="13812345678",
                               region_id=two[village].pk)
        pairing = pairing_create(acting_user=worker, target_kind="household", household_id=household.pk, helper_ids=[helper.pk],
                                 start_date=dt.date(2024, 1, 1))
        visit = visit_create(acting_user=worker, pairing_id=pairing.pk, date=today, way="home", findings=f"{head}家中情况稳定",
                             visitor_ids=[helper.pk])
        out[county] = {"worker": worker, "household": household, "helper": helper, "pairing": pairing, "visit": visit,
                       "county_officer": make_user(f"county_{county}", Role.COUNTY_OFFICER, two[county])}
    return out


def _rows(response):
    import openpyxl

    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_pairing_export(client, world):
    from bangfu.common.models import AccessLog

    laian = world["laian"]
    head = laian["household"].head
    client.force_login(laian["worker"])  # may not export full numbers
    rows = _rows(client.get(reverse("outreach:pairing_export")))
    assert rows[0][3] == "身份证号（脱敏）"
    assert len(rows) == 2  # the header and 来安县's one pairing
    row = rows[1]
    assert row[0] == laian["pairing"].pk and row[4] == "新安镇" and row[5] == "城东社区" and row[6] == "来安户主的帮扶人"
    assert row[3] != head.id_number and row[3].endswith(head.id_number[-4:]) and "*" in row[3]
    client.force_login(laian["county_officer"])  # full numbers, still only 来安县
    rows = _rows(client.get(reverse("outreach:pairing_export")))
    assert [r[3] for r in rows[1:]] == [head.id_number]
    assert "全椒户主" not in str(rows)
    assert AccessLog.objects.filter(object_type="outreach.pairing", action=AccessLog.Action.EXPORT).count() == 2


def test_visit_export(client, world):
    from bangfu.common.models import AccessLog

    client.force_login(world["quanjiao"]["county_officer"])
    rows = _rows(client.get(reverse("outreach:visit_export")))
    assert len(rows) == 2
    row = rows[1]
    assert row[1] == world["quanjiao"]["pairing"].pk and row[4] == "襄河镇" and row[7] == "全椒户主的帮扶人"
    assert row[8] == "全椒户主家中情况稳定" and row[3] == world["quanjiao"]["household"].head.id_number
    assert "来安户主" not in str(rows)
    client.force_login(world["laian"]["worker"])
    rows = _rows(client.get(reverse("outreach:visit_export")))
    assert [r[1] for r in rows[1:]] == [world["laian"]["pairing"].pk] and "*" in rows[1][3]
    assert AccessLog.objects.filter(object_type="outreach.visit").count() == 2


def test_helper_export(client, world):
    client.force_login(world["laian"]["worker"])
    rows = _rows(client.get(reverse("outreach:helper_export")))
    assert [r[0] for r in rows[1:]] == ["来安户主的帮扶人"]
    assert rows[1][5] == "138****5678" and rows[1][3] == "新安镇" and rows[1][4] == "城东社区"
    client.force_login(world["laian"]["county_officer"])
    rows = _rows(client.get(reverse("outreach:helper_export")))
    assert [r[0] for r in rows[1:]] == ["来安户主的帮扶人"] and rows[1][5] == "13812345678"


def test_helpers_may_not_export(client, world):
    """A helper (帮扶责任人) reads their own pairings but exports no list."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    client.force_login(make_user("helper_x", Role.HELPER, world["two"]["xinan_v1"]))
    for name in ("outreach:pairing_export", "outreach:visit_export", "outreach:helper_export"):
        assert client.get(reverse(name)).status_code == 403
