"""Tekun is its own programme (issue 14): the split from dibao and the tekun amount.

Rules (computed by hand below):
- 《社会救助暂行办法》第十四条 and 国发〔2016〕14号《国务院关于进一步健全特困人员救助供养制度的意见》
  二、（五）: a person supported as tekun does not also get dibao; the household's dibao is judged
  on the other members, with the tekun person's own income left out (《特困人员认定办法》: the
  tekun person's "无生活来源" is judged on their own income — it is theirs).
- 国发〔2016〕14号 二、（三）: tekun amount = basic living standard + care standard; the basic living
  standard is not lower than 1.3 × the local dibao standard (here derived as ceil(1.3 × standard)
  to the yuan when no value is set); the care standard depends on the self-care level
  (全自理 / 半护理 / 全护理) and, here, on the support mode (分散 / 集中, 二、（四）).

Test province 99 (util.py): rural standard 650.00 from 2025-01-01; before that the national 600.00.
Shipped national care standards (元/月): before 2025-01-01 dispersed 60 / 400 / 700, institutional
80 / 600 / 1000; from 2025-01-01 dispersed 80 / 420 / 740, institutional 100 / 640 / 1060.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.parameters import ParameterError, ValueSpec, tekun_basic_floor_fen
from bangfu.policy.tests.util import ON, TEST_CITATION, fen, household, judge, member, params, wage
from bangfu.policy.tests.util import person as _person

BEFORE = dt.date(2024, 8, 1)  # national rural standard 600.00, first care standards

ALL_ABLE = {"can_eat": True, "can_dress": True, "can_get_up": True, "can_toilet": True, "can_walk_indoors": True, "can_bathe": True}
TWO_UNABLE = {**ALL_ABLE, "can_bathe": False, "can_walk_indoors": False}   # 1–3 unable: 半护理
FIVE_UNABLE = {k: k == "can_eat" for k in ALL_ABLE}                          # ≥ 4 unable: 全护理


def person(age: int, **fields) -> dict:
    """A member whose legal supporters outside the household were checked and there are none
    (认定办法 第十条: unknown supporters would keep tekun from being concluded)."""
    return _person(age, **{"supporters_checked": "none", **fields})


def test_household_of_three_with_one_tekun_member():
    """A 75-year-old without income and without an able supporter in the household is tekun; the
    65-year-old spouse (no labour capacity, own pension 700.00 ≥ 650.00: has a living) and the
    16-year-old grandchild (has labour capacity, under 18: not a supporter) are not. The spouse
    cannot support (认定办法 第十条（二）): 60 or older in a dibao household — judged with all three,
    700.00 < 3 × 650.00.
    Dibao of the two others (暂行办法 §12): 2 × 650.00 − 700.00 = 600.00; the spouse, 65, is
    class B (≥ 60): own level 600 / 2 = 300.00, 20 % = 60.00; household 660.00/月.
    The tekun member: 845.00 (1.3 × 650.00) + 80.00 (dispersed, self-caring) = 925.00/月, no
    supplement, no dibao level. Without the split the household would have been judged as 3."""
    doc = household(person(75), person(65, labor_capacity="none"), person(16), incomes=[wage("700.00", member=2, kind="pension")])
    result = judge(doc)
    assert [m["tekun_eligible"] for m in result["members"]] == [True, False, False]
    assert len(result["members"]) == 3
    assert (result["tekun_members"], result["dibao_members"]) == (1, 2)
    assert result["dibao_gap_fen"] == fen("600.00")
    assert result["per_capita_income_fen"] == fen("350.00")
    assert result["dibao_amount_fen"] == fen("660.00")
    assert result["dibao_total_fen"] == fen("660.00")
    old = member(result, 0)
    assert (old["tekun_basic_fen"], old["tekun_care_fen"], old["tekun_amount_fen"]) == (fen("845.00"), fen("80.00"), fen("925.00"))
    assert (old["supplement_class"], old["supplement_fen"], old["dibao_level_fen"], old["individual_amount_fen"]) == (None, 0, 0, 0)
    assert old["tekun_support_mode"] == "dispersed"
    assert (member(result, 1)["supplement_class"], member(result, 1)["supplement_fen"]) == ("B", fen("60.00"))
    assert result["tekun_amount_fen"] == fen("925.00")
    rules = [r["rule"] for r in result["reasons"]]
    assert "tekun.split" in rules
    amount_text = next(r["text"] for r in result["reasons"] if r["rule"] == "R11.amount")
    assert "× 2 人" in amount_text


def test_tekun_member_own_income_is_theirs():
    """The tekun member's own pension (300.00 < 650.00: still no living) is left out of the
    others' income: 2 × 650 − 700 = 600 as above, not 2 × 650 − 1000."""
    doc = household(person(75), person(65, labor_capacity="none"), person(16),
                    incomes=[wage("300.00", member=1, kind="pension"), wage("700.00", member=2, kind="pension")])
    result = judge(doc)
    assert member(result, 0)["tekun_eligible"] is True
    assert result["dibao_gap_fen"] == fen("600.00")


