"""Issue 13: the outreach quarter parameter (API `quarter`, page `q`) of year 1 or 9999 was a 500
(the quarter's bounds overflow). The API answers 400 in the error body; the page shows this
quarter with a message."""

from __future__ import annotations

import pytest

from bangfu_testing.api import api_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_api_refuses_an_implausible_quarter(client, users, day):
    body = api_error(client, users["county"], "/api/outreach/overdue", status=400, data={"quarter": day})
    assert body["code"] == "invalid" and body["field"] == "quarter"
    assert body["errors"]["quarter"] == [f"日期 {day} 超出范围，应在 1900-01-01 至 2099-12-31 之间"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "not-a-date"])
def test_the_page_shows_this_quarter_and_says_why(client, users, day):
    client.force_login(users["county"])
    response = client.get("/outreach/overdue/", {"q": day})
    assert response.status_code == 200
    assert f"季度“{day}”无效，显示本季度" in response.content.decode()


# Found by the API fuzz test after the merge: a plausible date before the visit rule took effect
# (no national default, no regional row: 2000-01-07) was a 500 (ParameterMissing) on both.
def test_the_api_refuses_a_quarter_before_the_visit_rule(client, users):
    body = api_error(client, users["county"], "/api/outreach/overdue", status=400, data={"quarter": "2000-01-07"})
    assert body["field"] == "quarter"
    assert body["errors"]["quarter"] == ["2000年第1季度还没有走访次数的规定，无法统计是否达标"]


def test_the_page_shows_this_quarter_for_a_quarter_before_the_visit_rule(client, users):
    client.force_login(users["county"])
    response = client.get("/outreach/overdue/", {"q": "2000-01-07"})
    assert response.status_code == 200
    assert "2000年第1季度还没有走访次数的规定，显示本季度" in response.content.decode()
    summary = client.get("/outreach/overdue/", {"q": "2000-01-07", "part": "summary"})
    assert summary.status_code == 200
