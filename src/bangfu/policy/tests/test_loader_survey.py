"""What the survey sheet imports, the loader reads and the engine judges (issue 14): assets and
rigid expenses entered through the sheet's columns change the household's assessment.

Hand computation, 2025-08-01 in 合肥 (农村低保标准 880.00 元 from 2024-07-01, defaults.yaml), a
one-person household with no income: the deposit limit is `asset_deposit_months_per_head`
(24 months, docs/policy.md; 《社会救助暂行办法》第九条, 财产状况由地方规定) × 880.00 × 1 =
21,120.00 元, inclusive. Gap: 880.00 − 0 = 880.00 元 a month.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.engine import assess
from bangfu.policy.loader import load_household
from bangfu.registry.models import Household
from bangfu.registry.survey.importer import survey_import
from bangfu.registry.tests.survey.helpers import member, write_xlsx
from bangfu_testing.factories import make_id_number

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 8, 1)
HEAD = make_id_number(birth=dt.date(1975, 6, 1))  # the same person in every sheet


def _import(user, path, **columns):
    rows = [member("1", "黄一", "户主", id_number=HEAD, **columns)]
    report = survey_import(acting_user=user, source=write_xlsx(path, rows), today=ON)
    assert report.ok and report.written, [str(e) for e in report.errors]
    return Household.objects.get()


def _household(household):
    return assess(load_household(household.pk), ON).households.row(0, named=True)


def test_a_deposit_above_the_limit_imported_from_the_sheet_ends_dibao(users, tmp_path):
    # given: the deposit at the limit, written as a department's file carries it
    household = _import(users["township_a"], tmp_path / "a.xlsx", **{"存款及有价证券（元）": "２１，１２０．００"})
    before = _household(household)
    assert (before["standard_fen"], before["members"]) == (88_000, 1)  # the limit is 24 × 880.00 × 1 = 21,120.00
    assert (before["assets_ok"], before["dibao_eligible"], before["asset_failures"]) == (True, True, [])
    # when: the next survey finds one fen more
    _import(users["township_a"], tmp_path / "b.xlsx", **{"存款及有价证券（元）": "21,120.01"})
    # then
    after = _household(household)
    assert (after["assets_ok"], after["dibao_eligible"], after["asset_failures"]) == (False, False, ["deposit"])


def test_a_car_and_a_second_house_from_the_sheet_are_judged(users, tmp_path):
    # asset_vehicle_max_count 0 and asset_vehicle_exempt_below 10,000.00 元 per vehicle;
    # asset_housing_max_count 1 (docs/policy.md; 暂行办法第九条)
    household = _import(users["township_a"], tmp_path / "a.xlsx",
                        **{"机动车辆（辆）": "1", "机动车辆价值（元）": "9999.99", "房产（套）": "1"})
    assert _household(household)["assets_ok"] is True  # a scooter below the exemption value is not counted
    _import(users["township_a"], tmp_path / "b.xlsx", **{"机动车辆价值（元）": "10000", "房产（套）": "2"})
    assert sorted(_household(household)["asset_failures"]) == ["housing", "vehicle"]


def test_a_medical_expense_from_the_sheet_is_loaded_from_the_import_day(users, tmp_path):
    household = _import(users["township_a"], tmp_path / "a.xlsx", **{"医疗自付费用（元/月）": "'600"})
    expenses = load_household(household.pk).expenses
    assert expenses.select("kind", "monthly_amount_fen", "valid_from").rows() == [("medical", 60_000, ON)]
    # medical costs are deductible, without a cap by default (defaults.yaml rigid_expense_* ; 办法第十四条)
    assert _household(household)["rigid_expense_deducted_fen"] == 60_000
