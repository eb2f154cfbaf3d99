"""The household JSON format (docs/policy.md) and the engine's table interface."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from bangfu.policy.engine import DocumentError, Frames, SchemaError, assess, assess_documents, frames_from_documents
from bangfu.policy.parameters import Citation, ValueSpec
from bangfu.policy.tests.util import ON, REGION, household, judge, params, person, wage


def test_output_document_shape():
    doc = dict(household(person(40, id="m1"), person(10, id="m2"), incomes=[{"member": "m1", "kind": "wage", "monthly_amount": 600}]),
               id="H-7")
    result = assess_documents([doc], ON, params())
    json.dumps(result, ensure_ascii=False)  # JSON-ready
    (out,) = result
    assert out["id"] == "H-7" and out["on"] == "2025-08-01"
    assert [m["id"] for m in out["members"]] == ["m1", "m2"]
    assert out["dibao_amount_fen"] == 65000 * 2 - 60000
    assert all({"rule", "text", "source"} <= set(r) for r in out["reasons"])
    assert {"groups", "reasons", "flags", "special_groups"} <= set(out["members"][1])


def test_money_in_fen_or_yuan():
    a = judge(household(person(40), incomes=[{"member": 1, "kind": "wage", "monthly_amount": "123.45"}]))
    b = judge(household(person(40), incomes=[{"member": 1, "kind": "wage", "monthly_amount_fen": 12345}]))
    c = judge(household(person(40), incomes=[{"member": 1, "kind": "wage", "monthly_amount": 123.45}]))
    assert a["income_gross_fen"] == b["income_gross_fen"] == c["income_gross_fen"] == 12345


@pytest.mark.parametrize("doc, message", [
    (household(person(40), region_code="3411"), "第1户.region_code：区划代码“3411”应为 12 位数字"),
    (household({"sex": "M"}), "第1户.members[0].birth_date：缺少出生日期"),
    (household(person(40, sex="X")), "第1户.members[0].sex：“X”不是有效代码"),
    (household(person(40, birth_date="1980/01/01")), "第1户.members[0].birth_date：日期“1980/01/01”应为 YYYY-MM-DD 格式"),
    (household(person(40), incomes=[wage("12.345")]), "第1户.incomes[0].monthly_amount：金额“12.345”最多保留两位小数"),
    (household(person(40), incomes=[wage("-5")]), "不能为负数"),
    (household(person(40), incomes=[wage("5", member=9)]), "第1户.incomes[0].member：没有编号为 9 的成员"),
    (household(person(40), incomes=[{"member": 1, "kind": "salary", "monthly_amount": "1"}]), "“salary”不是有效代码"),
    (household(person(40, disability={"grade": 7})), "残疾等级应为 1–4"),
    (household(person(40, enrolled="yes")), "应为 true 或 false"),
    (household(person(40), colour="red"), "第1户：未知字段 colour"),
    ({"region_code": REGION, "members": []}, "至少应有一名成员"),
    (household(person(40), emergency={"event": "fire"}), "急难事件缺少发生日期"),
])
def test_bad_documents_name_the_field(doc, message):
    with pytest.raises(DocumentError) as err:
        assess_documents([doc], ON, params())
    assert message in str(err.value)


def test_all_errors_reported_together():
    docs = [household(person(40, sex="X")), household(person(40), region_code="1")]
    with pytest.raises(DocumentError) as err:
        frames_from_documents(docs)
    assert len(err.value.errors) == 2


def test_frames_interface_and_schema_errors():
    """The DB side builds frames directly (column names of the registry models)."""
    households = pl.DataFrame({"household_id": [7, 3], "region_code": [REGION, REGION], "hukou_type": ["rural", "urban"]})
    persons = pl.DataFrame({"person_id": [1, 2, 3], "household_id": [3, 7, 7],
                            "birth_date": [dt.date(1980, 1, 1), dt.date(1950, 1, 1), dt.date(2015, 1, 1)],
                            "supporters_checked": ["none", "none", "none"]})
    incomes = pl.DataFrame({"household_id": [7], "person_id": [2], "kind": ["pension"], "monthly_amount_fen": [30000]})
    result = assess(Frames(households=households, persons=persons, incomes=incomes), ON, params())
    h = result.households.sort("household_id")
    assert h["household_id"].to_list() == [3, 7]
    # household 3: urban, one member, no income → 800.00. Household 7: a 75-year-old (own pension
    # 300 < 650) and a 10-year-old, neither an able supporter of the other, no supporters outside
    # (checked): both tekun (特困人员认定办法), so no dibao (issue 14); without the split it was
    # 2 × 650 − 300 = 1000.00
    assert h["dibao_gap_fen"].to_list() == [80000, 0]
    assert h["tekun_members"].to_list() == [0, 2]
    assert result.persons.height == 3 and result.reasons is not None
    with pytest.raises(SchemaError, match="成员表缺少必填列 birth_date"):
        assess(Frames(households=households, persons=persons.drop("birth_date")), ON, params())
    with pytest.raises(SchemaError, match="家庭表列 hukou_type 的值“town”无效（household_id = 7）"):
        assess(Frames(households=households.with_columns(pl.lit("town").alias("hukou_type")), persons=persons), ON, params())
    with pytest.raises(SchemaError, match="编号 person_id = 1 重复"):
        assess(Frames(households=households, persons=pl.concat([persons, persons.head(1)])), ON, params())


def test_explain_false_skips_reasons():
    frames, _, _ = frames_from_documents([household(person(40))])
    assert assess(frames, ON, params(), explain=False).reasons is None


def test_every_parameter_may_vary_by_region():
    """A province may set any parameter: with a region value for every parameter on province 98,
    households elsewhere are judged exactly as before and province 98 is judged without error
    (every column a rule reads is joined when it varies)."""
    ps = params()
    specs = []
    for name, d in ps.definitions.items():
        base = ps.resolve(name, "CN", ON).value
        value = base
        if name.startswith("tekun_basic_standard_"):
            value = 500000  # 5000.00: above the floor of 2.3 × the standard (国发〔2016〕14号 二、（三）)
        elif d.kind == "money":
            value = (base or 0) + 100
        elif d.kind == "integer":
            value = base + 1
        elif d.kind == "ratio":
            value = base + 1
        elif d.kind == "bool":
            value = not base
        elif d.kind == "codes":
            value = tuple(base[:-1])
        elif d.kind == "rounding":
            value = "fen" if base != "fen" else "yuan_up"
        specs.append(ValueSpec(name, "98", dt.date(2021, 1, 1), None, value, Citation("省级文件")))
    varied = ps.with_values(specs)
    docs = [household(person(85, living_situation="alone"), person(12, enrolled=True), incomes=[wage("300.00")],
                      expenses=[{"kind": "medical", "monthly_amount": "100.00"}],
                      emergency={"event": "fire", "date": "2025-07-20", "loss": "5000.00"}, id=i) for i in range(2)]
    docs[1]["region_code"] = "980101001001"
    plain = assess_documents(docs[:1], ON, ps)
    mixed = assess_documents(docs, ON, varied)
    assert mixed[0] == plain[0]
    assert mixed[1]["standard_fen"] == 65000 + 100  # the rural standard + 1.00 of province 98
