"""The linkage engine alone (pure: Polars in, Polars out): each kind of error a clerk meets on a
list, and the cases where a careful clerk would not link (issue 5 "Linkage")."""

import datetime as dt

import polars as pl

from bangfu.common.idnumber import check_char
from bangfu_testing.factories import make_id_number
from bangfu.matching.idcheck import classify_frame
from bangfu.matching.linkage import REGISTRY_SCHEMA, fingerprint, link
from bangfu.matching.names import pinyin_key

TODAY = dt.date(2025, 6, 30)
B1, B2, B3 = dt.date(1980, 5, 17), dt.date(1990, 1, 2), dt.date(1950, 3, 3)
P = {
    1: ("张伟", make_id_number(birth=B1, sex="M", seq=1), "M", B1),
    2: ("李娜", make_id_number(birth=B1, sex="F", seq=2), "F", B1),
    3: ("单雄信", make_id_number(birth=B2, sex="M", seq=3), "M", B2),
    4: ("王芳", make_id_number(birth=B3, sex="F", seq=4), "F", B3),
    5: ("曾国强", make_id_number(birth=B2, sex="M", seq=5), "M", B2),
    6: ("王芳", make_id_number(birth=B3, sex="F", seq=6), "F", B3),  # a namesake born the same day
}
REGISTRY = pl.DataFrame(
    [(pid, number, name, sex, birth, "340102001001") for pid, (name, number, sex, birth) in P.items()],
    schema=REGISTRY_SCHEMA, orient="row")


def rows(*items):
    """items: (id_raw, name, sex, birth, region)"""
    frame = pl.DataFrame([(i + 1, *item) for i, item in enumerate(items)],
                         schema={"row_no": pl.Int64, "id_raw": pl.String, "name": pl.String, "sex": pl.String,
                                 "birth_date": pl.Date, "region_code": pl.String}, orient="row")
    return classify_frame(frame, today=TODAY)


def outcome(result, row_no):
    r = result.links.filter(pl.col("row_no") == row_no).row(0, named=True)
    return r["person_id"], r["link_status"], r["method"]


def test_homophones_and_surname_readings_share_a_key():
    assert pinyin_key("张伟") == pinyin_key("章伟") == "zhang wei"
    assert pinyin_key("单雄信") == pinyin_key("善雄信") == "shan xiong xin"
    assert pinyin_key("曾国强") == pinyin_key("增国强")


def test_exact_number_links_even_with_a_similar_looking_name():
    res = link(REGISTRY, rows((P[1][1], "张伟", None, None, None), (P[2][1], "李哪", None, None, None)))
    assert outcome(res, 1) == (1, "accepted", "exact_id")
    assert outcome(res, 2) == (2, "accepted", "exact_id")


def test_exact_number_with_another_name_goes_to_review():
    res = link(REGISTRY, rows((P[1][1], "刘德华", None, None, None)))
    assert outcome(res, 1) == (1, "review", "exact_id")


def test_transposed_digits_and_wrong_check_character_link_on_the_name():
    n1, n3 = P[1][1], P[3][1]
    transposed = n1[:12] + n1[13] + n1[12] + n1[14:]
    wrong_check = n3[:17] + ("0" if n3[17] != "0" else "1")
    res = link(REGISTRY, rows((transposed, "章伟", None, None, None), (wrong_check, "善雄信", None, None, None)))
    assert outcome(res, 1) == (1, "accepted", "id_one_edit")
    assert outcome(res, 2) == (3, "accepted", "id_one_edit")


def test_fifteen_digit_number_links_exactly():
    n = P[5][1]
    res = link(REGISTRY, rows((n[:6] + n[8:17], "增国强", None, None, None)))
    assert outcome(res, 1) == (5, "accepted", "exact_id")


def test_missing_number_links_on_name_birth_date_sex_and_region():
    res = link(REGISTRY, rows((None, "单雄信", "M", B2, "340102001001")))
    assert outcome(res, 1) == (3, "accepted", "name_birth")