def test_one_person_tekun_household_gets_no_dibao():
    """Alone, 75, pension 200.00 < 650.00, no supporter: tekun, so no dibao at all (before the
    split: 650 − 200 = 450 + class B 90 = 540.00 of dibao)."""
    result = judge(household(person(75), incomes=[wage("200.00", kind="pension")]))
    assert member(result, 0)["tekun_eligible"] is True
    assert (result["dibao_eligible"], result["dibao_amount_fen"], result["dibao_total_fen"]) == (False, 0, 0)
    assert (result["tekun_members"], result["dibao_members"]) == (1, 0)
    assert result["tekun_amount_fen"] == fen("925.00")  # 845.00 + 80.00
    assert not result["near_dibao"] and not result["low_income"]


def test_individual_dibao_not_paid_to_a_tekun_person():
    """Religious staff living 10 years in a temple may apply alone (办法 §8, R12); at 65, with no
    income and no supporter, this one is tekun: no individual dibao (it would be 650.00 + class B
    130.00), the tekun amount instead."""
    result = judge(household(person(65, religious_staff_since="2015-01-01")))
    m = member(result, 0)
    assert m["individual_basis"] == "religious" and m["tekun_eligible"] is True
    assert (m["individual_eligible"], m["individual_amount_fen"], result["individual_dibao_fen"]) == (False, 0, 0)
    assert m["tekun_amount_fen"] == fen("925.00")


# (care, mode, day, basic, care amount): basic 2024 = ceil(1.3 × 600.00) = 780.00, 2025 = 845.00
AMOUNTS = [
    (ALL_ABLE, "dispersed", BEFORE, "780.00", "60.00"),
    (TWO_UNABLE, "dispersed", BEFORE, "780.00", "400.00"),
    (FIVE_UNABLE, "dispersed", BEFORE, "780.00", "700.00"),
    (ALL_ABLE, "institutional", BEFORE, "780.00", "80.00"),
    (TWO_UNABLE, "institutional", BEFORE, "780.00", "600.00"),
    (FIVE_UNABLE, "institutional", BEFORE, "780.00", "1000.00"),
    (ALL_ABLE, "dispersed", ON, "845.00", "80.00"),
    (TWO_UNABLE, "dispersed", ON, "845.00", "420.00"),
    (FIVE_UNABLE, "dispersed", ON, "845.00", "740.00"),
    (ALL_ABLE, "institutional", ON, "845.00", "100.00"),
    (TWO_UNABLE, "institutional", ON, "845.00", "640.00"),
    (FIVE_UNABLE, "institutional", ON, "845.00", "1060.00"),
]


@pytest.mark.parametrize("care, mode, day, basic, care_amount", AMOUNTS,
                         ids=[f"{('self_care', 'partial', 'full')[i % 3]}-{a[1]}-{a[2].year}" for i, a in enumerate(AMOUNTS)])
def test_tekun_amount_by_care_level_mode_and_date(care, mode, day, basic, care_amount):
    """国发〔2016〕14号 二、（三）: basic + care for the level and mode, in force on the day."""
    result = judge(household(person(75, self_care=care, tekun_support_mode=mode)), on=day)
    m = member(result, 0)
    assert m["tekun_eligible"] is True
    assert (m["tekun_basic_fen"], m["tekun_care_fen"]) == (fen(basic), fen(care_amount))
    assert m["tekun_amount_fen"] == fen(basic) + fen(care_amount)
    assert m["tekun_support_mode"] == mode


def test_mode_defaults_from_living_in_an_institution():
    """No mode given: living in an institution → 集中 (100.00 self-caring), else 分散 (80.00)."""
    assert member(judge(household(person(75, living_situation="institution"))), 0)["tekun_care_fen"] == fen("100.00")
    assert member(judge(household(person(75, living_situation="alone"))), 0)["tekun_care_fen"] == fen("80.00")


