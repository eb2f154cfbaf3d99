"""Citizen ID numbers (公民身份号码) after GB 11643-1999.

An 18-digit number is 6 digits of address code, 8 of birth date (YYYYMMDD), 3 of sequence (odd
for men, even for women) and one check character: ISO 7064 MOD 11-2 over the first 17 digits with
weights 2^(17-i) mod 11, the remainder mapped through "10X98765432". A 15-digit number (issued
before 1999) has a 2-digit year and no check character; it converts by inserting "19" and
computing the check character.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bangfu.common.texts import _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao are also issued).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
EARLIEST_BIRTH = dt.date(1880, 1, 1)

# What copying, pasting and Excel leave in and around a number: white space of any kind (tabs, the
# no-break and the ideographic space), zero-width characters, and the quote Excel puts before a
# number kept as text ('340121…, also typed as ’ ‘ `). The same patterns serve Python's `re` and
# the Rust regex engine under Polars (matching.idcheck.classify_frame), so both read a cell alike.
IGNORED_CHARS = r"[\s\x1c-\x1f\u00ad\u200b-\u200d\u2060\ufeff]"
QUOTES_AT_ENDS = r"^['‘’`\"“”]+|['‘’`\"“”]+$"
_IGNORED = re.compile(IGNORED_CHARS)
_QUOTES = re.compile(QUOTES_AT_ENDS)


def normalise_id_text(raw) -> str:
    """An ID number as written, as plain upper-case ASCII where it can be: NFKC (full-width digits
    and letters become ASCII), no white space or zero-width characters, no quotes at either end,
    x as X. Digits of other scripts stay what they are (and are no ID number)."""
    if raw is None:
        return ""
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", str(raw)))
    return _QUOTES.sub("", text).upper()


class InvalidIdNumber(ValueError):
    """The reason is a Chinese sentence fit to show to a user."""


@dataclass(frozen=True, slots=True)
class IdInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    area_code: str


def check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _birth(text: str) -> dt.date:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InvalidIdNumber(_("出生日期 %(date)s 不存在") % {"date": f"{text[0:4]}-{text[4:6]}-{text[6:8]}"}) from None


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate and normalise an ID number; raise InvalidIdNumber with the reason otherwise.

    Returns the 18-digit form (a 15-digit number is converted) with the birth date and sex it encodes.
    """
    if raw is None:
        raise InvalidIdNumber(_("身份证号码为空"))
    value = normalise_id_text(raw)
    if not value:
        raise InvalidIdNumber(_("身份证号码为空"))
    if len(value) == 15:
        if not (value.isascii() and value.isdigit()):
            raise InvalidIdNumber(_("15位身份证号码只能由数字组成"))
        first17 = value[:6] + "19" + value[6:]
        value = first17 + check_char(first17)
    elif len(value) == 18:
        if not value.isascii() or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
            raise InvalidIdNumber(_("18位身份证号码前17位须为数字，末位为数字或X"))
    else:
        raise InvalidIdNumber(_("身份证号码应为18位（或旧式15位），现为%(length)s位") % {"length": len(value)})
    if value[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(_("地址码 %(area)s 不是有效的省级行政区划代码") % {"area": value[:6]})
    birth = _birth(value[6:14])
    today = today or dt.date.today()
    if birth > today:
        raise InvalidIdNumber(_("出生日期 %(birth)s 晚于今天") % {"birth": birth.isoformat()})
    if birth < EARLIEST_BIRTH:
        raise InvalidIdNumber(_("出生日期 %(birth)s 早于%(year)s年，不可能") % {"birth": birth.isoformat(), "year": EARLIEST_BIRTH.year})
    expected = check_char(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(_("校验码错误：末位应为 %(expected)s，实为 %(found)s") % {"expected": expected, "found": value[17]})
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return IdInfo(number=value, birth_date=birth, sex=sex, area_code=value[:6])


def normalize_id_number(raw: str) -> str:
    return parse_id_number(raw).number


def mask_id_number(number: str | None) -> str:
    """3401**********123X: the province and city, and the last four characters."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """138****5678."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
