"""Account numbers (issue 15 "Accounts": digits, length, the card check digit where the scheme has
one). Check digits below are computed by hand with the Luhn formula of ISO/IEC 7812-1: from the
right, the digit left of the check digit and every second one after it are doubled (a doubled digit
above 9 counts as its digits' sum), and the total must end in 0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.payments.cards import SCHEMES, account_problem, luhn_check_digit, luhn_valid, normalise_account

# 622202123456789 + check digit. From the right: doubled 9,7,5,3,1,0,2,6 → 9 (18→1+8), 5 (14), 1 (10),
# 6, 2, 0, 4, 3 (12) = 30; kept 8,6,4,2,2,2,2 = 26; 30 + 26 = 56, so the check digit is 10 − 6 = 4.
CARD_16 = "6222021234567894"
# 621700123456789012 + check digit. Doubled 2,0,8,6,4,2,0,7,2 → 4,0,7,3,8,4,0,5,4 = 35; kept
# 1,9,7,5,3,1,0,1,6 = 33; 35 + 33 = 68, so the check digit is 2.
CARD_19 = "6217001234567890122"


def test_hand_computed_check_digits():
    assert luhn_check_digit(CARD_16[:-1]) == "4"
    assert luhn_check_digit(CARD_19[:-1]) == "2"
    # the worked example that accompanies the Luhn formula: 7992739871 → check digit 3
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


@pytest.mark.parametrize("number", [CARD_16, CARD_19])
def test_valid_cards_pass(number):
    assert account_problem(number) is None
    assert account_problem(number, "bank_card") is None


@pytest.mark.parametrize("number", [
    "6222021234567895",  # last digit wrong (56 + 1 = 57)
    "6222021234567984",  # 8 and 9 swapped: the doubled 9 (→9) and kept 8 become doubled 8 (→7) and kept 9: 55
    "6217001234567890121",
    "7222021234567894",  # first digit changed: the doubled 6 (→3) becomes a doubled 7 (→5): 58
])
def test_wrong_check_digit_is_refused(number):
    problem = account_problem(number)
    assert problem is not None and "校验位" in problem


@pytest.mark.parametrize("number, n", [("622202123456789", 15), ("62170012345678901220", 20)])
def test_card_length(number, n):
    problem = account_problem(number)
    assert problem is not None and f"现为{n}位" in problem


def test_passbook_has_no_check_digit_and_its_own_lengths():
    # a rural credit cooperative passbook account: 17 digits, last digit not a Luhn digit
    number = "10731234567890128"
    assert not luhn_valid(number)
    assert account_problem(number, "passbook") is None
    assert account_problem(number) is not None  # as a bank card it is refused (length 17 is fine, Luhn is not)
    assert account_problem("123456789", "passbook") is not None  # 9 < 10 digits
    assert account_problem("1" * 26, "passbook") is not None
    assert account_problem("1" * 25, "passbook") is None
    assert account_problem("12345678", "institution") is None


@pytest.mark.parametrize("text", ["6222O21234567894", "62220212345678９4x", "٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٤"])
def test_only_ascii_digits(text):
    problem = account_problem(normalise_account(text))
    assert problem is not None and "只能包含数字" in problem


def test_empty_and_unknown_scheme():
    assert "为空" in account_problem("")
    assert "未知" in account_problem(CARD_16, "credit")


@pytest.mark.parametrize("typed", [
    "6222 0212 3456 7894",
    "６２２２０２１２３４５６７８９４",  # full-width digits
    "'6222021234567894",  # Excel's leading apostrophe
    "6222-0212-3456-7894",
    "6222　0212\u200b3456\t7894 ",  # ideographic space, zero-width space, tab
    "“6222021234567894”",
    "\ufeff6222021234567894",
])
def test_normalise(typed):
    assert normalise_account(typed) == CARD_16


def test_normalise_keeps_what_is_not_a_separator():
    assert normalise_account("6222O21234567894") == "6222O21234567894"
    assert normalise_account(None) == ""


@given(st.text(alphabet="0123456789", min_size=15, max_size=18))
def test_appending_the_check_digit_makes_a_valid_card_and_any_single_change_breaks_it(body):
    number = body + luhn_check_digit(body)
    assert account_problem(number) is None
    for i, ch in enumerate(number):
        changed = number[:i] + str((int(ch) + 1) % 10) + number[i + 1:]
        assert not luhn_valid(changed)  # Luhn catches every single-digit error


def test_schemes_are_what_the_docstring_says():
    assert (SCHEMES["bank_card"].min_digits, SCHEMES["bank_card"].max_digits, SCHEMES["bank_card"].luhn) == (16, 19, True)
    assert SCHEMES["passbook"].luhn is False
