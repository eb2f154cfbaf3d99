"""The rescue API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu_testing.api import FORBIDDEN, api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.common.errors import DomainError
from bangfu.rescue.errors import RescueError

pytestmark = pytest.mark.django_db


def test_without_the_right_is_403(client, users):
    assert api_error(client, users["village_a"], "/api/rescue/stays", status=403) == FORBIDDEN


def test_rescue_error_keeps_its_text():
    error = RescueError({"station": "请选择救助站"})
    assert isinstance(error, DomainError) and error.code == "invalid" and error.field == "station"
    assert error.errors == {"station": ["请选择救助站"]} and str(error) == "station: 请选择救助站"


def test_refusals_answer_in_english(client, users):
    body = api_error(client, users["village_a"], "/api/rescue/stays", status=403, language="en")
    assert body["code"] == "forbidden"
    assert_no_cjk(body["message"])