def test_two_namesakes_born_the_same_day_go_to_review_not_to_a_guess():
    res = link(REGISTRY, rows((None, "王芳", "F", B3, "340102001001")))
    person, status, _m = outcome(res, 1)
    assert status == "review" and person in (4, 6)


def test_people_not_in_the_registry_stay_unlinked():
    stranger = make_id_number(birth=B1, sex="M", seq=77)
    res = link(REGISTRY, rows((stranger, "赵四", None, None, None), (None, "钱五", "M", B1, None), ("garbage", "孙六", None, None, None)))
    assert res.links["person_id"].null_count() == 3
    assert set(res.links["link_status"]) == {"none"}


def test_neighbour_number_of_another_person_does_not_link_without_the_name():
    """A one-digit neighbour that is someone else's valid number, under a different name."""
    n = P[2][1]
    typo = n[:16] + str((int(n[16]) + 2) % 10) + n[17]
    res = link(REGISTRY, rows((typo, "欧阳娜娜", None, None, None)))
    assert outcome(res, 1)[1] == "none"


def test_remembered_decisions_override_the_score():
    item = (None, "王芳", "F", B3, "340102001001")
    key = fingerprint(None, "王芳", B3)
    rejected = pl.DataFrame({"fingerprint": [key], "person_id": [6]}, schema={"fingerprint": pl.String, "person_id": pl.Int64})
    accepted = pl.DataFrame({"fingerprint": [key], "person_id": [4]}, schema={"fingerprint": pl.String, "person_id": pl.Int64})
    res = link(REGISTRY, rows(item), accepted=accepted, rejected=rejected)
    assert outcome(res, 1) == (4, "accepted", "remembered")
    res = link(REGISTRY, rows(item), rejected=rejected)
    assert outcome(res, 1)[0] == 4  # the rejected namesake is never proposed again


# --- damage real files carry (issue 12 "Data comparison that survives real department files") ---

COUNTY_AREA = "340102000000"
B7 = dt.date(1988, 8, 9)
N7 = make_id_number(birth=B7, sex="F", seq=40)
WIDER = pl.concat([REGISTRY, pl.DataFrame([(7, N7, "王琳芳", "F", B7, "340102001002"), (8, make_id_number(birth=B1, sex="M", seq=41), "王·买买提", "M", B1, "340102001001")],
                                          schema=REGISTRY_SCHEMA, orient="row")])


def evidence(result, row_no):
    from bangfu.matching.linkage import evidence_of

    return evidence_of(result.links.filter(pl.col("row_no") == row_no)["evidence"][0])


def identifiable(result, row_no):
    return result.links.filter(pl.col("row_no") == row_no)["identifiable"][0]


def test_full_width_numbers_link_and_never_crash():
    """A full-width number crashed the whole import (UnicodeEncodeError in the one-edit pass)."""
    n1, n3 = P[1][1], P[3][1]
    wide = lambda text: "".join(chr(ord(c) + 0xFEE0) for c in text)  # noqa: E731
    typo = n3[:12] + n3[13] + n3[12] + n3[14:]
    res = link(REGISTRY, rows((wide(n1), "张伟", None, None, None), ("'" + wide(typo), "单雄信", None, None, None),
                              (wide("abc") + "１２３", "钱五", None, None, None)))
    assert outcome(res, 1) == (1, "accepted", "exact_id")
    assert outcome(res, 2) == (3, "accepted", "id_one_edit")
    assert outcome(res, 3)[1] == "none"


def test_minority_name_separators_are_one_name():
    for written in ("王·买买提", "王买买提", "王.买买提", "王•买买提", "王・买买提", "王．买买提", "王 · 买买提"):
        res = link(WIDER, rows((None, written, "M", B1, "340102001001")))
        assert outcome(res, 1) == (8, "accepted", "name_birth"), written
        assert evidence(res, 1)["name_chars"] == 1.0, written
    assert fingerprint(None, "王·买买提", B1) == fingerprint(None, "王买买提", B1)


