"""`bangfu simulate` on the registry (issue 3; R13, R17, R20): gaining and losing households, the
cost change by township, the workbook, bad settings refused.

Hand computation: 瑶海区 rural standard 700.00 (ParameterValue row). household_a (village A,
township 340102001): two members, wage 1,500.00 → 750.00 a head, not below 700.00: no dibao.
+10 % → 770.00: 1,540.00 − 1,500.00 = 40.00 → gains 40.00. household_b (village B, township
340102002): one member, no income: 700.00 → 770.00, up 70.00. Monthly change 110.00, annual
1,320.00.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from bangfu.policy.reassessment import ReassessmentError
from bangfu.policy.simulation import SimulationError, parse_settings, simulate, write_workbook

from .test_reassessment import ON, add_wage, standard  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_households(standard, household_a, household_b):
    add_wage(household_a, "1500.00")
    return household_a, household_b


def test_raising_the_rural_standard(users, two_households):
    household_a, household_b = two_households
    # when
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural": "+10%"}, on=ON)
    # then
    rows = {r["township"]: r for r in result.townships.iter_rows(named=True)}
    assert rows["340102001"]["township_name"] == "明光路街道" and rows["340102002"]["township_name"] == "大兴镇"
    assert (rows["340102001"]["gains"], rows["340102001"]["monthly_before_fen"], rows["340102001"]["monthly_after_fen"]) == (1, 0, 4000)
    assert (rows["340102002"]["up"], rows["340102002"]["monthly_change_fen"]) == (1, 7000)
    assert result.total["gains"] == 1 and result.total["loses"] == 0 and result.total["up"] == 1
    assert result.total["monthly_change_fen"] == 4000 + 7000
    assert result.total["annual_change_fen"] == 12 * 11000
    assert (result.total["annual_before_fen"], result.total["annual_after_fen"]) == (12 * 70000, 12 * 81000)
    assert [(a.name, a.before, a.after) for a in result.adjustments] == [("dibao_standard_rural", "700.00 元", "770.00 元")]
    details = {r["household_id"]: r for r in result.details.iter_rows(named=True)}
    assert details[household_a.pk]["change"] == "gains" and details[household_a.pk]["village_name"] == "胜利社区"
    assert (details[household_b.pk]["amount_before_fen"], details[household_b.pk]["amount_after_fen"]) == (70000, 77000)


def test_lowering_a_standard_loses_households(users, two_households):
    household_a, household_b = two_households
    # 700.00 − 50 % = 350.00: household_b (no income) stays, lower; household_a stays out
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural": "350.00"}, on=ON)
    assert (result.total["gains"], result.total["loses"], result.total["down"]) == (0, 0, 1)
    assert result.total["monthly_change_fen"] == 35000 - 70000


def test_workbook_has_summary_details_and_parameters(users, two_households, tmp_path):
    household_a, _ = two_households
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural": "+10%"}, on=ON)
    path = tmp_path / "out.xlsx"
    # when
    write_workbook(result, str(path))
    # then
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["汇总", "明细", "参数"]
    summary = book.get_sheet_by_name("汇总").to_python()
    header = summary[2]
    assert header[:3] == ["乡镇（街道）代码", "乡镇（街道）", "户数"]
    total = next(row for row in summary if len(row) > 1 and row[1] == "合计")
    assert total[header.index("新增户")] == 1 and total[header.index("月支出变化（元）")] == 110.0
    assert total[header.index("全年预算变化（元）")] == 1320.0
    details = book.get_sheet_by_name("明细").to_python()
    assert details[0][:4] == ["家庭编号", "村（社区）代码", "村（社区）", "变化"]
    row = next(r for r in details[1:] if r[0] == household_a.pk)
    assert row[1:4] == ["340102001001", "胜利社区", "新增"] and row[6:9] == [0.0, 40.0, 40.0]
    # nothing private: no names, no ID numbers
    text = repr(details) + repr(summary)
    assert "张伟" not in text and household_a.head.id_number not in text


def test_command_prints_table_and_writes_workbook(users, two_households, tmp_path):
    out = io.StringIO()
    path = tmp_path / "测算.xlsx"
    call_command("simulate", "--set", "dibao_standard_rural=+10%", "--user", "county", "--on", "2025-08-01",
                 "--xlsx", str(path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "明光路街道" in text and "大兴镇" in text and "合计" in text
    assert "新增低保 1 户" in text and "+110.00 元" in text and "+1,320.00" in text
    assert "700.00 元 → 770.00 元" in text
    assert path.exists()


@pytest.mark.parametrize(("setting", "message"), [
    ("nope=1", "未知参数 nope"),
    ("dibao_standard_rural=abc", "参数 dibao_standard_rural：金额“abc”不是数字"),
    ("dibao_standard_rural=7.001", "最多保留两位小数"),
    ("dibao_standard_rural=-150%", "调整后为负数"),
    ("income_excluded_kinds=+5%", "不能按百分比调整"),
    ("dibao_standard_rural", "应写成 参数名=新值"),
])
def test_bad_settings_are_refused(users, two_households, setting, message, tmp_path):
    path = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=message):
        call_command("simulate", "--set", setting, "--user", "county", "--xlsx", str(path), "--no-progress", stdout=io.StringIO())
    assert not path.exists()


def test_same_parameter_twice_refused():
    with pytest.raises(SimulationError, match="调整了两次"):
        parse_settings(["near_dibao_factor=2", "near_dibao_factor=3"])


def test_only_county_officers_and_administrators(users, two_households):
    for role in ("village_a", "township_a", "partner", "auditor"):
        with pytest.raises(PermissionDenied, match="只有县级民政干部和系统管理员"):
            simulate(acting_user=users[role], settings={"dibao_standard_rural": "+10%"}, on=ON)
    result = simulate(acting_user=users["admin"], settings={"dibao_standard_rural": "+10%"}, region_code="340102", on=ON)
    assert result.total["households"] == 2


def test_region_outside_the_subtree_refused(users, regions, two_households):
    from bangfu_testing.factories import make_user, region

    other = region("340103", "庐阳区", regions["city"])
    officer = make_user("luyang", "county_officer", other)
    with pytest.raises(ReassessmentError, match="不在您的管辖范围内"):
        simulate(acting_user=officer, settings={"dibao_standard_rural": "+10%"}, region_code="340102", on=ON)


def test_a_township_region_limits_the_households(users, two_households):
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural": "+10%"}, region_code="340102002", on=ON)
    assert result.townships["township"].to_list() == ["340102002"] and result.total["households"] == 1


def test_the_simulated_date_picks_the_values_then_in_force(users, two_households):
    # the +10 % applies from the date simulated; a standard judged on an earlier date in force then
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural@340102": "+10%"}, on=dt.date(2024, 12, 1))
    # 合肥市 880.00 in force on 2024-12-01 (the 700.00 row starts 2025-01-01): +10 % = 968.00
    assert result.adjustments[0].before == "880.00 元" and result.adjustments[0].after == "968.00 元"
