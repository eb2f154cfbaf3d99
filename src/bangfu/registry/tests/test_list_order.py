"""The household list (issue 17): a total where it is cheap (exact up to the cap, else "超过 N 户"),
sorting by head name, village, household number or last update with keyset pages in each order,
and a township filter as well as the village one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bangfu.registry import selectors

from .test_views import ROW, make_household

pytestmark = pytest.mark.django_db

LIST = reverse("registry:household_list")


@pytest.fixture
def worker(client, users):
    client.force_login(users["county"])
    return users["county"]


@pytest.fixture
def spread(worker, regions):
    return {
        "丁": make_household(worker, regions["village_b"], "丁一"),
        "甲": make_household(worker, regions["village_a2"], "甲二"),
        "乙": make_household(worker, regions["village_a"], "乙三"),
    }


def shown(html):
    return [int(pk) for pk in re.findall(ROW, html)]


def test_total_is_exact_below_the_cap_and_more_than_above(client, worker, spread, monkeypatch):
    html = client.get(LIST).content.decode()
    assert "共 3 户" in html
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    assert selectors.household_count(worker, selectors.HouseholdFilter(), cap=2) == 3  # counted to cap + 1 only
    html = client.get(LIST).content.decode()
    assert "超过 2 户" in html and "共 3 户" not in html


def test_sorting_by_head_village_number_and_update(client, worker, spread):
    pk = {k: h.pk for k, h in spread.items()}
    # head name: code point order of the names (丁 U+4E01 < 乙 U+4E59 < 甲 U+7532)
    assert shown(client.get(LIST, {"sort": "head"}).content.decode()) == [pk["丁"], pk["乙"], pk["甲"]]
    # village: by region code (340102001001 < 340102001002 < 340102002001)
    assert shown(client.get(LIST, {"sort": "village"}).content.decode()) == [pk["乙"], pk["甲"], pk["丁"]]
    assert shown(client.get(LIST, {"sort": "number"}).content.decode()) == sorted(pk.values())
    assert shown(client.get(LIST).content.decode()) == sorted(pk.values(), reverse=True)
    spread["丁"].note = "更新"
    spread["丁"].save()
    assert shown(client.get(LIST, {"sort": "updated"}).content.decode())[0] == pk["丁"]


def test_keyset_pages_in_a_chosen_order(worker, regions):
    for i in range(5):
        make_household(worker, regions["village_a"], f"王{i}")
    flt = selectors.HouseholdFilter()
    seen, after = [], ""
    while True:
        rows, after = selectors.household_page(worker, flt, sort="head", after=after, size=2)
        seen += [h.head.name for h in rows]
        if not after:
            break
    assert seen == [f"王{i}" for i in range(5)]


def test_next_link_carries_the_sort_cursor(client, worker, regions):
    for i in range(52):
        make_household(worker, regions["village_a"], f"李{i:02d}")
    html = client.get(LIST, {"sort": "head"}).content.decode()
    match = re.search(r'href="\?sort=head&amp;after=([^"&]+)"[^>]*rel="next"', html)
    assert match, html[-2000:]
    second = client.get(LIST + "?sort=head&after=" + match.group(1).replace("&amp;", "&")).content.decode()
    assert len(shown(second)) == 2 and "李50" in second and "李51" in second


def test_township_filter(client, worker, spread, regions):
    html = client.get(LIST, {"township": regions["township_a"].code}).content.decode()
    assert sorted(shown(html)) == sorted([spread["甲"].pk, spread["乙"].pk])
    assert "共 2 户" in html
    # a village code in the township field filters to nothing (never to everything)
    assert shown(client.get(LIST, {"township": regions["village_a"].code}).content.decode()) == []
