"""Issue 13 "Hardening": the household API answers every household, whatever rows it has."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.registry import services

pytestmark = pytest.mark.django_db


def test_a_household_with_a_category_row_is_answered(client, users, household_a):
    # a category row's label is a lazy translation: it reached Pydantic and the answer was a 500
    worker = users["village_a"]
    services.item_add(acting_user=worker, household_id=household_a.pk, kind="classification",
                      data={"kind": "category", "code": "dibao", "start_date": dt.date(2024, 1, 1)})
    services.item_add(acting_user=worker, household_id=household_a.pk, kind="classification",
                      data={"kind": "cause", "code": "illness", "start_date": dt.date(2024, 1, 1)})
    client.force_login(worker)
    response = client.get(f"/api/households/{household_a.pk}")
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["classifications"]
    assert [(r["kind"], r["code"], r["label"]) for r in rows] == [("category", "dibao", "低保"), ("cause", "illness", "因病")]
    english = client.get(f"/api/households/{household_a.pk}", HTTP_ACCEPT_LANGUAGE="en").json()["classifications"]
    assert english[0]["label"] != "低保"
