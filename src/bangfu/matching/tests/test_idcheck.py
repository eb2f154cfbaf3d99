"""ID numbers on external lists: GB 11643-1999 validation, 15→18 conversion, and the vectorised
classifier agreeing with the scalar one (issue 5 "Linkage": IDs are strings, never numbers)."""

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.common.idnumber import check_char
from bangfu_testing.factories import make_id_number
from bangfu.matching.choices import IdStatus
from bangfu.matching.idcheck import classify, classify_frame, clean, one_edit_neighbours, surviving

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


digits = st.text(alphabet="0123456789Xx \t\u3000\u00a0\u200b\u2028\x85\x1c\u200a\ufeff'’‘`＇０１２３４５６７８９Ｘｘ٣.E+", min_size=0, max_size=20)
known = [GOOD, GOOD[:6] + GOOD[8:17], GOOD[:17] + "1", "3.4E+17", "3.40121198905248E+17", "340121198905248000", "'" + GOOD,
         "".join(chr(ord(c) + 0xFEE0) for c in GOOD), " " + GOOD.lower() + "\u200b"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(digits, st.sampled_from(known)), min_size=1, max_size=20))
def test_vectorised_classifier_agrees_with_scalar(values):
    frame = classify_frame(pl.DataFrame({"id_raw": values}, schema={"id_raw": pl.String}), today=TODAY)
    for raw, status, number in zip(values, frame["id_status"], frame["id_number"], strict=True):
        _t, expected_number, expected_status, _r = classify(raw, today=TODAY)
        assert (status, number or "") == (expected_status, expected_number), raw


# --- damage real files carry (issue 12 "Data comparison that survives real department files") ---

REAL = "340121198905248185"  # a valid number (check character 5)
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in REAL)  # ３４０１２１１９８９０５２４８１８５


def test_full_width_digits_are_read_as_digits():
    """The web import ended in an internal error on this cell (UnicodeEncodeError)."""
    assert FULL_WIDTH == "３４０１２１１９８９０５２４８１８５"
    assert classify(FULL_WIDTH, today=TODAY)[1:3] == (REAL, IdStatus.VALID)
    frame = classify_frame(pl.DataFrame({"id_raw": [FULL_WIDTH]}), today=TODAY)
    assert (frame["id_number"][0], frame["id_status"][0]) == (REAL, IdStatus.VALID)


def test_what_excel_and_copy_paste_leave_around_a_number_is_dropped():
    for cell in ("'" + REAL, "’" + REAL, "‘" + REAL, "`" + REAL, "＇" + REAL, REAL[:6] + " " + REAL[6:14] + " " + REAL[14:],
                 "\t" + REAL + "\t", REAL[:9] + "\u00a0" + REAL[9:], REAL[:5] + "\u200b" + REAL[5:] + "\ufeff",
                 "　" + REAL + "　", "'" + FULL_WIDTH):
        assert classify(cell, today=TODAY)[1:3] == (REAL, IdStatus.VALID), repr(cell)
    assert classify(GOOD[:17] + "x", today=TODAY)[1:3] == (GOOD, IdStatus.VALID)


def test_digits_of_other_scripts_are_not_taken_for_an_id_number():
    arabic = "".join(chr(0x0660 + int(c)) for c in REAL)  # Arabic-Indic digits: NFKC keeps them
    assert classify(arabic, today=TODAY)[2] == IdStatus.INVALID
    frame = classify_frame(pl.DataFrame({"id_raw": [arabic]}), today=TODAY)
    assert frame["id_status"][0] == IdStatus.INVALID


def test_one_edit_neighbours_never_crash():
    """Only 18 ASCII digits (or X) are varied; anything else a caller hands over is skipped."""
    typo = REAL[:10] + REAL[11] + REAL[10] + REAL[12:]
    rows, numbers = one_edit_neighbours([1, 2, 3, 4], [FULL_WIDTH, "abc", typo, "３" * 18])
    assert REAL in numbers and set(rows) == {3}
    assert one_edit_neighbours([1], ["٣" * 18]) == ([], [])


def test_scientific_notation_keeps_its_leading_digits():
    """3.40121E+17 is what Excel shows (and a csv export writes) for a number 18 digits long: the
    county survives; with 15 digits shown the birth date survives too."""
    short = surviving("3.40121E+17")
    assert (short.length, short.county, short.birth) == (18, "340121", None)
    assert short.county_alt == "340120"  # the sixth digit shown may have been rounded up
    full = surviving("3.40121198905248E+17")
    assert (full.county, full.county_alt, full.birth, full.sex) == ("340121", None, dt.date(1989, 5, 24), None)
    assert full.prefix == "340121198905248"
    for cell in (3.40121198905248e17, "3.40121198905248E+17", "3.40121198905248e17", "340121198905248000"):
        text, number, status, _r = classify(cell, today=TODAY)
        assert (number, status) == ("", IdStatus.LOST_DIGITS), cell
        assert surviving(text).prefix == "340121198905248", cell
    # a number with a 0 among the 15 digits Excel kept still has all 15
    assert surviving(clean(3.40121198905240e17)[0]).prefix == "340121198905240"


def test_eighteen_digits_ending_in_000_that_fail_the_check_lost_their_tail():
    """Excel keeps 15 significant digits of a number: 340121198905248185 becomes …248000."""
    text, number, status, reason = classify("340121198905248000", today=TODAY)
    assert (number, status) == ("", IdStatus.LOST_DIGITS) and "000" in reason
    valid_000 = next(f + "0" for f in (f"34012119890524{d}00" for d in range(10)) if check_char(f) == "0")
    assert classify(valid_000, today=TODAY)[2] == IdStatus.VALID  # a real number may end in 000


def test_old_fifteen_digit_number_in_scientific_notation():
    old = "340121890524818"
    evidence = surviving("3.40121890524818E+14")
    assert (evidence.length, evidence.county, evidence.birth, evidence.sex) == (15, "340121", dt.date(1989, 5, 24), "F")
    assert evidence.prefix == "34012119890524818"
    assert surviving(old) is None and surviving("3.4E+10") is None and surviving("abc") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789X０１٣", min_size=18, max_size=18)), max_size=10))
def test_one_edit_neighbours_take_any_text(values):
    rows, numbers = one_edit_neighbours(list(range(len(values))), values, converted=[False] * len(values))
    assert len(rows) == len(numbers)
    assert all(len(n) == 18 and n.isascii() and check_char(n[:17]) == n[17] for n in numbers)
