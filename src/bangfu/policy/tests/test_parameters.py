"""Parameters as data (architecture.md; issue 3 "Parameters"): YAML loading, region and date
resolution, overlays, merging administrators' rows, R13 range, money rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.policy.parameters import (
    Citation, ParameterError, ValueSpec, default_parameter_set, from_yaml, merge_rows, region_ancestry, region_prefix,
    round_fen, standard_range_from_consumption, to_mapping,
)
from bangfu.policy.parameters.loading import from_mapping

SMALL = """
standard:
  kind: money
  unit: 元/人·月
  label: 测试标准
  description: 测试
  values:
    - {region: CN, valid_from: 2025-01-01, valid_to: 2025-07-01, value: "600.00", citation: {document: 国家, article: 第1条}}
    - {region: CN, valid_from: 2025-07-01, value: "650.00", citation: {document: 国家, article: 第2条}}
    - {region: "3411", valid_from: 2025-01-01, value: "700.00", citation: {document: 市, article: ""}}
    - {region: "341122", valid_from: 2025-03-01, valid_to: 2025-09-01, value: "720.00", citation: {document: 县, article: ""}}
factor:
  kind: ratio
  unit: 倍
  label: 倍数
  description: 测试
  values:
    - {region: CN, valid_from: 2021-01-01, value: "1.5", citation: {document: 办法, article: 第八条}}
"""


@pytest.fixture(scope="module")
def small():
    return from_yaml(SMALL)


@pytest.mark.parametrize("code, prefix", [
    ("CN", ""), ("000000000000", ""), ("34", "34"), ("340000000000", "34"), ("340100", "3401"), ("3401", "3401"),
    ("341122", "341122"), ("341122000000", "341122"), ("341122100000", "341122100"), ("341122100201", "341122100201"),
    (340100, "3401"),
])
def test_region_prefix(code, prefix):
    assert region_prefix(code) == prefix


def test_region_ancestry():
    assert region_ancestry("341122100201") == ["341122100201", "341122100", "341122", "3411", "34", ""]


@pytest.mark.parametrize("region, on, value, source", [
    # the county's own value while valid
    ("341122100201", dt.date(2025, 8, 31), 72000, "县"),
    # valid_to is exclusive: on 2025-09-01 the county value has ended → the city's
    ("341122100201", dt.date(2025, 9, 1), 70000, "市"),
    # before the county value starts → the city's
    ("341122100201", dt.date(2025, 2, 28), 70000, "市"),
    # another county of the same city inherits the city value
    ("341103000000", dt.date(2025, 8, 1), 70000, "市"),
    # elsewhere: national, the value in force on the date
    ("410101001001", dt.date(2025, 6, 30), 60000, "国家第1条"),
    ("410101001001", dt.date(2025, 7, 1), 65000, "国家第2条"),
])
def test_resolution_most_specific_region_valid_on_date(small, region, on, value, source):
    resolved = small.resolve("standard", region, on)
    assert resolved.value == value
    assert str(resolved.citation) == source


def test_no_value_in_force(small):
    with pytest.raises(ParameterError, match="没有有效取值"):
        small.resolve("standard", "410101001001", dt.date(2024, 12, 31))


def test_source_text(small):
    r = small.resolve("standard", "410101001001", dt.date(2025, 7, 1))
    assert r.source_text() == "测试标准，自 2025-07-01 起，依据国家第2条"
    assert r.display == "650.00 元"


@pytest.mark.parametrize("change, expected", [
    ("+10%", 71500), ("-5%", 61750), ("700", 70000), ("700.5", 70050), ("+0.5%", 65325),
])
def test_overrides_on_money(small, change, expected):
    reform = small.with_overrides({"standard": change})
    assert reform.value("standard", "410101001001", dt.date(2025, 7, 1)) == expected
    # the original set is unchanged (immutable)
    assert small.value("standard", "410101001001", dt.date(2025, 7, 1)) == 65000


def test_override_scoped_to_region_and_date(small):
    reform = small.with_overrides({"standard@3411": "+10%"}, effective_from=dt.date(2025, 8, 1))
    assert reform.value("standard", "341103000000", dt.date(2025, 8, 1)) == 77000
    assert reform.value("standard", "341103000000", dt.date(2025, 7, 31)) == 70000
    assert reform.value("standard", "410101001001", dt.date(2025, 8, 1)) == 65000
    assert "模拟调整 +10%" in reform.resolve("standard", "341103000000", dt.date(2025, 8, 1)).source_text()


def test_override_ratio_exact(small):
    assert small.with_overrides({"factor": "+10%"}).value("factor", "CN", dt.date(2025, 1, 1)) == Decimal("1.65")


@pytest.mark.parametrize("yaml_text, message", [
    (SMALL.replace('valid_to: 2025-07-01, value: "600.00"', 'value: "600.00"'), "有效期重叠"),
    (SMALL.replace('"650.00"', '"650.001"'), "最多保留两位小数"),
    (SMALL.replace('region: CN, valid_from: 2021-01-01, value: "1.5"', 'region: "34", valid_from: 2021-01-01, value: "1.5"'), "缺少全国默认值"),
    (SMALL.replace("kind: ratio", "kind: percentage"), "未知类型"),
    (SMALL.replace('valid_to: 2025-09-01', 'valid_to: 2025-02-01'), "截止日期应晚于起始日期"),
])
def test_invalid_yaml(yaml_text, message):
    with pytest.raises(ParameterError, match=message):
        from_yaml(yaml_text)


def test_defaults_load_and_round_trip():
    ps = default_parameter_set()
    assert {"dibao_standard_urban", "dibao_standard_rural", "low_income_factor", "near_dibao_factor",
            "supplement_class_a_rate", "supplement_class_b_rate", "temporary_grades", "review_interval_a_months",
            "disability_cert_check_interval_months", "rounding_household_amount"} <= set(ps.names)
    again = from_mapping(to_mapping(ps))
    assert again.values == ps.values


def test_defaults_money_are_integer_fen():
    ps = default_parameter_set()
    for name, d in ps.definitions.items():
        if d.kind == "money":
            for spec in ps.values[name]:
                assert spec.value is None or isinstance(spec.value, int)


def test_merge_rows_cuts_yaml_around_admin_value(small):
    """An administrator's county value from 2025-05-01 replaces the YAML county value from then on."""
    rows = [{"name": "standard", "region_code": "341122000000", "valid_from": dt.date(2025, 5, 1), "valid_to": None,
             "value": "750.00", "citation_document": "县政府文件", "citation_article": "第三条"}]
    merged = merge_rows(small, rows)
    assert merged.value("standard", "341122100201", dt.date(2025, 4, 30)) == 72000
    assert merged.value("standard", "341122100201", dt.date(2025, 5, 1)) == 75000
    assert merged.value("standard", "341122100201", dt.date(2026, 1, 1)) == 75000
    assert str(merged.resolve("standard", "341122100201", dt.date(2025, 5, 1)).citation) == "县政府文件第三条"
    # other regions untouched
    assert merged.value("standard", "341103000000", dt.date(2025, 5, 1)) == 70000


