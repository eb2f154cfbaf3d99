"""The rescue API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu.common.errors import DomainError
from bangfu.rescue.errors import RescueError

pytestmark = pytest.mark.django_db


def test_without_the_right_is_403(client, users):
    client.force_login(users["village_a"])
    response = client.get("/api/rescue/stays")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}


def test_rescue_error_keeps_its_text():
    error = RescueError({"station": "请选择救助站"})
    assert isinstance(error, DomainError) and error.code == "invalid" and error.field == "station"
    assert error.errors == {"station": ["请选择救助站"]} and str(error) == "station: 请选择救助站"
