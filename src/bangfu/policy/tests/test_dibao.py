"""Dibao (R11, 暂行办法 §9 and §12), supplements (R14), low-income (R1b), near-dibao (办法 §8),
assets, income exclusions (办法 §13–14) and expenditure poverty (R2).

Expected values are computed by hand in each case from the rule text, with the test standards
of util.py (rural 650.00, urban 800.00 元/人·月) and the national defaults: low income ≤ 1.0×
(inclusive), near-dibao < 1.5×, A 30 % / B 20 % of the person's own level (A: grade 1–2
disability, age ≥ 80, major illness; B: grade 3–4 disability, age ≥ 60, minor in school),
person level rounded to the fen (half up), household amount rounded up to the yuan, deposits
≤ 24 months × standard × members, no counted vehicle (≥ 10,000 元), no business, one house.
"""

from __future__ import annotations

import pytest

from bangfu.policy.tests.util import ON, fen, household, judge, member, params, person, wage

CASES = [
    # id, doc, expected household fields (yuan strings → fen)
    pytest.param(
        household(person(40), person(38), person(5), incomes=[wage("1260.00")]),
        # 1260 / 3 = 420 < 650 → eligible; gap = 650 × 3 − 1260 = 690.00; no A/B member
        {"dibao_eligible": True, "per_capita_income_fen": fen("420.00"), "dibao_gap_fen": fen("690.00"),
         "dibao_supplement_fen": 0, "dibao_amount_fen": fen("690.00"), "low_income": True, "near_dibao": False},
        id="R11-3-persons-420-below-650-gap-690",
    ),
    pytest.param(
        household(person(40), incomes=[wage("650.00")]),
        # exactly at the standard is not "below" (R11) but is within 1× inclusive (R1b) and < 1.5×
        {"dibao_eligible": False, "income_below_standard": False, "dibao_amount_fen": 0, "low_income": True,
         "near_dibao": True},
        id="R11-boundary-income-equal-standard-not-eligible-R1b-low-income-inclusive",
    ),
    pytest.param(
        household(person(40), incomes=[wage("649.99")]),
        # one fen below: eligible, gap 0.01 元, rounded up to the whole yuan → 1.00
        {"dibao_eligible": True, "dibao_gap_fen": 1, "dibao_amount_fen": 100},
        id="R11-one-fen-below-standard-gap-rounded-up-to-yuan",
    ),
    pytest.param(
        household(person(40), incomes=[wage("650.01")]),
        # above 1× → not low income; below 1.5× = 975 → near-dibao
        {"dibao_eligible": False, "low_income": False, "near_dibao": True},
        id="R1b-just-above-1x-not-low-income",
    ),
    pytest.param(
        household(person(40), incomes=[wage("975.00")]),
        # 办法 §8: near-dibao is *below* 1.5 × 650 = 975; at 975 it is not
        {"near_dibao": False, "low_income": False},
        id="near-dibao-boundary-at-1.5x-excluded",
    ),
    pytest.param(
        household(person(40), incomes=[wage("974.99")]),
        {"near_dibao": True},
        id="near-dibao-one-fen-below-1.5x",
    ),
    pytest.param(
        household(person(40), person(40), incomes=[wage("1000.00")], hukou_type="urban"),
        # urban standard 800: 1000 / 2 = 500 < 800; gap = 1600 − 1000 = 600
        {"dibao_eligible": True, "standard_fen": fen("800.00"), "dibao_amount_fen": fen("600.00")},
        id="R11-urban-standard-applies-to-urban-hukou",
    ),
    pytest.param(
        household(person(40), incomes=[wage("300.00"), wage("500.00", kind="award")]),
        # 办法 §13–14: the award is not counted: 300 < 650, gap 350
        {"income_gross_fen": fen("300.00"), "dibao_amount_fen": fen("350.00")},
        id="income-award-excluded-办法13-14",
    ),
    pytest.param(
        household(person(40), incomes=[wage("300.00", member=None, kind="pension"), wage("100.00", kind="assistance")]),
        # household-level pension counts, assistance payment does not: 300 → gap 350
        {"income_gross_fen": fen("300.00"), "dibao_amount_fen": fen("350.00")},
        id="income-assistance-payment-excluded-办法13-14",
    ),
    pytest.param(
        household(person(40), incomes=[{"member": 1, "kind": "wage", "monthly_amount": "900.00", "valid_to": "2025-08-01"}]),
        # an income whose validity ended the day before (valid_to exclusive) is not counted
        {"income_gross_fen": 0, "dibao_amount_fen": fen("650.00")},
        id="income-expired-not-counted",
    ),
    pytest.param(
        household(person(40), assets=[{"kind": "deposit", "value": "15600.00"}]),
        # deposit limit 24 × 650 × 1 = 15,600.00, inclusive
        {"assets_ok": True, "dibao_eligible": True},
        id="assets-deposit-at-limit-ok",
    ),
    pytest.param(
        household(person(40), assets=[{"kind": "deposit", "value": "15600.01"}]),
        {"assets_ok": False, "dibao_eligible": False, "asset_failures": ["deposit"], "low_income": False},
        id="assets-deposit-over-limit",
    ),
    pytest.param(
        household(person(40), assets=[{"kind": "vehicle", "value": "50000.00"}]),
        {"assets_ok": False, "asset_failures": ["vehicle"], "dibao_eligible": False},
        id="assets-car-not-allowed",
    ),
    pytest.param(
        household(person(40), assets=[{"kind": "vehicle", "value": "5000.00"}]),
        # below the 10,000 元 exemption (mobility scooter): not counted
        {"assets_ok": True, "dibao_eligible": True},
        id="assets-cheap-vehicle-exempt",
    ),
    pytest.param(
        household(person(40), assets=[{"kind": "housing", "value": "100000.00", "quantity": 2}]),
        {"assets_ok": False, "asset_failures": ["housing"]},
        id="assets-second-house",
    ),
    pytest.param(
        household(person(40), local_hukou=False),
        {"dibao_eligible": False, "low_income": True},
        id="R11-no-local-hukou",
    ),
    pytest.param(
        household(person(40), person(40), incomes=[wage("1500.00")],
                  expenses=[{"kind": "medical", "monthly_amount": "200.00"}, {"kind": "education", "monthly_amount": "150.00"}]),
        # R2: 1500 / 2 = 750 ≥ 650; deduct 200 + 150 (stacked) → 1150 / 2 = 575 < 650
        # → expenditure poverty, joins dibao; gap = 1300 − 1150 = 150
        {"income_below_standard": False, "expenditure_poverty": True, "dibao_eligible": True, "dibao_basis": "expenditure",
         "rigid_expense_deducted_fen": fen("350.00"), "income_counted_fen": fen("1150.00"), "dibao_amount_fen": fen("150.00")},
        id="R2-expenditure-poverty-stacked-medical-and-education",
    ),
    pytest.param(
        household(person(40), person(40), incomes=[wage("1500.00")], expenses=[{"kind": "medical", "monthly_amount": "200.00"}]),
        # only 200 deducted → 1300 / 2 = 650, not below: both expenses were needed (stacking)
        {"expenditure_poverty": False, "dibao_eligible": False, "low_income": True},
        id="R2-one-expense-alone-not-enough",
    ),
    pytest.param(
        household(person(40), person(40), incomes=[wage("1000.00")], expenses=[{"kind": "medical", "monthly_amount": "300.00"}]),
        # income-poor household with medical cost: counted = 1000 − 300 = 700; gap = 1300 − 700 = 600
        {"dibao_basis": "income", "income_counted_fen": fen("700.00"), "dibao_amount_fen": fen("600.00")},
        id="R2-办法14-deduction-also-for-income-poor",
    ),
    pytest.param(
        household(person(40), person(40), incomes=[wage("200.00")], expenses=[{"kind": "medical", "monthly_amount": "900.00"}]),
        # counted income floored at 0: gap = 1300 − 0
        {"income_counted_fen": 0, "dibao_amount_fen": fen("1300.00")},
        id="R2-counted-income-never-negative",
    ),
]


