"""The loader reads every fact the engine's rules need from the registry (issue 14), on SQLite and
PostgreSQL (there, a region range is streamed with COPY; one household is read with SELECT).

Hand computations on 2025-08-01 in 合肥 (rural standard 880.00 元 from 2024-07-01, defaults.yaml):
an 80-year-old living alone with no income has no labor capacity and no source of living
(特困人员认定办法第六条、第七条); tekun then turns on the legal supporters (第十条).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.engine import assess
from bangfu.policy.loader import load_frames, load_household
from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.models import Person
from bangfu_testing.factories import make_id_number, person_data

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 8, 1)


@pytest.fixture
def elder(users, regions):
    """An 80-year-old (born 1945-03-01) living alone in village A, nothing recorded about supporters."""
    return services.household_create(
        acting_user=users["village_a"], region_id=regions["village_a"].pk,
        members=[person_data("赵老汉", "head", birth=dt.date(1945, 3, 1), living_situation=c.LivingSituation.ALONE)],
    )


def _frames(household, regions, how):
    if how == "household":
        return load_household(household.pk)
    code = regions["village_a"].code
    return load_frames(bounds=(code, code))


def _person(frames):
    return frames.persons.row(0, named=True)


@pytest.mark.parametrize("how", ["household", "region"])
def test_unknown_loads_as_unknown(elder, regions, how):
    """Nothing recorded: supporters "unknown", 孤寡 null (not False), local hukou true (the
    registry's default, asked by the form and the survey sheet), not 计生二女结扎户."""
    frames = _frames(elder, regions, how)
    row = _person(frames)
    assert row["supporters_checked"] == "unknown" and row["gugua"] is None and row["has_supporter_outside"] is None
    hh = frames.households.row(0, named=True)
    assert (hh["local_hukou"], hh["family_planning_two_daughters"]) == (True, False)
    assert frames.supporters.height == 0
    result = assess(frames, ON)
    p = result.persons.row(0, named=True)
    assert (p["tekun_eligible"], p["supporter_unknown"], p["gugua"]) == (False, True, None)


@pytest.mark.parametrize("how", ["household", "region"])
def test_son_on_dibao_outside_is_loaded_and_judged(elder, users, regions, how):
    """A son born 1963-01-10 (62 on 2025-08-01), on dibao, recorded outside the household: 第十条
    第（二）项 (60 周岁以上的最低生活保障对象) → unable; the elder is tekun. The son's birth date
    comes from his ID number."""
    head = elder.members.get()
    services.item_add(acting_user=users["village_a"], household_id=elder.pk, kind="supporter", data={
        "person_id": head.pk, "duty": c.SupportDuty.ELDER, "relation": c.SupporterRelation.CHILD, "name": "赵大",
        "id_number": make_id_number(birth=dt.date(1963, 1, 10)), "on_dibao": True})
    head.refresh_from_db()
    assert head.supporters_checked == c.SupportersChecked.RECORDED
    frames = _frames(elder, regions, how)
    s = frames.supporters.row(0, named=True)
    assert (s["person_id"], s["birth_date"], s["on_dibao"], s["on_tekun"], s["capacity"]) == (head.pk, dt.date(1963, 1, 10), True, False, "")
    p = assess(frames, ON).persons.row(0, named=True)
    assert (p["tekun_eligible"], p["has_able_supporter"], p["supporter_unknown"], p["gugua"]) == (True, False, False, False)


def test_able_son_outside_is_not_tekun(elder, users):
    """The same son aged 45 and in none of 第十条's cases is able: not tekun (the 错保 the issue
    describes: an 80-year-old living alone with children elsewhere)."""
    head = elder.members.get()
    services.item_add(acting_user=users["village_a"], household_id=elder.pk, kind="supporter", data={
        "person_id": head.pk, "duty": c.SupportDuty.ELDER, "relation": c.SupporterRelation.CHILD, "name": "赵二",
        "birth_date": dt.date(1980, 1, 1)})
    p = assess(load_household(elder.pk), ON).persons.row(0, named=True)
    assert (p["tekun_eligible"], p["has_able_supporter"]) == (False, True)


def test_person_and_household_facts_load(elder, users):
    """孤寡 and "checked, none outside" recorded on the person; local hukou false and 计生二女结扎户
    on the household; both reach the engine."""
    head = elder.members.get()
    services.person_update(acting_user=users["village_a"], person_id=head.pk,
                           data={"gugua": True, "supporters_checked": c.SupportersChecked.NONE})
    services.household_update(acting_user=users["village_a"], household_id=elder.pk, local_hukou=False,
                              family_planning_two_daughters=True)
    frames = load_household(elder.pk)
    assert (_person(frames)["gugua"], _person(frames)["supporters_checked"]) == (True, "none")
    assert (frames.households["local_hukou"][0], frames.households["family_planning_two_daughters"][0]) == (False, True)
    result = assess(frames, ON)
    # 暂行办法 §9 / R11: no local hukou → no dibao, and no tekun either
    assert result.households["dibao_eligible"][0] is False
    assert result.persons["tekun_eligible"][0] is False


@pytest.mark.parametrize("how", ["household", "region"])
def test_left_behind_woman_fires_from_the_registry(users, regions, how):
    """篇一/篇五 一、3（2）: a rural left-behind woman of a 计生二女结扎户 household whose per-capita
    income is within 1× the standard → 纳入低保. Two members, a wage of 1,000.00: 500.00 ≤ 880.00."""
    household = services.household_create(
        acting_user=users["village_a"], region_id=regions["village_a"].pk,
        members=[person_data("钱女士", "head", sex="F", living_situation=c.LivingSituation.LEFT_BEHIND),
                 person_data("钱小妹", "child", sex="F", birth=dt.date(2015, 6, 1))])
    services.household_update(acting_user=users["village_a"], household_id=household.pk, family_planning_two_daughters=True)
    head = Person.objects.get(household=household, relation="head")
    services.item_add(acting_user=users["village_a"], household_id=household.pk, kind="income", data={
        "person_id": head.pk, "kind": "wage", "monthly_amount_fen": 100000, "valid_from": dt.date(2025, 1, 1)})
    result = assess(_frames(household, regions, how), ON)
    rules = result.groups.filter(result.groups["person_id"] == head.pk)["rule"].to_list()
    assert "woman_left_behind" in rules


@pytest.mark.parametrize("how", ["household", "region"])
def test_non_counted_income_kinds_load_and_are_excluded(elder, users, regions, how):
    """办法 §13–14: an award of 500.00 and disability allowance of 200.00 are recorded in the
    registry as their own kinds and are not counted: counted income 100.00 (the pension)."""
    head = elder.members.get()
    for kind, fen in (("pension", 10000), ("award", 50000), ("disability_allowance", 20000), ("assistance", 30000)):
        services.item_add(acting_user=users["village_a"], household_id=elder.pk, kind="income", data={
            "person_id": head.pk, "kind": kind, "monthly_amount_fen": fen, "valid_from": dt.date(2025, 1, 1)})
    frames = _frames(elder, regions, how)
    assert sorted(frames.incomes["kind"].to_list()) == ["assistance", "award", "disability_allowance", "pension"]
    assert assess(frames, ON).households["income_gross_fen"][0] == 10000
