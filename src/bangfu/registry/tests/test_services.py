"""Registry services (R3, issue 2 §4 and §7): validation, duplicates, scope, split/merge, audit."""

import datetime as dt

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.accounts.access import NotFound
from bangfu_testing.factories import make_id_number, person_data
from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.errors import DuplicatePerson, RegistryError
from bangfu.registry.history import household_history
from bangfu.registry.models import Household, IncomeItem, Membership, Person

pytestmark = pytest.mark.django_db


def test_create_derives_sex_and_birth_from_id_and_writes_history(users, regions):
    # given
    number = make_id_number(birth=dt.date(1950, 3, 9), sex="F", seq=7)
    # when
    household = services.household_create(
        acting_user=users["village_a"], region_id=regions["village_a"].pk,
        members=[{"name": "赵兰", "relation": "head", "id_number": number}],
    )
    # then
    person = household.members.get()
    assert (person.sex, person.birth_date, person.region_code) == ("F", dt.date(1950, 3, 9), "340102001001")
    assert household.head_id == person.pk
    assert person.history.count() == 1 and person.history.first().history_user == users["village_a"]
    assert Membership.objects.get(person=person).start_reason == c.MembershipReason.CREATED


def test_bad_id_number_is_refused_with_reason_and_nothing_saved(users, regions):
    bad = make_id_number(seq=3)[:-1] + ("0" if make_id_number(seq=3)[-1] != "0" else "1")
    with pytest.raises(RegistryError) as exc:
        services.household_create(
            acting_user=users["village_a"], region_id=regions["village_a"].pk,
            members=[person_data("甲", "head"), {"name": "乙", "relation": "child", "id_number": bad}],
        )
    assert "校验码错误" in exc.value.errors["id_number"][0]
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_second_entry_of_same_id_in_another_region_reveals_nothing(household_a, users, regions):
    number = household_a.head.id_number
    with pytest.raises(DuplicatePerson) as exc:
        services.household_create(
            acting_user=users["village_b"], region_id=regions["village_b"].pk,
            members=[{"name": "冒名", "relation": "head", "id_number": number}],
        )
    message = exc.value.errors["id_number"][0]
    assert "已在系统中登记" in message
    assert str(household_a.pk) not in message and "胜利" not in message


def test_second_entry_in_own_region_names_the_household(household_a, users, regions):
    with pytest.raises(DuplicatePerson) as exc:
        services.person_add(acting_user=users["village_a"], household_id=household_a.pk,
                            data={"name": "重复", "relation": "child", "id_number": household_a.head.id_number})
    assert f"编号 {household_a.pk}" in exc.value.errors["id_number"][0]


def test_worker_cannot_create_in_other_village_or_touch_other_household(household_b, users, regions):
    with pytest.raises(RegistryError) as exc:
        services.household_create(acting_user=users["village_a"], region_id=regions["village_b"].pk, members=[person_data("甲")])
    assert "region" in exc.value.errors
    with pytest.raises(NotFound):
        services.household_update(acting_user=users["village_a"], household_id=household_b.pk, address="x")
    with pytest.raises(NotFound):
        services.person_update(acting_user=users["village_a"], person_id=household_b.head_id, data={"name": "x"})


@pytest.mark.parametrize("role", ["partner", "auditor"])
def test_read_only_roles_cannot_write(household_a, users, role):
    with pytest.raises(PermissionDenied, match="没有执行此操作的权限"):
        services.household_update(acting_user=users[role], household_id=household_a.pk, address="x")


def test_update_records_old_and_new_value_with_user(household_a, users):
    # when
    services.household_update(acting_user=users["township_a"], household_id=household_a.pk, address="胜利路2号")
    services.person_update(acting_user=users["village_a"], person_id=household_a.head_id, data={"labor_capacity": "none"})
    # then
    entries = household_history(Household.objects.get(pk=household_a.pk))
    address = next(e for e in entries if e.object_label == "家庭" and e.action == "修改")
    assert address.changes == [("住址", "胜利路1号", "胜利路2号")] and address.user == "township_a"
    labor = next(e for e in entries if e.object_label == "成员" and e.action == "修改")
    assert labor.changes == [("劳动能力", "有劳动能力", "无劳动能力")] and labor.user == "worker_a"


