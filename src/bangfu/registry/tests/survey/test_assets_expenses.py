"""The survey sheet's asset (财产) and rigid-expense (刚性支出) columns (issue 14): template,
validation, dry run, import and re-import. A blank cell is "not given" and leaves the registry
alone; 0 means none. Amounts come as departments' files carry them: full-width digits,
thousands separators, a leading apostrophe, numbers or text."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.models import Asset, Household, Person, RigidExpense
from bangfu.registry.survey.columns import HEADERS
from bangfu.registry.survey.export import survey_export
from bangfu.registry.survey.importer import GOOD_ROWS, survey_import
from bangfu.registry.survey.workbook import write_template
from bangfu_testing.factories import make_id_number

from .helpers import member, read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 8, 1)
DEPOSIT, HOUSES, CARS, CAR_VALUE, BUSINESSES, OTHER = (
    "存款及有价证券（元）", "房产（套）", "机动车辆（辆）", "机动车辆价值（元）", "经营实体（个）", "其他财产（元）")
MEDICAL, CARE, EDUCATION = "医疗自付费用（元/月）", "残疾康复护理费用（元/月）", "教育费用（元/月）"


def as_old_15_digits(number: str) -> str:
    """The old 15-digit form of an 18-digit number of someone born in the 1900s."""
    return number[:6] + number[8:17]


def sheet_rows(head_number: str, child_number: str) -> list[dict]:
    """One household as a township's file might carry it."""
    return [
        member("1", "周一", "户主", id_number=head_number, **{
            DEPOSIT: "５００００", HOUSES: "1套", CARS: 1, CAR_VALUE: "８０，０００．００", BUSINESSES: "0",
            OTHER: "'1,200.50", MEDICAL: "１，２００.５０"}),
        member("1", "周小二", "子女", id_number=child_number, **{EDUCATION: "'300", CARE: 0}),
    ]


def item_state():
    """Everything the columns write, with the history rows: a re-import must change none of it."""
    return (sorted(Asset.objects.values_list("kind", "quantity", "value_fen")),
            sorted(RigidExpense.objects.values_list("person__name", "kind", "monthly_amount_fen", "valid_from", "valid_to")),
            Asset.history.count(), RigidExpense.history.count(), Household.history.count(), Person.history.count())


def do_import(user, tmp_path, rows, name="s.xlsx", **kwargs):
    return survey_import(acting_user=user, source=write_xlsx(tmp_path / name, rows, **kwargs), today=TODAY, mode=GOOD_ROWS)


def test_the_template_has_the_columns_with_their_notes(tmp_path):
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_object(buffer)
    header = workbook.get_sheet_by_name("摸底表").to_python()[0]
    assert {DEPOSIT, HOUSES, CARS, CAR_VALUE, BUSINESSES, OTHER, MEDICAL, CARE, EDUCATION} <= set(header)
    notes = "\n".join(str(cell) for row in workbook.get_sheet_by_name("说明").to_python() for cell in row)
    assert "留空表示未填报，不改动系统中已有记录；填0表示没有" in notes


def test_import_as_departments_send_them(users, tmp_path):
    # given: amounts in full-width digits, with thousands separators, with Excel's text apostrophe
    # kept by an export, a count written as "1套" or as a number; the head's old 15-digit ID number
    # stored by Excel as a number
    head_number, child_number = make_id_number(birth=dt.date(1968, 2, 3)), make_id_number(birth=dt.date(1995, 4, 1))
    rows = sheet_rows(as_old_15_digits(head_number), as_old_15_digits(child_number))
    # when: a dry run, then the import
    dry = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "d.xlsx", rows, numbers=("身份证号码",)),
                        today=TODAY, dry_run=True)
    assert dry.ok, [str(e) for e in dry.errors]
    assert (dry.new_items, dry.updated_items, dry.removed_items) == (6, 0, 0)  # 4 asset kinds, 2 expenses
    assert not Asset.objects.exists() and not RigidExpense.objects.exists()
    report = do_import(users["township_a"], tmp_path, rows, numbers=("身份证号码",))
    # then
    assert report.ok and report.written, [str(e) for e in report.errors]
    household = Household.objects.get()
    assert household.head.id_number == head_number and Person.objects.get(name="周小二").id_number == child_number
    assets = {a.kind: (a.quantity, a.value_fen, a.person_id, a.description) for a in Asset.objects.all()}
    assert assets == {
        c.AssetKind.DEPOSIT: (1, 5_000_000, None, "摸底导入"),
        c.AssetKind.HOUSING: (1, 0, None, "摸底导入"),
        c.AssetKind.VEHICLE: (1, 8_000_000, None, "摸底导入"),
        c.AssetKind.OTHER: (1, 120_050, None, "摸底导入"),
    }  # 经营实体 0: none, so no row
    expenses = {(e.person.name, e.kind): (e.monthly_amount_fen, e.valid_from, e.valid_to) for e in RigidExpense.objects.all()}
    assert expenses == {("周一", "medical"): (120_050, TODAY, None), ("周小二", "education"): (30_000, TODAY, None)}
    assert {h.history_user for h in Asset.history.all()} == {users["township_a"]}
    assert all(e.region_code == household.region_code and e.household_id == household.pk for e in RigidExpense.objects.all())