def test_merge_rows_validates(small):
    with pytest.raises(ParameterError, match="未知参数"):
        merge_rows(small, [{"name": "nope", "region_code": "CN", "valid_from": "2025-01-01", "value": "1"}])
    with pytest.raises(ParameterError):
        merge_rows(small, [{"name": "standard", "region_code": "CN", "valid_from": "2025-01-01", "value": "-1"}])


def test_with_values_rejects_overlap(small):
    spec = ValueSpec("standard", "", dt.date(2025, 8, 1), None, 1, Citation("x"))
    with pytest.raises(ParameterError, match="重叠"):
        small.with_values([spec])


@pytest.mark.parametrize("annual, low, high", [
    # R13: 25 % and 35 % of 33,000.00 / 12 = 687.50 … 962.50
    ("33000.00", "687.50", "962.50"),
    # 25 % of 10,000.01 / 12 = 208.3354… → rounded up 208.34; 35 % → 291.6669… → down 291.66
    ("10000.01", "208.34", "291.66"),
])
def test_r13_standard_range(annual, low, high):
    ps = default_parameter_set()
    to_fen = lambda y: int(Decimal(y) * 100)  # noqa: E731
    rng = standard_range_from_consumption(to_fen(annual), ps, "341100", dt.date(2025, 8, 1))
    assert (rng.min_monthly_fen, rng.max_monthly_fen) == (to_fen(low), to_fen(high))
    assert rng.contains(to_fen(low)) and rng.contains(to_fen(high))
    assert not rng.contains(to_fen(low) - 1) and not rng.contains(to_fen(high) + 1)


@pytest.mark.parametrize("num, den, mode, expected", [
    (1001, 3, "fen", 334), (1000, 3, "fen", 333), (1, 2, "fen", 1), (65001, 1, "yuan_up", 65100),
    (65000, 1, "yuan_up", 65000), (65050, 1, "yuan_half_up", 65100), (65049, 1, "yuan_half_up", 65000),
    (65099, 1, "yuan_down", 65000), (65005, 1, "jiao_half_up", 65010), (65001, 1, "jiao_up", 65010),
])
def test_round_fen(num, den, mode, expected):
    assert round_fen(num, den, mode) == expected


def test_shipped_city_examples():
    ps = default_parameter_set()
    on = dt.date(2025, 8, 1)
    assert ps.value("dibao_standard_rural", "340121100201", on) == 88000  # 合肥市 county
    assert ps.value("dibao_standard_rural", "341122100201", on) == 73000  # 滁州市 来安县
    assert ps.value("dibao_standard_rural", "341122100201", dt.date(2025, 6, 30)) == 70000
    assert ps.value("dibao_standard_rural", "410101001001", on) == 65000  # national fallback
