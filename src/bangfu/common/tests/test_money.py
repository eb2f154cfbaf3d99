import pytest

from bangfu.common.money import InvalidAmount, format_yuan, yuan_to_fen


@pytest.mark.parametrize("raw, fen", [("650", 65000), ("650.5", 65050), ("1,234.56", 123456), ("0.01", 1), (12, 1200), ("", None)])
def test_yuan_to_fen(raw, fen):
    assert yuan_to_fen(raw) == fen


@pytest.mark.parametrize("raw, reason", [("1.234", "最多保留两位小数"), ("-5", "不能为负数"), ("abc", "不是数字"), ("NaN", "不是数字")])
def test_yuan_to_fen_refuses(raw, reason):
    with pytest.raises(InvalidAmount, match=reason):
        yuan_to_fen(raw)


def test_format_yuan():
    assert format_yuan(123456) == "1,234.56"
