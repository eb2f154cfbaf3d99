"""Survey import (摸底导入, R3; issue 2 item 6): validation, modes, re-import, scope, audit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
import pytest
from django.utils import timezone

from bangfu_testing.factories import make_id_number
from bangfu.registry import choices as c
from bangfu.registry.history import household_history
from bangfu.registry.models import Classification, Household, IncomeItem, Membership, Person
from bangfu.registry.survey import bulk
from bangfu.registry.survey.importer import ALL_OR_NOTHING, GOOD_ROWS, survey_import
from bangfu.registry.survey.reader import SurveyFileError
from bangfu.registry.survey.workbook import write_bad_rows

from .helpers import member, read_xlsx, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

VILLAGE_A = "340102001001"
VILLAGE_A2 = "340102001002"
VILLAGE_B = "340102002001"


def bad_id(good: str) -> str:
    """The same number with a wrong check character."""
    wrong = "3" if good[-1] != "3" else "4"
    return good[:-1] + wrong


def counts() -> tuple[int, int, int, int]:
    return Household.objects.count(), Person.objects.count(), IncomeItem.objects.count(), Person.history.count()


def two_households() -> list[dict]:
    return [
        member("1", "赵一", "户主", 住址="胜利路2号", 户籍性质="城镇", 类别="低保、建档立卡", 致困原因="因病",
               **{"月收入（元）": "1200.50", "收入类型": "工资性收入"}),
        member("1", "钱二", "配偶", sex="F", 重大疾病="恶性肿瘤、尿毒症"),
        member("1", "赵小三", "子女", birth=dt.date(2012, 3, 1), 在校="是", 文化程度="小学"),
        member("2", "孙四", "户主", village=VILLAGE_A2, 残疾证号="34010219800517001X11", 残疾类别="肢体", 残疾等级="二级",
               发证日期="2020/3/1", 最近年审日期="20240131"),
    ]


def test_imports_households_members_items_with_history(users, tmp_path):
    # given
    path = write_xlsx(tmp_path / "s.xlsx", two_households())
    # when
    report = survey_import(acting_user=users["township_a"], source=path)
    # then
    assert report.ok and report.written, [str(e) for e in report.errors]
    assert (report.rows, report.households, report.new_households, report.new_persons) == (4, 2, 2, 4)
    zhao = Person.objects.get(name="赵一")
    household = zhao.household
    assert household.head == zhao and household.region_code == VILLAGE_A and household.hukou_type == c.HukouType.URBAN
    assert household.address == "胜利路2号"
    assert sorted(household.members.values_list("name", flat=True)) == ["赵一", "赵小三", "钱二"]
    assert Person.objects.get(name="钱二").major_illnesses == ["cancer", "uremia"]
    child = Person.objects.get(name="赵小三")
    assert child.enrolled and child.schooling_level == c.SchoolingLevel.PRIMARY and child.relation == c.Relation.CHILD
    sun = Person.objects.get(name="孙四")
    assert (sun.disability_grade, sun.disability_type) == (2, c.DisabilityType.PHYSICAL)
    assert (sun.disability_issue_date, sun.disability_last_check) == (dt.date(2020, 3, 1), dt.date(2024, 1, 31))
    income = IncomeItem.objects.get()
    assert (income.person, income.monthly_amount_fen, income.kind) == (zhao, 120050, c.IncomeKind.WAGE)
    assert set(Classification.objects.values_list("kind", "code")) == {
        (c.ClassificationKind.CATEGORY, c.Category.DIBAO), (c.ClassificationKind.CATEGORY, c.Category.REGISTERED_POOR),
        (c.ClassificationKind.CAUSE, c.Cause.ILLNESS)}
    assert Membership.objects.filter(start_reason=c.MembershipReason.IMPORTED).count() == 4
    # every created row has exactly one creation history row naming the user, in its final state
    for model in (Household, Person, IncomeItem, Classification):
        rows = model.history.all()
        assert rows.count() == model.objects.count()
        assert {(r.history_type, r.history_user_id) for r in rows} == {("+", users["township_a"].pk)}
    assert household.history.get().head_id == zhao.pk
    # dates and times as the ORM reads them back
    assert abs((timezone.now() - zhao.created_at).total_seconds()) < 60
    assert abs((timezone.now() - zhao.history.get().history_date).total_seconds()) < 60
    assert zhao.birth_date == dt.date(1980, 5, 17) and Membership.objects.filter(person=zhao).get().start_date == timezone.localdate()
    # and the household page's audit trail reads them
    trail = household_history(household)
    assert {e.user for e in trail} == {"township_a"} and {e.action for e in trail} == {"新增"}
    assert {e.object_label for e in trail} == {"家庭", "成员", "收入", "类别/原因"}


@pytest.mark.parametrize("fast", [True, False], ids=["copy-or-executemany", "bulk_create_with_history"])
def test_both_write_paths_leave_the_same_rows_and_history(users, tmp_path, monkeypatch, fast):
    # given: the generic path (other databases) or the fast one of this database
    monkeypatch.setattr(bulk, "fast", lambda: fast)
    rows = two_households()
    # when: imported, then re-imported with one change
    first = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "a.xlsx", rows))
    rows[0]["住址"] = "胜利路3号"
    second = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "b.xlsx", rows))
    # then
    assert first.written and second.written and second.updated_households == 1
    assert counts()[:3] == (2, 4, 1) and Classification.objects.count() == 3
    zhao = Person.objects.get(name="赵一")
    assert zhao.household.head == zhao and zhao.household.address == "胜利路3号"
    assert [h.history_type for h in zhao.household.history.order_by("history_id")] == ["+", "~"]
    assert {h.history_user_id for h in Household.history.all()} | {h.history_user_id for h in Person.history.all()} == {users["township_a"].pk}
    assert Person.history.filter(history_type="+").count() == 4 and IncomeItem.history.count() == 1


def test_dry_run_lists_every_bad_row_and_column_and_writes_nothing(users, tmp_path):
    # given
    rows = two_households()
    rows[1]["身份证号码"] = bad_id(rows[1]["身份证号码"])
    rows[2]["与户主关系"] = "表哥"
    rows[2]["姓名"] = ""
    rows[3]["月收入（元）"] = "12.345"
    rows[3]["收入类型"] = "工资性收入"
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    before = counts()
    # when
    report = survey_import(acting_user=users["township_a"], source=path, dry_run=True)
    # then
    assert counts() == before
    assert not report.written and report.dry_run
    messages = [str(e) for e in report.errors]
    expected_check = rows[1]["身份证号码"]
    assert messages[0].startswith("第3行“身份证号码”列：校验码错误：末位应为 ")
    assert messages[0].endswith(f"实为 {expected_check[-1]}")
    assert "第4行“姓名”列：必填，不能为空" in messages
    assert any(m.startswith("第4行“与户主关系”列：“表哥”不是可选值") for m in messages)
    assert "第5行“月收入（元）”列：金额“12.345”最多保留两位小数" in messages
    assert report.bad_rows == 3 and report.rows == 4 and report.households == 2
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)


def test_all_or_nothing_with_one_bad_row_writes_nothing(users, tmp_path):
    # given
    rows = two_households()
    rows[3]["残疾等级"] = "五级"
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    before = counts()
    # when
    report = survey_import(acting_user=users["township_a"], source=path, mode=ALL_OR_NOTHING)
    # then
    assert counts() == before
    assert not report.written and report.bad_rows == 1
    assert [str(e) for e in report.errors] == ["第5行“残疾等级”列：“五级”不是可选值，应为：一级、二级、三级、四级"]
    assert "未导入任何数据" in report.summary()


def test_good_rows_imports_the_good_households_and_returns_the_bad_rows(users, tmp_path):
    # given: household 1 has one bad row out of three; household 2 is good
    rows = two_households()
    rows[2]["在校"] = "也许"
    path = write_xlsx(tmp_path / "s.xlsx", rows + [{"户编号": "3", "姓名": "周五", "与户主关系": "户主", "身份证号码": "123"}])
    # when
    report = survey_import(acting_user=users["township_a"], source=path, mode=GOOD_ROWS)
    out = tmp_path / "bad.xlsx"
    write_bad_rows(report, out)
    # then
    assert report.written
    assert list(Person.objects.values_list("name", flat=True)) == ["孙四"]
    assert (report.new_households, report.skipped_households, report.skipped_rows, report.bad_rows) == (1, 2, 4, 2)
    bad = read_xlsx(out)
    assert [r["姓名"] for r in bad] == ["赵一", "钱二", "赵小三", "周五"]
    assert list(bad[0])[-1] == "错误原因"
    assert bad[0]["错误原因"] == "本户其他行有错误（第4行），本行未导入"
    assert bad[2]["错误原因"] == "“在校”“也许”应填“是”或“否”"
    assert "“村（社区）代码”户主行必填，不能为空" in bad[3]["错误原因"]
    assert bad[0]["身份证号码"] == rows[0]["身份证号码"]  # still text


def test_bad_rows_file_fixed_and_reimported(users, tmp_path):
    # given: a good-rows import left one household out
    rows = two_households()
    rows[2]["在校"] = "也许"
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), mode=GOOD_ROWS)
    write_bad_rows(report, tmp_path / "bad.xlsx")
    fixed = read_xlsx(tmp_path / "bad.xlsx")
    fixed[2]["在校"] = "是"
    # when: the user fixes the bad row and imports the file with its 错误原因 column
    again = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "fixed.xlsx", fixed, headers=list(fixed[0])))
    # then
    assert again.ok and again.written and again.new_persons == 3
    assert Household.objects.count() == 2


def test_reimport_creates_no_duplicates_and_updates_changed_fields_with_history(users, tmp_path):
    # given
    rows = two_households()
    survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "a.xlsx", rows))
    before = counts()
    # when: the same sheet again
    same = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "b.xlsx", rows))
    # then: nothing changes, not even history
    assert same.written and (same.new_persons, same.updated_persons, same.unchanged_persons, same.new_households) == (0, 0, 4, 0)
    assert counts() == before
    # when: a changed phone, income and a new member
    rows[1]["联系电话"] = "13800001111"
    rows[0]["月收入（元）"] = 1500
    rows.append(member("1", "赵小四", "子女", birth=dt.date(2015, 1, 1)))
    changed = survey_import(acting_user=users["county"], source=write_xlsx(tmp_path / "c.xlsx", rows))
    # then
    assert changed.ok, [str(e) for e in changed.errors]
    assert (changed.new_persons, changed.updated_persons, changed.updated_households, changed.new_households) == (1, 1, 1, 0)
    assert Household.objects.count() == 2 and Person.objects.count() == 5
    qian = Person.objects.get(name="钱二")
    assert qian.phone == "13800001111"
    last = qian.history.order_by("-history_id").first()
    assert (last.history_type, last.history_user, last.phone) == ("~", users["county"], "13800001111")
    assert qian.history.count() == 2
    assert Person.objects.get(name="赵小四").household == Person.objects.get(name="赵一").household
    assert Membership.objects.filter(person__name="赵小四").get().start_reason == c.MembershipReason.IMPORTED
    income = IncomeItem.objects.get()
    assert income.monthly_amount_fen == 150000
    assert income.history.order_by("-history_id").first().history_user == users["county"]
    assert Classification.objects.count() == 3


def test_reimport_moves_the_head_when_the_old_head_is_listed(users, tmp_path, household_a):
    # given: household_a has 张伟 (head) and 李娜 (spouse)
    zhang, li = household_a.members.order_by("pk")
    rows = [member("x", "张伟", "配偶", id_number=zhang.id_number), member("x", "李娜", "户主", id_number=li.id_number)]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    # then
    assert report.ok and report.written and report.updated_households == 1
    household_a.refresh_from_db()
    assert household_a.head == li and Household.objects.count() == 1
    assert household_a.history.order_by("-history_id").first().history_user == users["village_a"]


def test_reimport_refuses_a_second_head_when_the_old_head_is_not_listed(users, tmp_path, household_a):
    # given
    li = household_a.members.get(name="李娜")
    rows = [member("x", "李娜", "户主", id_number=li.id_number)]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    # then
    assert not report.written
    assert str(report.errors[0]).startswith("第2行“与户主关系”列：系统中该户已有另一名户主")


def test_members_of_two_registered_households_under_one_key_are_refused(users, tmp_path, household_a, regions):
    # given
    other = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "o.xlsx", [member("1", "吴六", "户主")]))
    assert other.written
    wu = Person.objects.get(name="吴六")
    zhang = household_a.members.get(name="张伟")
    rows = [member("1", "张伟", "户主", id_number=zhang.id_number), member("1", "吴六", "子女", id_number=wu.id_number)]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), dry_run=True)
    # then
    assert {e.column for e in report.errors} == {"户编号"}
    assert "同户成员在系统中分属不同家庭" in report.errors[0].message


def test_id_stored_as_a_number_round_trips(users, tmp_path):
    # given: an old 15-digit number, the village code and the phone typed as numbers
    old15 = "340102800517001"
    rows = [member("1", "郑七", "户主", id_number=old15, 联系电话="13912345678")]
    path = write_xlsx(tmp_path / "s.xlsx", rows, numbers=("身份证号码", "村（社区）代码", "联系电话", "户编号"))
    # when
    report = survey_import(acting_user=users["village_a"], source=path)
    # then
    assert report.ok, [str(e) for e in report.errors]
    person = Person.objects.get()
    assert person.id_number == "34010219800517001" + person.id_number[-1] and len(person.id_number) == 18
    assert person.phone == "13912345678" and person.region_code == VILLAGE_A


def test_18_digit_id_stored_as_a_number_is_refused_with_the_reason(users, tmp_path):
    # given: Excel kept 15 significant digits of an 18-digit number (one whose check character is a
    # digit: a number ending in X cannot be typed as a number at all)
    id_number = next(n for n in (make_id_number(seq=s) for s in range(100, 120)) if n[-1] != "X")
    rows = [member("1", "郑七", "户主", id_number=id_number)]
    path = write_xlsx(tmp_path / "s.xlsx", rows, numbers=("身份证号码",))
    # when
    report = survey_import(acting_user=users["village_a"], source=path, dry_run=True)
    # then
    assert [str(e) for e in report.errors] == ["第2行“身份证号码”列：身份证号码被 Excel 存为数字，已丢失末位，请把该列设为文本后重新填写"]


def test_village_outside_scope_or_unknown_is_refused(users, tmp_path):
    # given
    rows = [member("1", "冯八", "户主", village=VILLAGE_B), member("2", "陈九", "户主", village="340102001999"),
            member("3", "褚十", "户主", village="3401020010")]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), mode=GOOD_ROWS)
    # then
    assert [str(e) for e in report.errors] == [
        f"第2行“村（社区）代码”列：村（社区）代码 {VILLAGE_B} 不在您的管辖范围内或不存在",
        "第3行“村（社区）代码”列：村（社区）代码 340102001999 不在您的管辖范围内或不存在",
        "第4行“村（社区）代码”列：应为12位数字，现为“3401020010”",
    ]
    assert Person.objects.count() == 0


def test_id_registered_outside_scope_is_refused_without_saying_where(users, tmp_path, household_b):
    # given: 王芳 is registered in village B; village A's worker lists her
    wang = household_b.members.get()
    rows = [member("1", "王芳", "户主", id_number=wang.id_number)]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    # then
    assert [str(e) for e in report.errors] == [
        "第2行“身份证号码”列：该身份证号码已在系统中登记，一人只能在一个家庭；如需迁入，请联系上级民政部门核实"]
    assert VILLAGE_B not in str(report.errors[0]) and str(household_b.pk) not in report.errors[0].message
    wang.refresh_from_db()
    assert wang.household_id == household_b.pk


def test_household_with_no_head_or_two_heads_and_duplicate_ids(users, tmp_path):
    # given
    twin = make_id_number(birth=dt.date(1990, 1, 1))
    rows = [member("1", "甲", "配偶"), member("1", "乙", "子女"),
            member("2", "丙", "户主"), member("2", "丁", "户主"),
            member("3", "戊", "户主", id_number=twin), member("4", "己", "户主", id_number=twin)]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), dry_run=True)
    # then
    assert [str(e) for e in report.errors] == [
        "第2行“与户主关系”列：户编号“1”的家庭没有户主，须有且只有一名成员为“户主”",
        "第5行“与户主关系”列：户编号“2”的家庭有2名户主（第4行、第5行），须有且只有一名",
        "第7行“身份证号码”列：与第6行的身份证号码重复，同一人只能填一行",
    ]


def test_household_columns_must_agree_with_the_head_row(users, tmp_path):
    # given
    rows = [member("1", "甲", "户主", 住址="一号"), member("1", "乙", "子女", village=VILLAGE_A2, 住址="一号")]
    # when
    report = survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), dry_run=True)
    # then
    assert [str(e) for e in report.errors] == [
        "第3行“村（社区）代码”列：与本户户主行（第2行）不一致；户级信息以户主行为准，其他成员可留空"]


def test_person_rules_of_the_registry_apply(users, tmp_path):
    # given: the checks of registry.services.validate_person_data
    rows = [member("1", "甲", "户主", 在校="是", 辍学="是", 残疾证号="34010219800517001X11", 疑似残疾未办证="是", 联系电话="12ab")]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows), dry_run=True)
    # then
    assert [str(e) for e in report.errors] == [
        "第2行“联系电话”列：电话号码应为7–12位数字",
        "第2行“辍学”列：不能同时为“在校”和“辍学”",
        "第2行“疑似残疾未办证”列：已有残疾证的，不能同时标记为“疑似残疾未办证”",
        "第2行“残疾等级”列：有残疾证的，须填写残疾等级（1–4级）",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_each_encoding(users, tmp_path, encoding):
    # given
    path = write_csv(tmp_path / "s.csv", two_households(), encoding=encoding)
    # when
    report = survey_import(acting_user=users["township_a"], source=path)
    # then
    assert report.ok and report.written and Person.objects.count() == 4
    assert Person.objects.get(name="孙四").disability_last_check == dt.date(2024, 1, 31)


def test_dates_in_excel_and_text_forms(users, tmp_path):
    # given
    rows = [member(str(i), f"人{i}", "户主", 残疾证号=f"1234567890123456789{i}", 残疾类别="视力", 残疾等级=1, 发证日期=value)
            for i, value in enumerate([dt.date(2024, 1, 31), "2024-01-31", "2024/1/31", "20240131", 20240131, "2024年1月31日"])]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    # then
    assert report.ok, [str(e) for e in report.errors]
    assert set(Person.objects.values_list("disability_issue_date", flat=True)) == {dt.date(2024, 1, 31)}


def test_partner_viewer_cannot_import(users, tmp_path):
    # given
    path = write_xlsx(tmp_path / "s.xlsx", two_households())
    # when / then
    with pytest.raises(PermissionDenied, match="权限"):
        survey_import(acting_user=users["partner"], source=path)
    assert Person.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("s.txt", b"x", "文件类型“.txt”不支持"),
    ("s.xlsx", b"not a zip", "无法读取该文件"),
    ("s.csv", b"", "表格是空的"),
    ("s.csv", "户编号,姓名,与户主关系\n1,张三,户主\n".encode(), "缺少以下列：村（社区）代码、身份证号码"),
    ("s.csv", "户编号,村（社区）代码,姓名,身份证号码,与户主关系\n".encode(), "没有数据行"),
])
def test_file_level_errors_name_the_problem(users, tmp_path, name, content, message):
    # given
    path = tmp_path / name
    path.write_bytes(content)
    # when / then
    with pytest.raises(SurveyFileError, match=message):
        survey_import(acting_user=users["village_a"], source=path)


def test_no_file(users):
    with pytest.raises(SurveyFileError, match="请选择要导入的文件"):
        survey_import(acting_user=users["village_a"], source=None)


def test_a_person_registered_meanwhile_fails_the_import_cleanly(users, tmp_path, monkeypatch):
    # given: the plan was made before someone else registered one of the sheet's people
    from bangfu.registry.survey import importer, plan
    from bangfu.registry.survey.importer import SurveyConflict

    rows = two_households()
    survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "first.xlsx", [{**rows[1], "与户主关系": "户主"}]))
    blind = lambda groups, viewer, **kw: plan.Registry(regions=plan.fetch_registry(groups, viewer=viewer).regions)  # noqa: E731
    monkeypatch.setattr(importer, "fetch_registry", blind)  # sees the villages but none of the people
    before = counts()
    # when / then
    with pytest.raises(SurveyConflict, match="未写入任何数据"):
        survey_import(acting_user=users["township_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    assert counts() == before


@pytest.mark.parametrize("fast", [True, False], ids=["copy-or-executemany", "bulk_create_with_history"])
def test_a_registered_person_without_a_household_heads_a_new_one(users, tmp_path, monkeypatch, fast):
    # given: a person on record in village A but in no household
    monkeypatch.setattr(bulk, "fast", lambda: fast)
    number = make_id_number(birth=dt.date(1950, 2, 2))
    loose = Person.objects.create(name="蒋十一", id_number=number, birth_date=dt.date(1950, 2, 2), sex="M", region_code=VILLAGE_A)
    rows = [member("1", "蒋十一", "户主", id_number=number, 劳动能力="无劳动能力"), member("1", "蒋小二", "子女", birth=dt.date(1990, 1, 1))]
    # when
    report = survey_import(acting_user=users["village_a"], source=write_xlsx(tmp_path / "s.xlsx", rows))
    # then
    assert report.ok and (report.new_households, report.new_persons, report.updated_persons) == (1, 1, 1)
    loose.refresh_from_db()
    assert loose.household.head == loose and loose.labor_capacity == "none"
    assert Membership.objects.filter(person=loose, household=loose.household, start_reason=c.MembershipReason.IMPORTED).exists()
    assert loose.history.order_by("-history_id").first().history_user == users["village_a"]