def test_excel_damaged_number_links_on_its_surviving_digits():
    """3.40102198805…E+17 (a csv export), the float an xlsx holds, and 18 digits ending in 000 all
    keep the county and the birth date: with the name they identify the one person."""
    from bangfu.matching.idcheck import clean

    n = N7
    forms = (f"{n[0]}.{n[1:15]}E+17", clean(float(n[:15] + "000"))[0], n[:15] + "000")
    assert check_char(n[:15] + "00") != "0"  # the 000 form is no valid number itself
    res = link(WIDER, rows(*[(form, "王琳芳", None, None, None) for form in forms]), area=COUNTY_AREA)
    for row_no in (1, 2, 3):
        assert outcome(res, row_no) == (7, "accepted", "name_birth"), forms[row_no - 1]
        assert evidence(res, row_no)["id"] == "partial"
    assert set(res.links.join(rows(*[(f, "x", None, None, None) for f in forms]).select("row_no", "id_status"), on="row_no")["id_status"]) == {"lost_digits"}


def test_surviving_digits_never_pick_one_of_two_namesakes():
    """王芳 and 王芳, born the same day in the same county: the 15 digits Excel kept are the same."""
    n4 = P[4][1]
    assert n4[:15] == P[6][1][:15]
    res = link(REGISTRY, rows((n4[:15] + "000", "王芳", None, None, None)))
    person, status, _m = outcome(res, 1)
    assert status == "review" and person in (4, 6)


def test_surviving_digits_rule_out_a_namesake_of_another_county():
    """Found trying two demo counties: 杨剑鹏 born 1998-12-30 lives in each county. The 15 digits Excel
    kept name the first county, so the namesake elsewhere (another area code) is no rival and the
    row links to the one whose number begins with those digits."""
    from bangfu.matching.idcheck import clean

    other = make_id_number(area="341124", birth=B7, sex="F", seq=40)
    registry = pl.concat([WIDER, pl.DataFrame([(9, other, "王琳芳", "F", B7, "341124001001")], schema=REGISTRY_SCHEMA, orient="row")])
    res = link(registry, rows((clean(float(N7[:15] + "000"))[0], "王琳芳", None, None, None)), area=COUNTY_AREA)
    assert outcome(res, 1) == (7, "accepted", "name_birth")


def test_a_county_alone_sends_the_name_to_review():
    """3.40102E+17 keeps the county only: the same name there is a candidate for a person to check."""
    res = link(REGISTRY, rows(("3.40102E+17", "单雄信", None, None, None), ("3.40102E+17", "欧阳锋", None, None, None)))
    assert outcome(res, 1) == (3, "review", "name_area")
    assert outcome(res, 2) == (None, "none", None)
    assert identifiable(res, 2)  # its surviving digits say something; nobody of that name is there


def test_a_list_without_birth_dates_sends_same_name_rows_to_review():
    """Rows with no usable number and no birth date used to end as 'not in the registry' even when
    the person was: a row whose name matches someone in the list's area goes to review."""
    items = ((None, "单雄信", None, None, None), (None, "善雄信", None, None, None), ("garbage", "张伟", "M", None, None),
             (None, "曾国强", None, None, "340102001002"), (None, "赵四", None, None, None), (None, "王芳", None, None, None))
    res = link(REGISTRY, rows(*items), area=COUNTY_AREA)
    assert outcome(res, 1) == (3, "review", "name_area")
    assert outcome(res, 2) == (3, "review", "name_area")  # the same sound
    assert outcome(res, 3) == (1, "review", "name_area")
    assert outcome(res, 4) == (5, "review", "name_area")  # another village of the row's own county
    assert outcome(res, 5) == (None, "none", None) and not identifiable(res, 5)  # nothing can identify it
    person, status, _m = outcome(res, 6)
    assert status == "review" and {person, evidence(res, 6)["runner_up"]} == {4, 6}  # both namesakes, best first
    assert all(identifiable(res, r) for r in (1, 2, 3, 4, 6))
    # outside the list's area nobody of that name is a candidate
    res = link(REGISTRY, rows((None, "单雄信", None, None, None)), area="340103000000")
    assert outcome(res, 1) == (None, "none", None) and not identifiable(res, 1)


