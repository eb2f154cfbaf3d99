"""The matching API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu_testing.api import FORBIDDEN, api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.common.errors import DomainError
from bangfu.matching.reader import ListFileError
from bangfu.matching.services import MatchingError

pytestmark = pytest.mark.django_db


def test_decision_without_the_right_is_403(client, users):
    body = api_error(client, users["partner"], "/api/matching/rows/1/decision", method="post", data={"decision": "accept"}, status=403)
    assert body == FORBIDDEN


def test_unknown_row_is_404(client, users):
    body = api_error(client, users["village_a"], "/api/matching/rows/999999/decision", method="post", data={"decision": "accept"},
                     status=404)
    assert body["code"] == "not_found"


def test_a_bad_decision_names_the_field(client, users):
    body = api_error(client, users["village_a"], "/api/matching/rows/1/decision", method="post", data={"decision": "maybe"}, status=422)
    assert body["field"] == "decision"


def test_matching_error_codes():
    assert MatchingError("x").code == "invalid" and isinstance(MatchingError("x"), DomainError)
    assert ListFileError("文件为空").code == "file_invalid"


def test_refusals_answer_in_english(client, users):
    body = api_error(client, users["partner"], "/api/matching/rows/1/decision", method="post", data={"decision": "accept"},
                     status=403, language="en")
    assert body["code"] == "forbidden"
    assert_no_cjk(body["message"])
