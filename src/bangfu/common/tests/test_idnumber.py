"""ID numbers after GB 11643-1999 (issue 2 §4). The two valid numbers are the standard's own
examples (Appendix, 11010519491231002X and 440524188001010014); the bad ones are made by hand."""

import datetime as dt

import pytest

from bangfu.common.idnumber import InvalidIdNumber, check_char, mask_id_number, mask_phone, parse_id_number

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    "raw, number, birth, sex",
    [
        ("11010519491231002X", "11010519491231002X", dt.date(1949, 12, 31), "F"),
        ("11010519491231002x", "11010519491231002X", dt.date(1949, 12, 31), "F"),
        ("440524188001010014", "440524188001010014", dt.date(1880, 1, 1), "M"),
        # 15-digit legacy form of the first example: "19" inserted, check character computed.
        ("110105491231002", "11010519491231002X", dt.date(1949, 12, 31), "F"),
        (" 440524188001010014 ", "440524188001010014", dt.date(1880, 1, 1), "M"),
    ],
)
def test_valid_numbers_from_the_standard(raw, number, birth, sex):
    info = parse_id_number(raw, today=TODAY)
    assert (info.number, info.birth_date, info.sex, info.area_code) == (number, birth, sex, number[:6])


def test_check_character_by_hand():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 mod 11 = 2 → "X"
    assert check_char("11010519491231002") == "X"
    # 4*7+4*9+0+5*5+2*8+4*4+1*2+8*1+8*6+0+0+1*9+0+1*5+0+0+1*2 = 195; 195 mod 11 = 8 → "4"
    assert check_char("44052418800101001") == "4"


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("110105194912310021", "校验码错误：末位应为 X，实为 1"),
        ("440524188001010013", "校验码错误：末位应为 4，实为 3"),
        ("110105194902300021", "出生日期 1949-02-30 不存在"),
        ("110105194913010021", "出生日期 1949-13-01 不存在"),
        ("110105203001010021", "出生日期 2030-01-01 晚于今天"),
        ("110105187001010021", "早于1880年"),
        ("99010519491231002X", "不是有效的省级行政区划代码"),
        ("1101051949123100", "应为18位（或旧式15位），现为16位"),
        ("11010519491231X02X", "前17位须为数字"),
        ("11010549123100X", "15位身份证号码只能由数字组成"),
        ("", "身份证号码为空"),
    ],
)
def test_invalid_numbers_give_the_reason(raw, reason):
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(raw, today=TODAY)
    assert reason in str(exc.value)


def test_masks():
    assert mask_id_number("34010219800517123X") == "3401**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == ""