@pytest.mark.parametrize("doc, expected", CASES)
def test_household_rules(doc, expected):
    # when
    result = judge(doc)
    # then
    for key, value in expected.items():
        assert result[key] == value, key


SUPPLEMENT_CASES = [
    pytest.param(
        [person(85), person(65), person(40)], "1000.00",
        # gap = 650 × 3 − 1000 = 950.00; own level = 950 / 3 = 316.666… → 316.67 (fen, half up)
        # A (85 ≥ 80): 30 % × 316.67 = 95.001 → 95.00; B (65 ≥ 60): 20 % × 316.67 = 63.334 → 63.33
        # household = 950.00 + 95.00 + 63.33 = 1108.33 → rounded up to 1109.00
        [("A", "95.00"), ("B", "63.33"), (None, "0.00")], "316.67", "1109.00",
        id="R14-A-and-B-members-fractional-level",
    ),
    pytest.param(
        [person(85, disability={"type": "hearing", "grade": 3, "cert_number": "X"}, has_supporter_outside=True)], "0.00",  # a supporter outside keeps them out of tekun (issue 14: tekun is not paid dibao)
        # A by age and B by grade-3 disability: highest only → A 30 % × 650 = 195; 650 + 195 = 845
        [("A", "195.00")], "650.00", "845.00",
        id="R14-both-classes-highest-only",
    ),
    pytest.param(
        [person(65, disability={"type": "physical", "grade": 1, "cert_number": "X"}, has_supporter_outside=True)], "0.00",  # a supporter outside keeps them out of tekun (issue 14: tekun is not paid dibao)
        # A by grade-1 disability, B by age 65: A only → 845
        [("A", "195.00")], "650.00", "845.00",
        id="R14-both-classes-severe-disability-and-age-b",
    ),
    pytest.param(
        [person(40), person(12, enrolled=True)], "700.00",
        # gap = 1300 − 700 = 600, level 300; minor in school → B 20 % = 60; 600 + 60 = 660
        [(None, "0.00"), ("B", "60.00")], "300.00", "660.00",
        id="R14-minor-in-school-class-B",
    ),
    pytest.param(
        [person(40, major_illnesses=["cancer"])], "600.00",
        # level 50, A (major illness) 15.00 → 65.00
        [("A", "15.00")], "50.00", "65.00",
        id="R14-major-illness-class-A",
    ),
]


