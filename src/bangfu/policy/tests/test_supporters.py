"""Unknown is not no: legal supporters, 孤寡, local hukou and non-counted income (issue 14).

Hand computations on 2025-08-01 in the test province (util.py): rural dibao standard 650.00 元;
the national per-capita disposable income of the shipped parameters is 41,314 ÷ 12 = 3,442.83
元 a month (2025). 80-year-olds have no labor capacity (特困人员认定办法第六条: 60 周岁以上);
with no income (0 < 650.00) and no assets they have no source of living (第七条). What is left
is the third condition, 无法定义务人或者其法定义务人无履行义务能力, judged by 第十条:

  (一) 特困人员; (二) 60 周岁以上的最低生活保障对象; (三) 70 周岁以上的老年人，本人收入低于当地
  上年人均可支配收入，且其财产符合当地低保家庭财产状况规定; (四) 重度残疾人和三级智力、精神残疾
  人，同上收入与财产条件; (五) 无民事行为能力、被宣告失踪或者在监狱服刑的人员，且财产符合规定;
  (六) 省级规定的其他情形.
"""

from __future__ import annotations

import pytest

from .util import born, household, judge, member, person, wage

SENTENCE = "户外法定赡养、抚养、扶养义务人情况未核实：请核实其子女、配偶等义务人及其履行能力后再认定特困"


def son(age: int, **facts) -> dict:
    return {"relation": "child", "birth_date": born(age), **facts}


def alone_80(*supporters: dict, **fields) -> dict:
    return household(person(80, living_situation="alone", supporters=list(supporters), **fields))


def tekun_of(doc: dict) -> tuple:
    m = member(judge(doc), 0)
    return m["tekun_eligible"], m["has_able_supporter"], m["supporter_unknown"]


OUTSIDE = [
    # (id, supporter facts, tekun eligible, has able supporter)
    pytest.param(son(45), False, True, id="son-45-none-of-art10-cases-able"),
    pytest.param(son(62, on_dibao=True), True, False, id="son-62-on-dibao-unable-art10-2"),
    pytest.param(son(62), False, True, id="son-62-not-on-dibao-able"),
    pytest.param(son(59, on_dibao=True), False, True, id="son-59-on-dibao-under-60-able"),
    pytest.param(son(40, on_tekun=True), True, False, id="son-on-tekun-unable-art10-1"),
    pytest.param(son(70, income_below_disposable=True), True, False, id="son-70-low-income-unable-art10-3"),
    pytest.param(son(69, income_below_disposable=True), False, True, id="son-69-low-income-under-70-able"),
    pytest.param(son(70), False, True, id="son-70-income-not-low-able"),
    pytest.param(son(40, severe_disability=True, income_below_disposable=True), True, False,
                 id="son-severely-disabled-low-income-unable-art10-4"),
    pytest.param(son(40, severe_disability=True), False, True, id="son-severely-disabled-income-not-low-able"),
    pytest.param(son(40, no_civil_capacity=True), True, False, id="son-in-prison-unable-art10-5"),
    pytest.param(son(40, capacity="unable"), True, False, id="son-recorded-unable-art10-6"),
    pytest.param(son(62, on_dibao=True, capacity="able"), False, True, id="son-verified-able-overrides-facts"),
    pytest.param({"relation": "child", "age": 62, "on_dibao": True}, True, False, id="son-age-only-62-on-dibao-unable"),
]


@pytest.mark.parametrize("supporter, eligible, able", OUTSIDE)
def test_outside_supporter_capacity(supporter, eligible, able):
    """特困人员认定办法第十条: the 80-year-old living alone is tekun exactly when the son recorded
    outside the household falls under one of its cases; the son's row answers "were the
    supporters checked?", so nothing is unknown."""
    assert tekun_of(alone_80(supporter)) == (eligible, able, False)


def test_any_able_supporter_among_several_is_enough():
    """第四条（三）: 无法定义务人或者其法定义务人无履行义务能力 — one able child of two suffices."""
    assert tekun_of(alone_80(son(62, on_dibao=True), son(45))) == (False, True, False)
    assert tekun_of(alone_80(son(62, on_dibao=True), son(40, no_civil_capacity=True))) == (True, False, False)


def test_supporters_unknown_is_not_none():
    """An 80-year-old living alone with no income, nothing recorded about supporters: tekun is not
    concluded (第四条（三） cannot be decided), the person carries `supporter_unknown`, the
    follow-up flag and its sentence, and the not-eligible reason says what to verify."""
    result = judge(household(person(80, living_situation="alone")))
    m = member(result, 0)
    assert (m["tekun_eligible"], m["has_able_supporter"], m["supporter_unknown"]) == (False, False, True)
    assert "supporter_unknown" in m["flags"]
    texts = {r["rule"]: r for r in m["reasons"]}
    assert texts["R4.supporter_unknown"]["text"].startswith(f"跟进提示：{SENTENCE}（")
    assert "第十条" in texts["R4.supporter_unknown"]["source"]
    assert "未核实" in texts["tekun.not_eligible"]["text"] and "暂不认定特困人员" in texts["tekun.not_eligible"]["text"]
    assert "tekun.eligible" not in texts
    # 孤寡 is not presumed either: the 孤寡 rule does not fire, a follow-up asks to verify
    assert m["gugua"] is None
    assert "elderly_alone_gugua" not in [g["rule"] for g in m["groups"]]
    assert "gugua_unknown" in m["flags"]


