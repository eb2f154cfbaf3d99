"""Survey export (R3): same scope as the household list, masking by role, re-importable."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog
from bangfu.registry.models import Household, IncomeItem, Person
from bangfu.registry.selectors import HouseholdFilter
from bangfu.registry.services import item_add, person_update
from bangfu.registry.survey.columns import HEADERS
from bangfu.registry.survey.export import survey_export
from bangfu.registry.survey.importer import survey_import

from .helpers import read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db


def export_rows(user, flt: HouseholdFilter | None = None) -> list[dict]:
    buffer = io.BytesIO()
    survey_export(viewer=user, target=buffer, flt=flt)
    buffer.seek(0)
    return read_xlsx(buffer)


def test_export_is_scoped_like_the_household_list(users, household_a, household_b):
    # when
    rows_a = export_rows(users["village_a"])
    rows_county = export_rows(users["county"])
    # then
    assert {r["姓名"] for r in rows_a} == {"张伟", "李娜"}
    assert {r["村（社区）代码"] for r in rows_a} == {household_a.region_code}
    assert {r["姓名"] for r in rows_county} == {"张伟", "李娜", "王芳"}
    assert export_rows(users["village_b"], HouseholdFilter(village=household_a.region_code)) == []


def test_export_masks_numbers_for_a_village_worker_but_not_for_a_county_officer(users, household_a):
    # given
    zhang = household_a.members.get(name="张伟")
    person_update(acting_user=users["village_a"], person_id=zhang.pk, data={"phone": "13812345678"})
    # when
    worker = {r["姓名"]: r for r in export_rows(users["village_a"])}
    county = {r["姓名"]: r for r in export_rows(users["county"])}
    # then
    assert worker["张伟"]["身份证号码"] == mask_id_number(zhang.id_number) != zhang.id_number
    assert worker["张伟"]["联系电话"] == "138****5678"
    assert county["张伟"]["身份证号码"] == zhang.id_number
    assert county["张伟"]["联系电话"] == "13812345678"


def test_export_has_the_template_columns_and_head_first(users, household_a):
    # given
    item_add(acting_user=users["village_a"], household_id=household_a.pk, kind="classification",
             data={"kind": "category", "code": "dibao", "start_date": household_a.created_at.date()})
    # when
    buffer = io.BytesIO()
    survey_export(viewer=users["county"], target=buffer)
    rows = read_xlsx(io.BytesIO(buffer.getvalue()))
    # then
    assert list(rows[0]) == list(HEADERS)
    assert [r["与户主关系"] for r in rows] == ["户主", "配偶"]
    assert rows[0]["类别"] == "低保" and rows[1]["类别"] == ""
    assert {r["户编号"] for r in rows} == {str(household_a.pk)}
    assert isinstance(rows[0]["身份证号码"], str) and isinstance(rows[0]["村（社区）代码"], str)


def test_each_export_leaves_an_access_log_with_the_row_count(users, household_a, household_b):
    # when
    export_rows(users["county"], HouseholdFilter(q="张伟"))
    # then
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type) == (users["county"], AccessLog.Action.EXPORT, "household")
    assert "2 行（1 户）" in log.detail and "完整号码" in log.detail and "q=张伟" in log.detail


def test_partner_viewer_cannot_export(users, household_a):
    with pytest.raises(PermissionDenied, match="导出"):
        survey_export(viewer=users["partner"], target=io.BytesIO())
    assert not AccessLog.objects.exists()


def test_export_then_reimport_changes_nothing_and_an_edit_is_applied(users, household_a, household_b, tmp_path):
    # given: an export with full numbers, with an income row
    zhang = household_a.members.get(name="张伟")
    item_add(acting_user=users["county"], household_id=household_a.pk, kind="income",
             data={"kind": "wage", "monthly_amount_fen": 150000, "valid_from": household_a.created_at.date(), "person_id": zhang.pk})
    buffer = io.BytesIO()
    survey_export(viewer=users["county"], target=buffer)
    path = tmp_path / "export.xlsx"
    path.write_bytes(buffer.getvalue())
    history_before = Person.history.count()
    # when: imported back unchanged
    report = survey_import(acting_user=users["county"], source=path)
    # then
    assert report.ok and report.written, [str(e) for e in report.errors]
    assert (report.new_persons, report.updated_persons, report.new_households, report.updated_households, report.new_items) == (0, 0, 0, 0, 0)
    assert report.unchanged_persons == 3
    assert Person.history.count() == history_before
    # when: a field edited in the exported sheet
    rows = read_xlsx(path)
    for row in rows:
        if row["姓名"] == "李娜":
            row["劳动能力"] = "部分丧失劳动能力"
    edited = survey_import(acting_user=users["county"], source=write_xlsx(tmp_path / "edited.xlsx", rows, headers=list(rows[0])))
    # then
    assert edited.updated_persons == 1 and Household.objects.count() == 2 and Person.objects.count() == 3
    assert Person.objects.get(name="李娜").labor_capacity == "partial"
    assert IncomeItem.objects.get().monthly_amount_fen == 150000


def test_a_masked_export_cannot_be_reimported(users, household_a, tmp_path):
    # given
    buffer = io.BytesIO()
    survey_export(viewer=users["village_a"], target=buffer)
    path = tmp_path / "masked.xlsx"
    path.write_bytes(buffer.getvalue())
    # when
    report = survey_import(acting_user=users["village_a"], source=path, dry_run=True)
    # then
    assert report.bad_rows == 2
    assert {e.column for e in report.errors} == {"身份证号码"}


def test_the_facts_columns_round_trip_export_then_import(users, household_a, tmp_path):
    """Issue 14 "Unknown is not no": 孤寡, 户外法定义务人, 当地常住户口 and 计生二女结扎户 leave in an
    export and come back on import; an unknown 孤寡 is a blank cell and stays unknown."""
    # given: facts differing from the defaults
    zhang, li = household_a.members.get(name="张伟"), household_a.members.get(name="李娜")
    Person.objects.filter(pk=zhang.pk).update(gugua=False, supporters_checked="none")
    Person.objects.filter(pk=li.pk).update(gugua=None, supporters_checked="unknown")
    Household.objects.filter(pk=household_a.pk).update(local_hukou=False, family_planning_two_daughters=True)
    buffer = io.BytesIO()
    survey_export(viewer=users["county"], target=buffer)
    path = tmp_path / "facts.xlsx"
    path.write_bytes(buffer.getvalue())
    rows = {r["姓名"]: r for r in read_xlsx(path)}
    # then: the cells say them in the sheet's words
    assert (rows["张伟"]["孤寡"], rows["张伟"]["户外法定义务人"]) == ("否", "已核实，户外无法定义务人")
    assert (rows["李娜"]["孤寡"], rows["李娜"]["户外法定义务人"]) == ("", "未核实")
    assert (rows["张伟"]["当地常住户口"], rows["张伟"]["计生二女结扎户"]) == ("否", "是")
    # when: the registry is changed, then the export imported back
    Person.objects.filter(pk=zhang.pk).update(gugua=True, supporters_checked="unknown")
    Household.objects.filter(pk=household_a.pk).update(local_hukou=True, family_planning_two_daughters=False)
    report = survey_import(acting_user=users["county"], source=path)
    # then: the sheet's facts are back, the blank 孤寡 is still unknown
    assert report.ok and report.written, [str(e) for e in report.errors]
    zhang.refresh_from_db(), li.refresh_from_db(), household_a.refresh_from_db()
    assert (zhang.gugua, zhang.supporters_checked) == (False, "none")
    assert (li.gugua, li.supporters_checked) == (None, "unknown")
    assert (household_a.local_hukou, household_a.family_planning_two_daughters) == (False, True)