def test_reimporting_the_same_sheet_changes_nothing(users, tmp_path):
    rows = sheet_rows(make_id_number(birth=dt.date(1968, 2, 3)), make_id_number(birth=dt.date(1995, 4, 1)))
    do_import(users["township_a"], tmp_path, rows, "a.xlsx")
    before = item_state()
    # when
    again = do_import(users["township_a"], tmp_path, rows, "b.xlsx")
    # then: no new rows, no history rows, nothing counted as a change
    assert again.ok and item_state() == before
    assert (again.new_items, again.updated_items, again.removed_items, again.updated_households) == (0, 0, 0, 0)


def test_an_export_reimported_changes_nothing(users, tmp_path):
    # given: assets entered on the household page as several rows, an expense, and the sheet's own
    rows = sheet_rows(make_id_number(birth=dt.date(1968, 2, 3)), make_id_number(birth=dt.date(1995, 4, 1)))
    do_import(users["county"], tmp_path, rows, "a.xlsx")
    household = Household.objects.get()
    services.item_add(acting_user=users["county"], household_id=household.pk, kind="asset",
                      data={"kind": "deposit", "value_fen": 1_000_000, "quantity": 1, "description": "另一张存折"})
    before = item_state()
    buffer = io.BytesIO()
    survey_export(viewer=users["county"], target=buffer)  # full numbers: a county officer's export
    buffer.seek(0)
    exported = read_xlsx(buffer)
    assert exported[0][DEPOSIT] == 60000.0 and exported[0][CARS] == 1 and exported[1][EDUCATION] == 300.0
    buffer.seek(0)
    # when
    report = survey_import(acting_user=users["county"], source=buffer, filename="export.xlsx", today=TODAY)
    # then: the totals agree with the two deposit rows, so neither is touched
    assert report.ok, [str(e) for e in report.errors]
    assert item_state() == before and (report.new_items, report.updated_items, report.removed_items) == (0, 0, 0)


def test_blank_leaves_alone_zero_means_none_and_a_new_figure_changes_in_place(users, tmp_path):
    # given: the household imported, then an expense that began before the import day
    head_number, child_number = make_id_number(birth=dt.date(1968, 2, 3)), make_id_number(birth=dt.date(1995, 4, 1))
    rows = sheet_rows(head_number, child_number)
    do_import(users["township_a"], tmp_path, rows, "a.xlsx")
    household = Household.objects.get()
    child = Person.objects.get(name="周小二")
    services.item_add(acting_user=users["township_a"], household_id=household.pk, kind="expense",
                      data={"person_id": child.pk, "kind": "disability_care", "monthly_amount_fen": 50_000, "valid_from": dt.date(2025, 1, 1)})
    # when: a sheet with every amount column blank
    blank = [{k: v for k, v in row.items() if k not in (DEPOSIT, HOUSES, CARS, CAR_VALUE, BUSINESSES, OTHER, MEDICAL, CARE, EDUCATION)}
             for row in rows]
    before = item_state()
    report = do_import(users["township_a"], tmp_path, blank, "b.xlsx")
    # then: nothing changes
    assert report.ok and item_state() == before
    # when: deposits now 0, the car sold (0 辆, value left blank), the head's medical cost changed,
    # the child's care cost 0
    rows[0].update({DEPOSIT: "0", CARS: "0", CAR_VALUE: None, MEDICAL: "1500"})
    rows[1].update({CARE: "0", EDUCATION: None})
    report = do_import(users["county"], tmp_path, rows, "c.xlsx")
    # then
    assert report.ok, [str(e) for e in report.errors]
    assert (report.new_items, report.updated_items, report.removed_items) == (0, 1, 3)
    assert sorted(Asset.objects.values_list("kind", flat=True)) == ["housing", "other"]
    removed = Asset.history.filter(history_type="-")
    assert sorted(removed.values_list("kind", flat=True)) == ["deposit", "vehicle"]
    assert {h.history_user for h in removed} == {users["county"]}
    medical = RigidExpense.objects.get(kind="medical")
    assert (medical.monthly_amount_fen, medical.valid_from) == (150_000, TODAY)
    assert medical.history.order_by("-history_id").first().history_user == users["county"]
    care = RigidExpense.objects.get(kind="disability_care")
    assert care.valid_to == TODAY - dt.timedelta(days=1)  # it ends the day before; its history stays
    assert RigidExpense.objects.get(kind="education").valid_to is None  # blank: left alone
    # when: the same again: the ended expense is no longer current, so nothing is ended twice
    before = item_state()
    again = do_import(users["county"], tmp_path, rows, "d.xlsx")
    assert again.ok and item_state() == before and again.removed_items == 0


