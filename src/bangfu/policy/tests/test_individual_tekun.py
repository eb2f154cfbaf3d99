"""Individual application (R12, 办法 §8, 篇三（一）) and tekun (特困人员认定办法, 暂行办法 §14).

Standards as in util.py: rural 650.00. Near-dibao band: 650 ≤ per-capita < 975.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.tests.util import ON, fen, household, judge, member, person, wage  # noqa: F401

CERT = {"cert_number": "34112219800101001X"}

INDIVIDUAL = [
    pytest.param(
        {"disability": {"type": "physical", "grade": 1, **CERT}}, "1400.00",
        # 1400 / 2 = 700: near-dibao. Grade-1 certificate holder, own income 0 < 650 → alone:
        # level 650, A (severe) 30 % = 195 → 845.00
        "disability", "845.00", id="R12-办法8-severe-disability-certificate",
    ),
    pytest.param(
        {"disability": {"type": "physical", "grade": 1}}, "1400.00",
        # no certificate number: not "持有残疾人证"
        None, "0.00", id="R12-severe-disability-without-certificate-no",
    ),
    pytest.param(
        {"disability": {"type": "mental", "grade": 3, **CERT}}, "1400.00",
        # grade-3 mental: 650 + B (grade 3–4) 20 % = 130 → 780.00
        "mental_grade_3", "780.00", id="R12-办法8-grade-3-mental",
    ),
    pytest.param(
        {"major_illnesses": ["uremia"]}, "1400.00",
        # major illness: 650 + A 30 % → 845.00
        "illness", "845.00", id="R12-办法8-major-illness",
    ),
    pytest.param(
        {"major_illnesses": ["uremia"]}, "2000.00",
        # 2000 / 2 = 1000 ≥ 975: not near-dibao, so no individual application
        None, "0.00", id="R12-not-near-dibao-household",
    ),
    pytest.param(
        {"major_illnesses": ["uremia"]}, "1200.00",
        # 1200 / 2 = 600 < 650: the whole household is dibao eligible instead
        None, "0.00", id="R12-household-already-eligible",
    ),
]


@pytest.mark.parametrize("fields, earner_income, basis, amount", INDIVIDUAL)
def test_individual_application(fields, earner_income, basis, amount):
    # given: member 1 earns everything, member 2 has the condition and no own income
    doc = household(person(45), person(45, **fields), incomes=[wage(earner_income, member=1)])
    # when
    result = judge(doc)
    # then
    assert member(result, 1)["individual_basis"] == basis
    assert member(result, 1)["individual_eligible"] is (basis is not None)
    assert member(result, 1)["individual_amount_fen"] == fen(amount)
    assert result["individual_dibao_fen"] == fen(amount)


@pytest.mark.parametrize("since, eligible", [
    ("2022-08-01", True),   # exactly 3 years on 2025-08-01: "三年以上（含三年）"
    ("2022-08-02", False),  # one day short
], ids=["R12-religious-3-years-inclusive", "R12-religious-one-day-short"])
def test_religious_staff(since, eligible):
    # the family's income keeps the household itself out of dibao
    doc = household(person(50, religious_staff_since=since), person(30), incomes=[wage("3000.00", member=2)])
    result = judge(doc)
    assert member(result, 0)["individual_eligible"] is eligible
    assert member(result, 0)["individual_basis"] == ("religious" if eligible else None)


TEKUN = [
    # id, members, incomes, expected (eligible, no_labor, no_income, has_able_supporter) of member 0
    pytest.param([person(75)], [], (True, True, True, False), id="tekun-elderly-alone-no-income"),
    pytest.param([person(75, has_supporter_outside=True)], [], (False, True, True, True), id="tekun-supporter-outside"),
    pytest.param([person(40, disability={"type": "physical", "grade": 2, **CERT})], [], (True, True, True, False),
                 id="tekun-physical-grade-2-no-labor"),
    pytest.param([person(40, disability={"type": "physical", "grade": 3, **CERT})], [], (False, False, True, False),
                 id="tekun-physical-grade-3-has-labor"),
    pytest.param([person(40, disability={"type": "visual", "grade": 2, **CERT})], [], (False, False, True, False),
                 id="tekun-visual-only-grade-1"),
    pytest.param([person(40, disability={"type": "intellectual", "grade": 3, **CERT})], [], (True, True, True, False),
                 id="tekun-intellectual-grade-3"),
    pytest.param([person(40, labor_capacity="none")], [], (True, True, True, False),
                 id="tekun-recorded-no-labor-capacity-other-case"),
    pytest.param([person(65), person(40, relation="child")], [], (False, True, True, True),
                 id="tekun-son-40-able-supporter"),
    pytest.param([person(65), person(72, relation="spouse")], [], (True, True, True, False),
                 id="tekun-spouse-72-not-able-supporter"),
    # 第十条 lists the cases of no capacity; "no labor capacity" at 40 is not one of them
    pytest.param([person(65), person(40, relation="child", labor_capacity="none")], [], (False, True, True, True),
                 id="tekun-son-without-labor-capacity-still-able-art10"),
    pytest.param([person(15, is_orphan=True)], [], (True, True, True, False), id="tekun-minor-under-16"),
    pytest.param([{"birth_date": ON.replace(year=ON.year - 16).isoformat()}], [], (False, False, True, False),
                 id="tekun-16-on-birthday-not-minor"),
    pytest.param([person(75)], [wage("650.00")], (False, True, False, False), id="tekun-income-at-standard-has-source"),
    pytest.param([person(75)], [wage("649.99")], (True, True, True, False), id="tekun-income-below-standard"),
]


@pytest.mark.parametrize("members, incomes, expected", TEKUN)
def test_tekun(members, incomes, expected):
    # the outside supporters were checked and there are none (the unknown case: test_supporters.py)
    members = [{"supporters_checked": "none", **members[0]}, *members[1:]]
    result = judge(household(*members, incomes=incomes))
    m = member(result, 0)
    assert (m["tekun_eligible"], m["no_labor_capacity"], m["no_income_source"], m["has_able_supporter"]) == expected


@pytest.mark.parametrize("unable, level", [(0, "self_care"), (1, "partial"), (3, "partial"), (4, "full"), (6, "full")])
def test_care_level(unable, level):
    """特困人员认定办法: all six able = 自理, 1–3 unable = 半护理, ≥ 4 = 全护理."""
    activities = ["can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe"]
    care = {a: i >= unable for i, a in enumerate(activities)}
    result = judge(household(person(75, self_care=care)))
    assert member(result, 0)["unable_activities"] == unable
    assert member(result, 0)["care_level"] == level


def test_tekun_reason_names_missing_condition():
    result = judge(household(person(65), person(40, relation="child")))
    texts = [r["text"] for r in member(result, 0)["reasons"]]
    assert any("有有履行义务能力的法定义务人" in t and "不符合特困人员条件" in t for t in texts)


def test_deceased_member_is_not_counted():
    """Only active members live together (R11): 1300 / 2 = 650 would not be below; with the
    deceased member left out, 1300 / 1 is far above."""
    doc = household(person(40), person(80, status="deceased"), incomes=[wage("600.00")])
    result = judge(doc)
    assert result["members"] and len(result["members"]) == 1
    assert result["dibao_amount_fen"] == fen("50.00")


def test_on_date_ages_use_assessment_date():
    doc = household({"birth_date": "1965-08-02"})
    assert member(judge(doc, on=dt.date(2025, 8, 1)), 0)["age"] == 59
    assert member(judge(doc, on=dt.date(2025, 8, 2)), 0)["age"] == 60