def test_person_rules_give_field_errors(household_a, users):
    with pytest.raises(RegistryError) as exc:
        services.person_update(acting_user=users["village_a"], person_id=household_a.head_id,
                               data={"disability_cert_number": "34010219800517123X11", "enrolled": True, "dropped_out": True, "phone": "12ab"})
    assert set(exc.value.errors) == {"disability_grade", "dropped_out", "phone"}
    assert Person.objects.get(pk=household_a.head_id).disability_cert_number == ""


def test_household_needs_exactly_one_head(users, regions):
    with pytest.raises(RegistryError, match="户主"):
        services.household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk,
                                  members=[person_data("甲", "head"), person_data("乙", "head")])


def test_split_and_merge_keep_history(household_a, users):
    spouse = household_a.members.exclude(pk=household_a.head_id).get()
    day = dt.date(2026, 6, 1)
    # when: the spouse splits off, then the two households merge back
    new = services.household_split(acting_user=users["village_a"], household_id=household_a.pk, person_ids=[spouse.pk],
                                   new_head_id=spouse.pk, day=day)
    services.item_add(acting_user=users["village_a"], household_id=new.pk, kind="income",
                      data={"kind": "wage", "monthly_amount_fen": 150000, "valid_from": day})
    merged = services.household_merge(acting_user=users["village_a"], target_id=household_a.pk, source_id=new.pk, day=dt.date(2026, 7, 1))
    # then
    new.refresh_from_db()
    assert new.status == c.HouseholdStatus.MERGED and new.merged_into_id == household_a.pk and new.split_from_id == household_a.pk
    assert set(merged.members.values_list("pk", flat=True)) == {household_a.head_id, spouse.pk}
    spells = list(Membership.objects.filter(person=spouse).order_by("pk").values_list("household_id", "start_reason", "end_reason", "end_date"))
    assert spells == [
        (household_a.pk, "created", "split", day),
        (new.pk, "split", "merged", dt.date(2026, 7, 1)),
        (household_a.pk, "merged", "", None),
    ]
    assert IncomeItem.objects.get().household_id == household_a.pk
    assert IncomeItem.history.filter(history_type="~").first().history_user == users["village_a"]


def test_split_refuses_to_empty_the_household(household_a, users):
    ids = list(household_a.members.values_list("pk", flat=True))
    with pytest.raises(RegistryError, match="至少要保留一名成员"):
        services.household_split(acting_user=users["village_a"], household_id=household_a.pk, person_ids=ids, new_head_id=ids[0])


def test_merge_across_villages_refused(household_a, household_b, users):
    with pytest.raises((RegistryError, NotFound)):
        services.household_merge(acting_user=users["county"], target_id=household_a.pk, source_id=household_b.pk)


def test_history_names_related_rows_and_categories(household_a, users):
    spouse = household_a.members.exclude(pk=household_a.head_id).get()
    household = services.household_change_head(acting_user=users["village_a"], household_id=household_a.pk, person_id=spouse.pk,
                                               former_head_relation="spouse")
    services.item_add(acting_user=users["village_a"], household_id=household_a.pk, kind="classification",
                      data={"kind": "category", "code": "dibao", "start_date": dt.date(2026, 1, 1)})
    entries = household_history(household)
    head_change = next(e for e in entries if e.object_label == "家庭" and any(ch[0] == "户主" for ch in e.changes))
    assert ("户主", "张伟", "李娜") in head_change.changes
    assert any(e.object_label == "类别/原因" and e.object_name == "低保" and e.action == "新增" for e in entries)