def test_an_expense_starting_on_the_import_day_is_removed_by_zero(users, tmp_path):
    rows = sheet_rows(make_id_number(birth=dt.date(1968, 2, 3)), make_id_number(birth=dt.date(1995, 4, 1)))
    do_import(users["township_a"], tmp_path, rows, "a.xlsx")
    rows[1][EDUCATION] = "０"
    report = do_import(users["township_a"], tmp_path, rows, "b.xlsx")
    assert report.ok and report.removed_items == 1
    assert not RigidExpense.objects.filter(kind="education").exists()
    assert RigidExpense.history.filter(history_type="-", kind="education").get().history_user == users["township_a"]


def test_row_errors_name_the_row_column_and_reason_and_nothing_is_written(users, tmp_path):
    rows = [
        member("1", "吴一", "户主", **{DEPOSIT: "五万", HOUSES: "1.5", MEDICAL: "-20"}),
        member("2", "郑二", "户主", **{CARS: "2"}),  # a new car without its value
        member("3", "王三", "户主", **{CARS: "0", CAR_VALUE: "5000"}),
        member("4", "冯四", "户主", **{OTHER: "12.345", EDUCATION: "三百元"}),
    ]
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "bad.xlsx", rows), dry_run=True)
    messages = [str(e) for e in report.errors]
    assert messages == [
        "第2行“医疗自付费用（元/月）”列：金额“-20”不能为负数",
        "第2行“存款及有价证券（元）”列：金额“五万”不是数字",
        "第2行“房产（套）”列：“1.5”应为不小于0的整数（套），没有的填0",
        "第3行“机动车辆价值（元）”列：系统中该户尚无“机动车辆”记录，填写了“机动车辆（辆）”的，须同时填写本列",
        "第4行“机动车辆价值（元）”列：机动车辆数为0时，机动车辆价值应留空或填0",
        "第5行“教育费用（元/月）”列：金额“三百元”不是数字",
        "第5行“其他财产（元）”列：金额“12.345”最多保留两位小数",
    ]
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "bad2.xlsx", rows))
    assert not report.written and not Household.objects.exists() and not Asset.objects.exists()


def test_several_recorded_rows_that_disagree_are_refused(users, tmp_path):
    # given: two deposit rows entered on the household page (30,000 + 20,000)
    number = make_id_number(birth=dt.date(1970, 1, 1))
    do_import(users["township_a"], tmp_path, [member("1", "陈一", "户主", id_number=number)], "a.xlsx")
    household = Household.objects.get()
    for fen in (3_000_000, 2_000_000):
        services.item_add(acting_user=users["township_a"], household_id=household.pk, kind="asset",
                          data={"kind": "deposit", "value_fen": fen, "quantity": 1})
    # when: the sheet says 60,000 in total
    report = do_import(users["township_a"], tmp_path, [member("1", "陈一", "户主", id_number=number, **{DEPOSIT: "60000"})], "b.xlsx")
    # then: which row would change? refused with the recorded total, nothing changed
    assert [str(e) for e in report.errors] == [
        "第2行“存款及有价证券（元）”列：系统中该户有2条“存款及有价证券”记录，合计50,000.00元，与本表不一致；"
        "多条记录请在家庭页面逐条修改，本列可留空或填与系统一致的合计"]
    assert sorted(Asset.objects.values_list("value_fen", flat=True)) == [2_000_000, 3_000_000]
    # the agreeing total is accepted and changes nothing
    ok = do_import(users["township_a"], tmp_path, [member("1", "陈一", "户主", id_number=number, **{DEPOSIT: "50,000.00"})], "c.xlsx")
    assert ok.ok and ok.updated_items == 0


def test_household_asset_columns_are_read_from_the_head_row(users, tmp_path):
    rows = [member("1", "林一", "户主", **{DEPOSIT: "100"}), member("1", "林二", "配偶", sex="F", **{DEPOSIT: "200"})]
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "h.xlsx", rows), dry_run=True)
    assert [str(e) for e in report.errors] == [
        "第3行“存款及有价证券（元）”列：与本户户主行（第2行）不一致；户级信息以户主行为准，其他成员可留空"]


def test_every_new_header_is_in_the_spec():
    assert {DEPOSIT, HOUSES, CARS, CAR_VALUE, BUSINESSES, OTHER, MEDICAL, CARE, EDUCATION} <= set(HEADERS)


def test_a_vehicle_value_of_zero_alone_does_not_remove_the_vehicles(users, tmp_path):
    rows = [member("1", "何一", "户主", **{CAR_VALUE: "0"})]
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "v.xlsx", rows), dry_run=True)
    assert [str(e) for e in report.errors] == ["第2行“机动车辆价值（元）”列：没有机动车辆的，请在“机动车辆（辆）”列填0"]