@pytest.mark.parametrize("members, income, classes, level, amount", SUPPLEMENT_CASES)
def test_supplements(members, income, classes, level, amount):
    # given
    doc = household(*members, incomes=[wage(income, member=None, kind="pension")])
    # when
    result = judge(doc)
    # then
    assert result["dibao_amount_fen"] == fen(amount)
    for i, (cls, supplement) in enumerate(classes):
        assert member(result, i)["supplement_class"] == cls
        assert member(result, i)["supplement_fen"] == fen(supplement)
        assert member(result, i)["dibao_level_fen"] == fen(level)


@pytest.mark.parametrize("days_after_birthday, cls", [(0, "A"), (-1, "B")], ids=["age-80-on-birthday-counts", "day-before-80-is-79"])
def test_age_80_on_the_birthday(days_after_birthday, cls):
    """Issue 3: a person is 80 on the 80th birthday (A-class age line, R14 example set)."""
    import datetime as dt

    birth = ON.replace(year=ON.year - 80) - dt.timedelta(days=days_after_birthday)
    # a supporter outside keeps them out of tekun: tekun persons get no supplement (issue 14)
    result = judge(household({"birth_date": birth.isoformat(), "has_supporter_outside": True}))
    assert member(result, 0)["age"] == (80 if cls == "A" else 79)
    assert member(result, 0)["supplement_class"] == cls


def test_stacking_off_deducts_only_the_largest():
    """R2 with `rigid_expense_stacking` false: only the medical 200 is deducted → 1300 / 2 = 650,
    not below the standard."""
    ps = params().with_overrides({"rigid_expense_stacking": False})
    doc = household(person(40), person(40), incomes=[wage("1500.00")],
                    expenses=[{"kind": "medical", "monthly_amount": "200.00"}, {"kind": "education", "monthly_amount": "150.00"}])
    result = judge(doc, ps=ps)
    assert result["rigid_expense_deducted_fen"] == fen("200.00")
    assert result["dibao_eligible"] is False


