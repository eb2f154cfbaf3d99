"""The matching API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu.common.errors import DomainError
from bangfu.matching.reader import ListFileError
from bangfu.matching.services import MatchingError

pytestmark = pytest.mark.django_db


def test_decision_without_the_right_is_403(client, users):
    client.force_login(users["partner"])
    response = client.post("/api/matching/rows/1/decision", {"decision": "accept"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}


def test_unknown_row_is_404(client, users):
    client.force_login(users["village_a"])
    response = client.post("/api/matching/rows/999999/decision", {"decision": "accept"}, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_bad_decision_names_the_field(client, users):
    client.force_login(users["village_a"])
    response = client.post("/api/matching/rows/1/decision", {"decision": "maybe"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "decision"


def test_matching_error_codes():
    assert MatchingError("x").code == "invalid" and isinstance(MatchingError("x"), DomainError)
    assert ListFileError("文件为空").code == "file_invalid"
