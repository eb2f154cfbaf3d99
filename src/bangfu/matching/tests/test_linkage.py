"""The linkage engine alone (pure: Polars in, Polars out): each kind of error a clerk meets on a
list, and the cases where a careful clerk would not link (issue 5 "Linkage")."""

import datetime as dt

import polars as pl

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
