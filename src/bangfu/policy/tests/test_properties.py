"""Laws that hold for every household (hypothesis), issue 3 "Done when":

- more income never raises a household's dibao (nor any member's own level);
- no amount is negative;
- a household judged alone equals the same household judged inside a random batch;
- changing a parameter dated in the future changes nothing today.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.policy import vocab
from bangfu.policy.engine import assess_documents
from bangfu.policy.parameters import Citation, ValueSpec, default_parameter_set
from bangfu.policy.tests.util import ON, REGION, params

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = [REGION, "341122100201", "340121100201", "410101001001"]

dates = st.dates(min_value=dt.date(1925, 1, 1), max_value=dt.date(2025, 7, 31)).map(dt.date.isoformat)


@st.composite
def member_docs(draw):
    doc = {
        "birth_date": draw(dates),
        "sex": draw(st.sampled_from(vocab.SEXES)),
        "labor_capacity": draw(st.sampled_from(vocab.LABOR_CAPACITIES)),
        "living_situation": draw(st.sampled_from(vocab.LIVING_SITUATIONS)),
        "enrolled": draw(st.booleans()),
        "is_orphan": draw(st.booleans()),
        "has_supporter_outside": draw(st.booleans()),
    }
    if draw(st.booleans()):
        doc["disability"] = {"type": draw(st.sampled_from(vocab.DISABILITY_TYPES)), "grade": draw(st.integers(1, 4)),
                             "cert_number": draw(st.sampled_from(["", "C1"]))}
    if draw(st.integers(0, 4)) == 0:
        doc["major_illnesses"] = ["cancer"]
    if draw(st.integers(0, 6)) == 0:
        doc["religious_staff_since"] = draw(dates)
    return doc


@st.composite
def household_docs(draw, regions=tuple(REGIONS)):
    members = draw(st.lists(member_docs(), min_size=1, max_size=4))
    who = st.one_of(st.none(), st.integers(1, len(members)))
    doc = {
        "region_code": draw(st.sampled_from(regions)),
        "hukou_type": draw(st.sampled_from(vocab.HUKOU_TYPES)),
        "housing_safety": draw(st.sampled_from(vocab.HOUSING_SAFETY)),
        "members": members,
        "incomes": draw(st.lists(st.fixed_dictionaries({
            "member": who, "kind": st.sampled_from(vocab.INCOME_KINDS), "monthly_amount_fen": st.integers(0, 300_000)}),
            max_size=4)),
        "expenses": draw(st.lists(st.fixed_dictionaries({
            "member": who, "kind": st.sampled_from(vocab.EXPENSE_KINDS), "monthly_amount_fen": st.integers(0, 200_000)}),
            max_size=3)),
        "assets": draw(st.lists(st.fixed_dictionaries({
            "kind": st.sampled_from(vocab.ASSET_KINDS), "value_fen": st.integers(0, 3_000_000), "quantity": st.integers(1, 2)}),
            max_size=2)),
    }
    if draw(st.booleans()):
        doc["categories"] = [{"code": "dibao", "amount_fen": draw(st.integers(0, 300_000))}]
    if draw(st.integers(0, 3)) == 0:
        doc["emergency"] = {"event": draw(st.sampled_from(vocab.EMERGENCY_EVENTS)),
                            "date": (ON - dt.timedelta(days=draw(st.integers(0, 120)))).isoformat(),
                            "loss_fen": draw(st.integers(0, 2_000_000))}
    return doc


def judge_one(doc, ps=None, on=ON):
    return assess_documents([doc], on, ps or params())[0]


@SETTINGS
@given(doc=household_docs(), extra=st.integers(1, 300_000), target=st.integers(0, 4))
def test_more_income_never_raises_dibao(doc, extra, target):
    """R11/§12: the household amount (gap + supplements, rounded) is non-increasing in income.
    (A member's single-person dibao, R12, may *appear* when the household leaves dibao: that is
    the policy, so the law is about the household benefit and the members' own levels.)
    Issue 14: income that gives a tekun member a living ends their tekun support and brings them
    back into the household's dibao, which may then rise — but never by more than the tekun support
    lost (basic living ≥ 1.3 × the standard ≥ one member's share with its supplement): the
    household's dibao and tekun together never rise."""
    richer = copy.deepcopy(doc)
    member = target if 1 <= target <= len(doc["members"]) else None
    richer["incomes"].append({"member": member, "kind": "wage", "monthly_amount_fen": extra})
    before, after = judge_one(doc), judge_one(richer)
    assert (after["dibao_amount_fen"] + after["tekun_amount_fen"]) <= (before["dibao_amount_fen"] + before["tekun_amount_fen"])
    if after["tekun_members"] != before["tekun_members"]:
        return
    assert after["dibao_amount_fen"] <= before["dibao_amount_fen"]
    if after["dibao_eligible"]:  # (otherwise a level may be a new single-person level, R12)
        for m_before, m_after in zip(before["members"], after["members"]):
            assert m_after["dibao_level_fen"] <= m_before["dibao_level_fen"]
            assert m_after["supplement_fen"] <= m_before["supplement_fen"]


def _amounts(result):
    for key, value in result.items():
        if key.endswith("_fen"):
            yield key, value
    for m in result["members"]:
        for key, value in m.items():
            if key.endswith("_fen"):
                yield key, value


@SETTINGS
@given(doc=household_docs())
def test_no_amount_is_negative(doc):
    for key, value in _amounts(judge_one(doc)):
        assert value is None or value >= 0, key


@SETTINGS
@given(docs=st.lists(household_docs(), min_size=1, max_size=5), pick=st.integers(0, 4))
def test_alone_equals_in_batch(docs, pick):
    """One household is a batch of one: the page and the overnight run cannot disagree."""
    docs = [dict(d, id=f"H{i}") for i, d in enumerate(docs)]
    doc = docs[pick % len(docs)]
    batch = assess_documents(docs, ON, params())
    alone = judge_one(doc)
    assert batch[pick % len(docs)] == alone


FUTURE_PARAMETERS = {
    "dibao_standard_rural": st.integers(0, 300_000),
    "dibao_standard_urban": st.integers(0, 300_000),
    "low_income_factor": st.decimals(0, 3, places=2),
    "near_dibao_factor": st.decimals(0, 3, places=2),
    "supplement_class_a_rate": st.decimals(0, 1, places=2),
    "asset_deposit_months_per_head": st.integers(0, 60),
    "elderly_age_line": st.integers(0, 120),
    "tekun_elderly_age": st.integers(0, 120),
    "temporary_township_approval_max": st.integers(0, 1_000_000),
    "rounding_household_amount": st.sampled_from(vocab.ROUNDING_MODES),
    "supplement_class_a_criteria": st.lists(st.sampled_from(list(vocab.SUPPLEMENT_CRITERIA)), unique=True).map(tuple),
}


@SETTINGS
@given(doc=household_docs(regions=(REGION,)), name=st.sampled_from(sorted(FUTURE_PARAMETERS)), days=st.integers(1, 2000),
       data=st.data())
def test_future_parameter_changes_nothing_today(doc, name, days, data):
    future = ON + dt.timedelta(days=days)
    value = data.draw(FUTURE_PARAMETERS[name])
    if isinstance(value, Decimal):
        value = value.normalize() if value else Decimal(0)
    cite = Citation("测试文件", "第一条")
    base = default_parameter_set()
    today = base.with_values([
        ValueSpec("dibao_standard_rural", "99", dt.date(2025, 1, 1), future, 65000, cite),
        ValueSpec("dibao_standard_urban", "99", dt.date(2025, 1, 1), future, 80000, cite),
    ])
    extra = [ValueSpec(name, "99", future, None, value, Citation("未来文件"))]
    if name not in ("dibao_standard_rural", "dibao_standard_urban"):
        extra += [ValueSpec("dibao_standard_rural", "99", future, None, 70000, cite),
                  ValueSpec("dibao_standard_urban", "99", future, None, 90000, cite)]
    changed = today.with_values(extra)
    assert judge_one(doc, today) == judge_one(doc, changed)
    assert judge_one(doc, today) == judge_one(doc, params())