def test_expense_cap():
    """R2 caps: medical capped at 100 → 1400 − 100 = 1300, not below 1300."""
    ps = params().with_overrides({"rigid_expense_cap_medical": "100.00"})
    doc = household(person(40), person(40), incomes=[wage("1400.00")], expenses=[{"kind": "medical", "monthly_amount": "300.00"}])
    result = judge(doc, ps=ps)
    assert result["rigid_expense_deducted_fen"] == fen("100.00")
    assert result["dibao_eligible"] is False


def test_expenditure_poverty_not_joining_dibao_when_parameter_off():
    ps = params().with_overrides({"expenditure_poverty_joins_dibao": False})
    doc = household(person(40), person(40), incomes=[wage("1500.00")],
                    expenses=[{"kind": "medical", "monthly_amount": "200.00"}, {"kind": "education", "monthly_amount": "150.00"}])
    result = judge(doc, ps=ps)
    assert result["expenditure_poverty"] is True
    assert result["dibao_eligible"] is False
    assert result["dibao_amount_fen"] == 0


def test_rounding_parameter_to_fen():
    """Rounding is a parameter: with `fen`, a 0.01 gap stays 0.01."""
    ps = params().with_overrides({"rounding_household_amount": "fen"})
    result = judge(household(person(40), incomes=[wage("649.99")]), ps=ps)
    assert result["dibao_amount_fen"] == 1


def test_reason_sentence_cites_the_standard():
    """Issue 3 output: the finding, its numbers, the parameter, its start date and citation."""
    result = judge(household(person(40), person(38), person(5), incomes=[wage("1260.00")]))
    assert result["reasons"][0]["text"] == (
        "家庭月人均收入 420.00 元，低于当地农村低保标准 650.00 元（农村低保标准，自 2025-01-01 起，依据测试文件第一条）")
    amount = next(r["text"] for r in result["reasons"] if r["rule"] == "R11.amount")
    assert amount.startswith("低保金 =（650.00 − 420.00）元 × 3 人，差额 690.00 元，按取整规则计 690.00 元/月")


def test_past_date_uses_values_then_in_force():
    """Shipped national values: rural 600.00 until 2024-12-31, 650.00 from 2025-01-01."""
    import datetime as dt

    doc = household(person(40), incomes=[wage("620.00")], region_code="410101001001")
    before = judge(doc, on=dt.date(2024, 12, 31))
    after = judge(doc, on=dt.date(2025, 1, 1))
    assert (before["standard_fen"], before["dibao_eligible"]) == (60000, False)
    assert (after["standard_fen"], after["dibao_eligible"], after["dibao_amount_fen"]) == (65000, True, 3000)


def test_city_value_applies_to_its_county():
    """Shipped 滁州市 (341100) rural 730.00 from 2025-07-01 applies to 来安县 (341122)."""
    result = judge(household(person(40), region_code="341122100201"))
    assert result["standard_fen"] == 73000


def test_change_against_current_benefit():
    """Reassessment input: current dibao 500.00, judged 690.00 → amount_up; none → newly."""
    base = household(person(40), person(38), person(5), incomes=[wage("1260.00")])
    assert judge(base)["dibao_change"] == "newly_eligible"
    current = dict(base, categories=[{"code": "dibao", "amount": "500.00", "start_date": "2024-01-01"}])
    assert judge(current)["dibao_change"] == "amount_up"
    current = dict(base, categories=[{"code": "dibao", "amount": "690.00"}])
    assert judge(current)["dibao_change"] == "unchanged"
    rich = household(person(40), incomes=[wage("3000.00")], categories=[{"code": "dibao", "amount": "100.00"}])
    assert judge(rich)["dibao_change"] == "no_longer_eligible"
    ended = household(person(40), incomes=[wage("3000.00")],
                      categories=[{"code": "dibao", "amount": "100.00", "end_date": "2025-08-01"}])
    assert judge(ended)["dibao_change"] is None
