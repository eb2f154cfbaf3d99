"""Account numbers that benefits are paid into: cleaning what was typed or pasted, and checking it.

Schemes (`SCHEMES`), each a length range and whether the last digit is a check digit:

- ``bank_card`` — a bank card (借记卡, the county's "一卡通" card, the 社会保障卡's financial
  account, which is a bank card number issued on the card's bank). ISO/IEC 7812-1 numbers a card
  (its primary account number) with at most 19 digits, the last being a check digit computed by
  the Luhn formula (mod 10); UnionPay's card numbering (Q/CUP 002, cards starting 62) uses 16–19
  digits with the same Luhn digit, and so do the domestic debit cards of the large banks. So a
  bank card is 16–19 digits and must pass Luhn.
- ``passbook`` — a passbook (存折) or settlement account with no card number, as rural credit
  cooperatives (农村信用社) and some rural commercial banks still open for older recipients: the
  account number is the bank's own, of varying length (commonly 15–23 digits), with no check
  digit anyone outside the bank can compute. Digits only, 10–25 of them, no check digit. An old
  card whose number fails Luhn (a few local cards issued before UnionPay numbering) is recorded
  under this scheme after the bank confirms the number.
- ``institution`` — a unit's settlement account (对公账户), for institutional tekun paid to the
  care home (集中供养): the bank's own number, 8–32 digits, no check digit.

The Luhn formula (ISO/IEC 7812-1 annex B): from the rightmost digit (the check digit) leftwards,
double every second digit (the one left of the check digit first); a doubled digit above 9 counts
as its two digits added (the same as subtracting 9); the number is valid when the total of all
digits is a multiple of 10.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bangfu.common.texts import _


@dataclass(frozen=True)
class Scheme:
    min_digits: int
    max_digits: int
    luhn: bool


SCHEMES: dict[str, Scheme] = {
    "bank_card": Scheme(16, 19, True),
    "passbook": Scheme(10, 25, False),
    "institution": Scheme(8, 32, False),
}

# White space of any kind (NFKC has already made the ideographic space a space), zero-width
# characters and the BOM; hyphens and dashes people type between groups of digits.
_SEPARATORS = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff\-‐‑‒–—―−﹣]")
# The quote Excel puts before a number kept as text ('6228…), and quotes around a pasted value.
_QUOTES_AT_ENDS = re.compile(r"^['‘’`\"“”]+|['‘’`\"“”]+$")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def normalise_account(text) -> str:
    """An account number as written, cleaned of what copying and typing add: NFKC (full-width
    digits become ASCII), no spaces, hyphens or zero-width characters, no quotes at either end
    (Excel's leading apostrophe). Anything else (a letter O for a zero, a stray character) is left
    in place, so that `account_problem` names it rather than a wrong number being kept."""
    if text is None:
        return ""
    cleaned = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text)))
    return _QUOTES_AT_ENDS.sub("", cleaned)


def luhn_valid(digits: str) -> bool:
    """True when `digits` (ASCII digits, check digit last) passes the Luhn formula."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if position % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The check digit to append to `body` (the digits without it)."""
    for candidate in "0123456789":
        if luhn_valid(body + candidate):
            return candidate
    raise AssertionError("unreachable")  # one of the ten always fits


def account_problem(number: str, scheme: str = "bank_card") -> str | None:
    """None when `number` (already normalised) is an acceptable account number of `scheme`, else
    a Chinese sentence saying what is wrong."""
    rule = SCHEMES.get(scheme)
    if rule is None:
        return _("未知的账户类型“%(scheme)s”") % {"scheme": scheme}
    if not number:
        return _("账号为空")
    if not _ASCII_DIGITS.fullmatch(number):
        bad = next(ch for ch in number if not ("0" <= ch <= "9"))
        return _("账号只能包含数字，其中有“%(char)s”") % {"char": bad}
    n = len(number)
    if not rule.min_digits <= n <= rule.max_digits:
        if scheme == "bank_card":
            return _("银行卡号应为16至19位数字，现为%(n)s位；存折账号请选择“存折”类型") % {"n": n}
        return _("账号应为%(min)s至%(max)s位数字，现为%(n)s位") % {"min": rule.min_digits, "max": rule.max_digits, "n": n}
    if rule.luhn and not luhn_valid(number):
        return _("银行卡号的校验位不符，可能有数字输错或顺序颠倒，请对照卡面核实")
    return None