def test_checked_none_outside_concludes():
    """Checked, no legal supporter outside (supporters_checked "none"): all three conditions of
    第四条 hold → tekun; living alone with no supporter at all → 孤寡, and the seed's rule
    (篇一/篇五 一、3（1）) recommends 特困人员集中供养."""
    result = judge(household(person(80, living_situation="alone", supporters_checked="none")))
    m = member(result, 0)
    assert (m["tekun_eligible"], m["supporter_unknown"], m["gugua"]) == (True, False, True)
    assert "elderly_alone_gugua" in [g["rule"] for g in m["groups"]]
    assert not {"supporter_unknown", "gugua_unknown"} & set(m["flags"])


def test_child_outside_means_not_gugua():
    """孤寡 = 无配偶、无子女、无法定义务人: a son recorded outside (even one unable to support,
    第十条（二）) means not 孤寡; the 80-year-old is tekun but not in the 孤寡 rule."""
    m = member(judge(alone_80(son(62, on_dibao=True))), 0)
    assert (m["tekun_eligible"], m["gugua"]) == (True, False)
    assert "elderly_alone_gugua" not in [g["rule"] for g in m["groups"]]


def test_recorded_gugua_wins():
    m = member(judge(household(person(80, living_situation="alone", gugua=False, supporters_checked="none"))), 0)
    assert m["gugua"] is False


INSIDE = [
    # member 0 is 65 with no income; the other member decides (第十条 applied to household members)
    # spouse 62, no income: household income 0 < 650.00 × 2 → dibao household; 62 ≥ 60 → (二) unable
    pytest.param([person(62, relation="spouse")], [], True, id="spouse-62-dibao-household-unable-art10-2"),
    # 59 in the same dibao household: under 60, not 70, not disabled → able
    pytest.param([person(59, relation="spouse")], [], False, id="spouse-59-dibao-household-able"),
    # spouse 72 with a pension of 3,400.00: (3,400.00) / 2 = 1,700.00 ≥ 650.00 → not dibao;
    # own income 3,400.00 < 3,442.83 → (三) unable
    pytest.param([person(72, relation="spouse")], [wage("3400.00", member=2, kind="pension")], True,
                 id="spouse-72-own-income-below-disposable-unable-art10-3"),
    # 3,442.83 is not below 3,442.83 → able
    pytest.param([person(72, relation="spouse")], [wage("3442.83", member=2, kind="pension")], False,
                 id="spouse-72-own-income-at-disposable-able"),
    # a 17-year-old is no legal supporter (《民法典》第二十六条: 成年子女)
    pytest.param([person(17, relation="grandchild")], [], True, id="grandchild-17-not-a-supporter"),
    # a severely disabled son (grade 2 physical) with no own income, household assets within rules → (四)
    pytest.param([person(40, relation="child", disability={"type": "physical", "grade": 2, "cert_number": "1"})], [], True,
                 id="son-severely-disabled-no-income-unable-art10-4"),
]


@pytest.mark.parametrize("others, incomes, eligible", INSIDE)
def test_household_member_capacity(others, incomes, eligible):
    """特困人员认定办法第十条 applied to the other members of the household (replacing the former
    "any member aged 18–69 who can work"); outside supporters checked: none."""
    doc = household(person(65, supporters_checked="none"), *others, incomes=incomes)
    m = member(judge(doc), 0)
    assert (m["tekun_eligible"], m["has_able_supporter"]) == (eligible, not eligible)


def test_not_local_hukou_is_not_dibao():
    """R11 / 暂行办法 §9: 持有当地常住户口 is a condition of dibao. One person aged 40, no income:
    0 < 650.00 would qualify, but the household does not hold local hukou."""
    result = judge(household(person(40), local_hukou=False))
    assert result["dibao_eligible"] is False
    reason = next(r for r in result["reasons"] if r["rule"] == "R11.hukou")
    assert reason["text"].startswith("家庭未持有当地常住户口，不符合低保条件（")
    assert judge(household(person(40)))["dibao_eligible"] is True


def test_non_counted_income_kinds():
    """《最低生活保障审核确认办法》第十三条、第十四条: awards, assistance payments and disability
    allowances are not family income. One person aged 40: wage 300.00 + award 1,000.00 +
    assistance 500.00 + disability allowance 200.00 → counted 300.00; dibao 650.00 − 300.00 = 350.00."""
    incomes = [wage("300.00"), wage("1000.00", kind="award"), wage("500.00", kind="assistance"),
               wage("200.00", kind="disability_allowance")]
    result = judge(household(person(40), incomes=incomes))
    assert result["income_gross_fen"] == 30000
    assert result["dibao_amount_fen"] == 35000


def test_bad_supporter_input_is_named():
    from bangfu.policy.engine import DocumentError, assess_documents

    from .util import ON, params

    with pytest.raises(DocumentError) as exc:
        assess_documents([alone_80({"relation": "cousin", "capacity": "maybe", "age": -1})], ON, params())
    message = str(exc.value)
    assert "supporters[0].relation" in message and "supporters[0].capacity" in message and "supporters[0].age" in message
