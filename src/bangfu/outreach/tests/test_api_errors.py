"""The outreach API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu.common.errors import DomainError
from bangfu.outreach.services import OutreachError

pytestmark = pytest.mark.django_db


def test_without_the_right_is_403(client, users):
    client.force_login(users["partner"])
    response = client.get("/api/outreach/overdue")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}


def test_a_bad_date_names_the_field(client, users):
    client.force_login(users["village_a"])
    response = client.get("/api/outreach/overdue", {"quarter": "2025-13-01"})
    assert response.status_code == 422 and response.json()["field"] == "quarter"


def test_outreach_error_keeps_its_fields():
    error = OutreachError({"date": ["请填写走访日期"]})
    assert isinstance(error, DomainError) and error.code == "invalid" and error.field == "date"
    assert str(error) == "请填写走访日期" and error.errors == {"date": ["请填写走访日期"]}
