"""Cell parsing: digits Excel stored as numbers, dates in every accepted form, choices (R3)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.registry import choices as c
from bangfu.registry.survey.cells import CellError, LostDigits, cell_text
from bangfu.registry.survey.columns import BY_FIELD


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_an_integer_stored_as_a_float_comes_back_as_its_exact_digits(n):
    assert cell_text(float(n)) == str(n)


@pytest.mark.parametrize("value", [3.40102198005170e17, 1e15, "3.40102E+17", "3.4010219800517E+17"])
def test_a_long_number_excel_has_rounded_is_refused(value):
    with pytest.raises(CellError, match="身份证号码被 Excel 存为数字，已丢失末位，请把该列设为文本后重新填写"):
        BY_FIELD["id_number"].parse(value)
    if not isinstance(value, str):
        with pytest.raises(LostDigits):
            cell_text(value)


@pytest.mark.parametrize("value", [dt.date(2024, 1, 31), dt.datetime(2024, 1, 31), "2024-01-31", "2024/1/31", "2024.1.31",
                                   "20240131", 20240131.0, "2024年1月31日", 45322.0])
def test_dates(value):
    assert BY_FIELD["disability_issue_date"].parse(value) == dt.date(2024, 1, 31)


@pytest.mark.parametrize(("value", "message"), [("2024-02-30", "日期“2024-02-30”不存在"), ("明年", "无法识别")])
def test_bad_dates(value, message):
    with pytest.raises(CellError, match=message):
        BY_FIELD["disability_issue_date"].parse(value)


def test_choices_accept_labels_codes_and_common_words():
    relation = BY_FIELD["relation"]
    assert relation.parse("户主") == relation.parse("head") == relation.parse(" 本人 ") == c.Relation.HEAD
    assert relation.parse("长女") == c.Relation.CHILD
    assert BY_FIELD["disability_grade"].parse(2.0) == BY_FIELD["disability_grade"].parse("二级") == 2
    assert BY_FIELD["categories"].parse("低保、建档立卡，低保") == [c.Category.DIBAO, c.Category.REGISTERED_POOR]
    with pytest.raises(CellError, match="未知的类别：五保"):
        BY_FIELD["categories"].parse("低保、五保")


def test_money_in_fen():
    money = BY_FIELD["income_fen"]
    assert money.parse(1234.5) == 123450 and money.parse("1,234.56元") == 123456 and money.parse(0.1) == 10
    with pytest.raises(CellError, match="不能为负数"):
        money.parse("-1")


def test_village_code_as_number_or_text():
    code = BY_FIELD["village_code"]
    assert code.parse(340102001001.0) == code.parse(" 340102001001 ") == "340102001001"
    with pytest.raises(CellError, match="应为12位数字"):
        code.parse("34010200100")