def test_not_tekun_no_amount():
    result = judge(household(person(75), person(40)))  # the son of 40 is an able supporter
    assert member(result, 0)["tekun_eligible"] is False
    assert (member(result, 0)["tekun_amount_fen"], result["tekun_amount_fen"]) == (0, 0)
    assert member(result, 0)["tekun_support_mode"] is None


def test_explicit_basic_standard_is_used():
    """A province sets 900.00 (≥ 845.00): basic 900.00 + dispersed self-care 80.00 = 980.00."""
    ps = params().with_values([ValueSpec("tekun_basic_standard_rural", "99", dt.date(2025, 1, 1), None, 90000, TEST_CITATION)])
    m = member(judge(household(person(75)), ps=ps), 0)
    assert (m["tekun_basic_fen"], m["tekun_amount_fen"]) == (fen("900.00"), fen("980.00"))


def test_basic_standard_below_floor_refused():
    """844.99 < ceil(1.3 × 650.00) = 845.00: refused, naming the parameter and the day."""
    with pytest.raises(ParameterError, match="tekun_basic_standard_rural.*2025-01-01.*845.00"):
        params().with_values([ValueSpec("tekun_basic_standard_rural", "99", dt.date(2025, 1, 1), None, 84499, TEST_CITATION)])
    # 845.00 itself is allowed
    params().with_values([ValueSpec("tekun_basic_standard_rural", "99", dt.date(2025, 1, 1), None, 84500, TEST_CITATION)])


def test_raising_dibao_standard_above_a_set_basic_standard_refused():
    """A basic standard of 845.00 set on province 99 for good; a later dibao standard of 700.00
    (floor 910.00) from 2026-01-01 makes it too low from that day: refused."""
    ok = [ValueSpec("tekun_basic_standard_rural", "99", dt.date(2025, 1, 1), None, 84500, TEST_CITATION)]
    base = params()
    specs = [s for items in base.values.values() for s in items if not (s.name == "dibao_standard_rural" and s.region == "99")]
    specs += [ValueSpec("dibao_standard_rural", "99", dt.date(2025, 1, 1), dt.date(2026, 1, 1), 65000, TEST_CITATION),
              ValueSpec("dibao_standard_rural", "99", dt.date(2026, 1, 1), None, 70000, TEST_CITATION)]
    from bangfu.policy.parameters import ParameterSet

    with pytest.raises(ParameterError, match="2026-01-01"):
        ParameterSet.build(base.definitions.values(), specs + ok)


@pytest.mark.parametrize("standard, floor", [("650.00", "845.00"), ("730.00", "949.00"), ("655.00", "852.00"), ("600.01", "781.00")])
def test_floor_rounds_up_to_the_yuan(standard, floor):
    """ceil(1.3 × standard) to the yuan: 1.3 × 655.00 = 851.50 → 852.00; 1.3 × 600.01 = 780.013 → 781.00."""
    from decimal import Decimal

    assert tekun_basic_floor_fen(fen(standard), Decimal("1.3")) == fen(floor)


def test_simulated_dibao_raise_lifts_a_set_basic_standard_to_the_floor():
    """A stored 900.00 basic standard and a simulated rural standard of 700.00 (floor 910.00):
    the engine pays the floor, never below 1.3 × the standard."""
    ps = params().with_values([ValueSpec("tekun_basic_standard_rural", "99", dt.date(2025, 1, 1), None, 90000, TEST_CITATION)])
    reform = ps.with_overrides({"dibao_standard_rural@99": "700.00"})
    assert member(judge(household(person(75)), ps=reform), 0)["tekun_basic_fen"] == fen("910.00")


@pytest.mark.parametrize("care, level", [(ALL_ABLE, "self_care"), (TWO_UNABLE, "partial"), (FIVE_UNABLE, "full")])
@pytest.mark.parametrize("mode", ["dispersed", "institutional"])
@pytest.mark.parametrize("day", [BEFORE, ON])
def test_one_person_helper_agrees_with_the_engine(care, level, mode, day):
    """parameters.tekun_standard_fen (the demo's and the pages' one-person rule) = the engine."""
    from bangfu.policy.parameters import care_level_of, tekun_standard_fen
    from bangfu.policy.tests.util import REGION

    m = member(judge(household(person(75, self_care=care, tekun_support_mode=mode)), on=day), 0)
    unable = sum(not v for v in care.values())
    assert care_level_of(unable, params(), REGION, day) == level == m["care_level"]
    assert tekun_standard_fen(params(), REGION, day, hukou_type="rural", care_level=level, support_mode=mode) == (
        m["tekun_basic_fen"], m["tekun_care_fen"])
