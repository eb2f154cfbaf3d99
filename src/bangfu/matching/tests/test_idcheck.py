"""ID numbers on external lists: GB 11643-1999 validation, 15→18 conversion, and the vectorised
classifier agreeing with the scalar one (issue 5 "Linkage": IDs are strings, never numbers)."""

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.common.idnumber import check_char
from bangfu_testing.factories import make_id_number
from bangfu.matching.choices import IdStatus
from bangfu.matching.idcheck import classify, classify_frame, one_edit_neighbours

TODAY = dt.date(2025, 6, 30)
GOOD = make_id_number(birth=dt.date(1980, 5, 17), sex="M", seq=7)  # 34010219800517015X


def test_valid_number_is_kept_as_text():
    assert classify(GOOD, today=TODAY)[1:3] == (GOOD, IdStatus.VALID)
    assert classify(" " + GOOD.lower() + " ", today=TODAY)[2] == IdStatus.VALID


def test_fifteen_digits_convert_to_eighteen():
    """GB 11643-1999: insert "19" after the address code and compute the check character."""
    fifteen = GOOD[:6] + GOOD[8:17]
    assert classify(fifteen, today=TODAY)[1:3] == (GOOD, IdStatus.CONVERTED_15)


def test_wrong_check_character_is_named():
    wrong = GOOD[:17] + "0"
    text, number, status, reason = classify(wrong, today=TODAY)
    assert (number, status) == ("", IdStatus.BAD_CHECK)
    assert "校验码" in reason and "X" in reason


def test_excel_float_is_unreadable_with_reason():
    for cell in (3.40102198e17, "3.40102198E+17", 340102198005170000.0):
        _t, number, status, reason = classify(cell, today=TODAY)
        assert (number, status) == ("", IdStatus.LOST_DIGITS)
        assert "科学计数法" in reason


def test_missing_and_garbage():
    assert classify(None)[2] == IdStatus.MISSING
    assert classify("  ")[2] == IdStatus.MISSING
    assert classify("abc")[2] == IdStatus.INVALID
    assert classify(GOOD[:10] + "13" + GOOD[12:], today=TODAY)[2] == IdStatus.INVALID  # month 13


def test_one_edit_neighbours_find_transposition_and_substitution():
    transposed = GOOD[:10] + GOOD[11] + GOOD[10] + GOOD[12:]
    substituted = GOOD[:15] + str((int(GOOD[15]) + 3) % 10) + GOOD[16:]
    for typo in (transposed, substituted, GOOD[:17] + "3"):
        rows, numbers = one_edit_neighbours([1], [typo])
        assert GOOD in numbers
        assert all(check_char(n[:17]) == n[17] for n in numbers)  # only valid numbers come back
        assert typo not in numbers


def test_one_edit_neighbours_of_a_converted_fifteen_digit_number():
    fifteen = GOOD[:6] + GOOD[8:17]
    typo = fifteen[:12] + str((int(fifteen[12]) + 1) % 10) + fifteen[13:]
    converted = classify(typo, today=TODAY)[1]
    rows, numbers = one_edit_neighbours([4], [converted], converted=[True])
    assert GOOD in numbers and set(rows) == {4}


digits = st.text(alphabet="0123456789X ", min_size=0, max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(digits, st.sampled_from([GOOD, GOOD[:6] + GOOD[8:17], GOOD[:17] + "1", "3.4E+17"])), min_size=1, max_size=20))
def test_vectorised_classifier_agrees_with_scalar(values):
    frame = classify_frame(pl.DataFrame({"id_raw": values}, schema={"id_raw": pl.String}), today=TODAY)
    for raw, status, number in zip(values, frame["id_status"], frame["id_number"], strict=True):
        _t, expected_number, expected_status, _r = classify(raw, today=TODAY)
        assert (status, number or "") == (expected_status, expected_number), raw