def test_someone_not_in_the_registry_with_a_number_is_identifiable():
    res = link(REGISTRY, rows((make_id_number(birth=B1, sex="M", seq=77), "赵四", None, None, None)), area=COUNTY_AREA)
    assert outcome(res, 1) == (None, "none", None) and identifiable(res, 1)


def test_a_surname_alone_does_not_auto_link():
    """An outsider 王萱彤 with a 15-digit number one transposition from 王琳芳's, born the same day,
    was auto-linked to her: the given names share nothing, in characters or in sound."""
    old = N7[:6] + N7[8:17]
    typo = old[:12] + old[13] + old[12] + old[14:]
    assert typo != old
    res = link(WIDER, rows((typo, "王萱彤", None, None, None), (typo, "王琳芳", None, None, None), (typo, "王林芳", None, None, None)))
    person, status, method = outcome(res, 1)
    assert (person, status) == (7, "review") and evidence(res, 1)["given_differ"]
    assert outcome(res, 2) == (7, "accepted", "id_one_edit")
    assert outcome(res, 3) == (7, "accepted", "id_one_edit")  # a one-character typo in the given name


def test_given_names_that_differ():
    from bangfu.matching.names import given_name, given_names_differ

    assert given_name("欧阳娜娜") == "娜娜" and given_name("王·买买提") == "买买提"
    assert given_names_differ("王萱彤", "王琳芳") and given_names_differ("欧阳娜娜", "欧阳丽丽")
    for a, b in (("张伟", "章伟"), ("王芳", "玉芳"), ("张伟", "张玮"), ("李丽", "李妮"), ("陈珍", "陈征"), ("王建国", "王建华")):
        assert not given_names_differ(a, b), (a, b)


def test_a_truncated_number_that_passes_the_check_by_chance_says_nothing_of_sex():
    """1 in 11 numbers Excel cut to …000 still passes the check: its sex digit (0, a woman) is
    Excel's, not the person's."""
    birth = dt.date(1988, 8, 8)
    man = make_id_number(birth=birth, sex="M", seq=40)
    cut = man[:15] + "000"
    assert classify_frame(pl.DataFrame({"id_raw": [cut]}), today=TODAY)["id_status"][0] == "valid"
    registry = pl.concat([REGISTRY, pl.DataFrame([(9, man, "李建军", "M", birth, "340102001001")], schema=REGISTRY_SCHEMA, orient="row")])
    res = link(registry, rows((cut, "李建军", None, None, None)))
    assert outcome(res, 1) == (9, "accepted", "name_birth")
    assert evidence(res, 1)["id"] == "partial"


def test_namesakes_in_the_county_rank_the_one_in_the_lists_village_first():
    res = link(REGISTRY, rows((None, "王芳", "F", None, "340102001001")), area=COUNTY_AREA)
    assert outcome(res, 1)[1] == "review"
    other = pl.DataFrame([(10, make_id_number(birth=B3, sex="F", seq=50), "王芳", "F", B3, "340102001007")], schema=REGISTRY_SCHEMA, orient="row")
    res = link(pl.concat([other, REGISTRY]), rows((None, "王芳", "F", None, "340102001007")), area=COUNTY_AREA)
    assert outcome(res, 1) == (10, "review", "name_area")


def test_a_big_same_name_block_in_the_area_still_goes_to_review():
    """Thirty 李明 in the county: the row keeps a reviewer's worth of candidates, the one in its
    own village first, and still goes to review."""
    from bangfu.matching.linkage import NAME_REVIEW_CAP

    many = pl.DataFrame([(100 + i, make_id_number(birth=B2, sex="M", seq=100 + i), "李明", "M", B2, f"340102001{i:03d}")
                         for i in range(30)], schema=REGISTRY_SCHEMA, orient="row")
    res = link(pl.concat([REGISTRY, many]), rows((None, "李明", None, None, "340102001017")), area=COUNTY_AREA)
    assert outcome(res, 1) == (117, "review", "name_area")
    assert res.counts["candidate_pairs"] == NAME_REVIEW_CAP < 30
