"""Issue 14 "Decisions that follow the rules": one A/B classification, the certificate for the
severe-disability supplement, and negative conclusions that explain themselves.

Numbers are computed by hand from the rules' text with the test province's rural standard
650.00 (tests/util.py) and the shipped national defaults: A 30 % / B 20 %, A criteria certified
grade 1–2 disability, age 80, major illness; low-income factor 1, near-dibao factor 1.5; deposits
up to 24 months × standard × members; review A 12 months, B 6 months; working age 16 to under 60.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given

from bangfu.policy.tests.test_properties import SETTINGS, household_docs, judge_one
from bangfu.policy.tests.util import ON, fen, household, judge, member, params, person, wage

STABLE = {"pension", "transfer", "support", "property"}  # review_stable_income_kinds (办法 §31)
EXCLUDED = {"award", "assistance", "disability_allowance"}  # income_excluded_kinds (办法 §13–14)


def _reason(result: dict, rule: str) -> list[dict]:
    return [r for r in result["reasons"] if r["rule"] == rule]


def _finding(reason: dict) -> str:
    """The sentence without its citation (the document's `text` is "finding（source）")."""
    suffix = f"（{reason['source']}）"
    assert reason["text"].endswith(suffix)
    return reason["text"][: -len(suffix)]


# ----------------------------------------------------------------------------- the certificate


def test_uncertified_grade_1_gets_no_supplement_but_the_certificate_follow_up():
    """Seed 篇三（二）: A-class persons get 30 %; the A criterion is "持证重度残疾（一、二级）".
    One member aged 40, physical disability grade 1, no certificate, wage 100.00:
    gap = 650 − 100 = 550.00 = own level; no A criterion (uncertified), no B criterion (40, grade 1)
    → no supplement, amount 550.00; the follow-up "未办残疾证" (篇五 三、2) instead."""
    result = judge(household(person(40, disability={"type": "physical", "grade": 1}), incomes=[wage("100.00")]))
    m = member(result, 0)
    assert m["supplement_class"] is None
    assert m["supplement_fen"] == 0
    assert result["dibao_amount_fen"] == fen("550.00")
    assert "disability_no_certificate" in m["flags"]


def test_certified_grade_1_gets_30_percent():
    """Same member with a certificate: A class, 30 % × 550.00 = 165.00; 550 + 165 = 715.00."""
    result = judge(household(person(40, disability={"type": "physical", "grade": 1, "cert_number": "C1",
                                                    "last_check": "2025-06-01"}), incomes=[wage("100.00")]))
    m = member(result, 0)
    assert m["supplement_class"] == "A"
    assert m["supplement_fen"] == fen("165.00")
    assert result["dibao_amount_fen"] == fen("715.00")
    assert "disability_no_certificate" not in m["flags"]


# ----------------------------------------------------------------------------- one A/B classification


def test_a_class_member_keeps_the_household_stable_for_review():
    """篇三（四）"a类家庭，每年核查一次": one member aged 40 with a major illness (A-class person),
    recorded as able to work, wage 300.00 (irregular): the only able member is A class, so the
    household is A — next review 2025-08-01 + 12 months = 2026-08-01."""
    result = judge(household(person(40, major_illnesses=["cancer"], labor_capacity="full"), incomes=[wage("300.00")]))
    assert member(result, 0)["supplement_class"] == "A"
    assert result["review_class"] == "A"
    assert result["next_review_date"] == "2026-08-01"


def test_uncertified_severe_disability_is_no_a_class_for_review_either():
    """The same classification both ways: aged 40, grade 1 without certificate, able to work,
    wage 300.00 — not an A-class person, so an able member with irregular income: B class,
    next review 2025-08-01 + 6 months = 2026-02-01."""
    result = judge(household(person(40, disability={"type": "physical", "grade": 1}, labor_capacity="full"),
                             incomes=[wage("300.00")]))
    assert member(result, 0)["member_class"] is None
    assert result["review_class"] == "B"
    assert result["next_review_date"] == "2026-02-01"


def _age(birth: str) -> int:
    b = dt.date.fromisoformat(birth)
    return ON.year - b.year - ((ON.month, ON.day) < (b.month, b.day))


def _expected_review(doc: dict, result: dict) -> str | None:
    """The review class from the member classes the supplements use (办法 §31, 篇三（四）),
    recomputed here from the document: B when a member of working age (16 ≤ age < 60) with full or
    partial labor capacity is not an A-class person and the counted income is irregular (some
    counted income of a kind outside the stable kinds, or none at all)."""
    if not (result["dibao_eligible"] or any(c.get("code") == "dibao" for c in doc.get("categories", []))):
        return None
    workers = [
        m for m, judged in zip(doc["members"], result["members"])
        if 16 <= _age(m["birth_date"]) < 60 and m.get("labor_capacity", "full") in ("full", "partial")
        and judged["member_class"] != "A"
    ]
    counted = [i for i in doc["incomes"] if i["kind"] not in EXCLUDED]
    irregular = any(i["monthly_amount_fen"] > 0 for i in counted if i["kind"] not in STABLE) or sum(
        i["monthly_amount_fen"] for i in counted) == 0
    return "B" if workers and irregular else "A"


@SETTINGS
@given(doc=household_docs(regions=("990101001001",)))
def test_review_class_and_supplements_read_one_classification(doc):
    """For any household: the supplement class is the member class of each member who receives
    dibao (none otherwise); the review class is derived from those same member classes; and a
    dibao household whose members are all A-class persons is always reviewed yearly."""
    result = judge_one(doc, params())
    for m in result["members"]:
        # a tekun member is supported as tekun, not paid dibao or its supplement (issue 14)
        receives = (result["dibao_eligible"] and not m["tekun_eligible"]) or m["individual_eligible"]
        assert m["supplement_class"] == (m["member_class"] if receives else None)
    assert result["review_class"] == _expected_review(doc, result)
    if result["dibao_eligible"] and all(m["member_class"] == "A" for m in result["members"]):
        assert result["review_class"] == "A"


# ----------------------------------------------------------------------------- negative conclusions


def test_not_dibao_income_sentence():
    """暂行办法 §9: two adults, wage 1625.00 → per head 812.50 ≥ 650.00: not dibao; 812.50 > 1 × 650.00:
    not low income."""
    result = judge(household(person(40), person(38), incomes=[wage("1625.00")]))
    (no,) = _reason(result, "R11.not_eligible")
    assert no["text"] == ("家庭月人均收入 812.50 元，不低于当地农村低保标准 650.00 元，不符合低保条件"
                          "（《社会救助暂行办法》第九条；农村低保标准，自 2025-01-01 起，依据测试文件第一条）")
    (low,) = _reason(result, "R1b.not_low_income")
    assert _finding(low) == "月人均收入 812.50 元，高于低保标准 650.00 元的 1 倍（650.00 元），不属低收入家庭"
    assert "困难群众帮扶工作方案" in low["source"]
    assert not _reason(result, "R11.income")  # the finding is the negative sentence, not twice


def test_not_dibao_after_deductions_sentence():
    """Wage 1500.00, medical 100.00 deducted → 1400.00 / 2 = 700.00 ≥ 650.00: not dibao."""
    doc = household(person(40), person(40), incomes=[wage("1500.00")], expenses=[{"kind": "medical", "monthly_amount": "100.00"}])
    (no,) = _reason(judge(doc), "R11.not_eligible")
    assert _finding(no) == ("家庭月收入 1500.00 元，扣除医疗、残疾康复护理、教育等刚性支出 100.00 元后，月人均收入 700.00 元，"
                          "仍不低于当地农村低保标准 650.00 元，不符合低保条件")


def test_not_dibao_assets_sentence():
    """Deposit 20000.00 > 24 months × 650.00 × 1 = 15600.00: not dibao, and not low income."""
    doc = household(person(40), incomes=[wage("100.00")], assets=[{"kind": "deposit", "value": "20000.00"}])
    result = judge(doc)
    (no,) = _reason(result, "R11.not_eligible")
    assert _finding(no) == "家庭财产状况不符合当地规定（存款及有价证券 20000.00 元，超过 24 个月 × 650.00 元 × 1 人 = 15600.00 元），不符合低保条件"
    (low,) = _reason(result, "R1b.not_low_income")
    assert _finding(low) == "家庭财产状况不符合当地规定，不属低收入家庭"


def test_not_dibao_expenditure_poverty_not_joining():
    """Wage 1500.00 / 2 = 750.00 before, 1500 − 200 − 150 = 1150.00 / 2 = 575.00 after deductions,
    with `expenditure_poverty_joins_dibao` off: expenditure poverty, not dibao."""
    ps = params().with_overrides({"expenditure_poverty_joins_dibao": False})
    doc = household(person(40), person(40), incomes=[wage("1500.00")],
                    expenses=[{"kind": "medical", "monthly_amount": "200.00"}, {"kind": "education", "monthly_amount": "150.00"}])
    (no,) = _reason(judge(doc, ps=ps), "R11.not_eligible")
    assert _finding(no) == ("扣除刚性支出后家庭月人均收入 575.00 元，低于当地农村低保标准 650.00 元，属支出型贫困家庭；"
                          "当地未规定支出型贫困家庭纳入低保，不符合低保条件")


def test_no_individual_dibao_household_not_near_dibao():
    """办法 §8: a certified grade-1 member in a household of 2 with wage 2000.00 → 1000.00 per head,
    not below 1.5 × 650.00 = 975.00: not near-dibao, so no individual application."""
    doc = household(person(40, disability={"type": "physical", "grade": 1, "cert_number": "C1"}), person(40),
                    incomes=[wage("2000.00", 2)])
    (no,) = _reason({"reasons": member(judge(doc), 0)["reasons"]}, "R12.not_individual")
    assert _finding(no) == ("本人是持证的一、二级重度残疾人，但家庭月人均收入 1000.00 元，不低于低保标准 650.00 元的 1.5 倍（975.00 元），"
                          "不属低保边缘家庭，不能单独提出低保申请")
    assert no["source"].startswith("《最低生活保障审核确认办法》第八条")


def test_no_individual_dibao_own_income_not_below():
    """Near-dibao household (pension 700.00 of the certified grade-1 member + wage 900.00 of the
    other = 1600.00 / 2 = 800.00: ≥ 650.00, < 975.00); the member's own income 700.00 is not below
    650.00, so no individual dibao."""
    doc = household(person(40, disability={"type": "physical", "grade": 1, "cert_number": "C1"}), person(40),
                    incomes=[wage("700.00", 1, "pension"), wage("900.00", 2)])
    result = judge(doc)
    assert result["near_dibao"] is True
    m = member(result, 0)
    assert m["individual_eligible"] is False
    (no,) = _reason({"reasons": m["reasons"]}, "R12.not_individual")
    assert _finding(no) == "属低保边缘家庭中持证的一、二级重度残疾人，但本人月收入 700.00 元，不低于低保标准 650.00 元，不能单独享受低保"
    assert no["source"] == "《最低生活保障审核确认办法》第八条"
