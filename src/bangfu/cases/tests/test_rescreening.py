"""Re-screening lists (R1b; seed 篇一、篇五 一、2 "临时救助对象、近期申请未通过对象、近期退保对象…
做好筛查"). Shipped parameters: `rescreen_recent_months` 6, `rescreen_temporary_months` 12.

Dates are fixed by hand against `on` = 2026-07-15:
- refused: decided after 2026-01-15 (6 months back) and on or before 07-15;
- left dibao: last paid month from 2026-01 (the month of 2026-01-15) to 2026-06 (before July);
- temporary: approved after 2025-07-15.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from bangfu.benefits import services as benefit_services
from bangfu.benefits.choices import ChangeKind, OneOffKind, Programme
from bangfu.cases import rescreening
from bangfu.cases.choices import CaseState, CaseType
from bangfu.cases.models import Case

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 7, 15)


def refused(household, decided_on, user, state=CaseState.CLOSED_REJECTED, case_type=CaseType.DIBAO):
    return Case.objects.create(case_type=case_type, state=state, region_code=household.region_code, household=household,
                               applied_on=decided_on - dt.timedelta(days=30), decided_on=decided_on, entered_by=user)


def left_dibao(household, user, stopped_on):
    b = benefit_services.benefit_grant(acting_user=user, household=household, programme=Programme.DIBAO, monthly_amount_fen=50000,
                                       approved_on=dt.date(2025, 6, 10), case_id=None)
    return benefit_services.benefit_change(acting_user=user, benefit=b, kind=ChangeKind.STOP, decided_on=stopped_on, case_id=None)


def paid(household, user, approved_on):
    return benefit_services.one_off_payment_create(acting_user=user, household=household, amount_fen=150000,
                                                   approved_on=approved_on, case_id=None, kind=OneOffKind.EMERGENCY)


def kinds(rows):
    return [(r.kind, r.household_id) for r in rows]


def test_refused_within_six_months(users, household_a, household_b):
    """2026-01-16 is within 6 months of 2026-07-15 (listed); 2026-01-15 is not (the period is after it)."""
    refused(household_a, dt.date(2026, 1, 16), users["county"])
    refused(household_b, dt.date(2026, 1, 15), users["county"])
    rows = rescreening.rescreening_list(users["county"], on=ON)
    assert kinds(rows) == [("refused", household_a.pk)]
    assert rows[0].id_number.count("*") == 10  # masked: 4 + 10 stars + 4


def test_pending_rejection_counts_and_other_states_do_not(users, household_a, household_b):
    refused(household_a, dt.date(2026, 5, 1), users["county"], state=CaseState.REJECTED)
    refused(household_b, dt.date(2026, 5, 1), users["county"], state=CaseState.COMPLETED)
    assert kinds(rescreening.rescreening_list(users["county"], on=ON)) == [("refused", household_a.pk)]


def test_left_dibao_within_six_months(users, household_a, household_b):
    """Stopped 2026-01-20: last paid month 2026-01, the first month of the period: listed. Stopped
    2025-12-31: last paid 2025-12, before the period: not listed."""
    left_dibao(household_a, users["county"], dt.date(2026, 1, 20))
    left_dibao(household_b, users["county"], dt.date(2025, 12, 31))
    assert kinds(rescreening.rescreening_list(users["county"], on=ON)) == [("left_dibao", household_a.pk)]


def test_temporary_within_twelve_months_and_dibao_households_left_out(users, household_a, household_b):
    """Paid 2025-07-16 (within 12 months: listed); household B paid 2026-03-01 but on dibao now
    (granted 2026-04-01, paid from May): left out."""
    paid(household_a, users["county"], dt.date(2025, 7, 16))
    paid(household_a, users["county"], dt.date(2025, 7, 15))
    paid(household_b, users["county"], dt.date(2026, 3, 1))
    benefit_services.benefit_grant(acting_user=users["county"], household=household_b, programme=Programme.DIBAO,
                                   monthly_amount_fen=40000, approved_on=dt.date(2026, 4, 1), case_id=None)
    rows = rescreening.rescreening_list(users["county"], on=ON)
    assert kinds(rows) == [("temporary", household_a.pk)]
    assert rows[0].on == dt.date(2025, 7, 16)


def test_scoped_and_filtered_by_village_and_kind(users, regions, household_a, household_b):
    refused(household_a, dt.date(2026, 5, 1), users["county"])
    paid(household_b, users["county"], dt.date(2026, 5, 1))
    county = users["county"]
    assert kinds(rescreening.rescreening_list(users["village_a"], on=ON)) == [("refused", household_a.pk)]
    from bangfu.regions.codes import RegionCode

    assert kinds(rescreening.rescreening_list(county, on=ON, village=RegionCode.parse(regions["village_b"].code))) == [
        ("temporary", household_b.pk)]
    assert kinds(rescreening.rescreening_list(county, on=ON, kind="refused")) == [("refused", household_a.pk)]
    assert rescreening.rescreening_list(users["village_a"], on=ON, village=RegionCode.parse(regions["village_b"].code)) == []


def test_period_is_a_parameter(users, regions, household_a):
    """With `rescreen_recent_months` set to 3 for the province, a refusal of 2026-04-01 (more
    than 3 months before 2026-07-15) is no longer listed."""
    from bangfu.policy.services import parameter_value_create

    refused(household_a, dt.date(2026, 4, 1), users["county"])
    assert kinds(rescreening.rescreening_list(users["county"], on=ON)) == [("refused", household_a.pk)]
    parameter_value_create(acting_user=users["admin"], name="rescreen_recent_months", region_code=regions["province"].code,
                           valid_from=dt.date(2026, 1, 1), valid_to=None, value=3, citation_document="测试文件",
                           citation_article="第一条")
    assert rescreening.rescreening_list(users["county"], on=ON) == []


def test_page_and_export(client, users, household_a):
    from bangfu.common.models import AccessLog

    refused(household_a, dt.date.today() - dt.timedelta(days=10), users["county"])
    client.force_login(users["village_a"])
    page = client.get(reverse("cases:rescreening")).content.decode()
    head = household_a.head
    assert head.name in page and head.id_number not in page and head.id_number[-4:] in page
    response = client.get(reverse("cases:rescreening_export") + "?kind=refused")
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 4).value == head.name
    assert sheet.cell(2, 5).value != head.id_number and "*" in sheet.cell(2, 5).value
    assert AccessLog.objects.filter(object_type="rescreening").count() == 1
    client.force_login(users["partner"])
    assert client.get(reverse("cases:rescreening")).status_code == 403


def test_page_and_export_in_english(client, users, household_a, household_b):
    """English mode (issue 11): the page and the export show no Chinese outside data."""
    from bangfu_testing import english
    from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

    today = dt.date.today()
    refused(household_a, today - dt.timedelta(days=10), users["county"])
    paid(household_b, users["county"], today - dt.timedelta(days=20))
    client.force_login(users["county"])
    strings = english.data_strings()
    page = client.get(reverse("cases:rescreening"), **EN).content.decode()
    assert "Recently refused" in page
    assert_no_cjk(page, strings)
    response = client.get(reverse("cases:rescreening_export"), **EN)
    assert_no_cjk(response["Content-Disposition"], strings)
    assert_no_cjk(read_xlsx(response.content), strings)
