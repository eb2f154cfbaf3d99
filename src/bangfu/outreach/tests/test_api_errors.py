"""The outreach API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu_testing.api import FORBIDDEN, api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.common.errors import DomainError
from bangfu.outreach.services import OutreachError

pytestmark = pytest.mark.django_db


def test_without_the_right_is_403(client, users):
    assert api_error(client, users["partner"], "/api/outreach/overdue", status=403) == FORBIDDEN


def test_a_bad_date_names_the_field(client, users):
    assert api_error(client, users["village_a"], "/api/outreach/overdue", data={"quarter": "2025-13-01"}, status=422)["field"] == "quarter"


def test_outreach_error_keeps_its_fields():
    error = OutreachError({"date": ["请填写走访日期"]})
    assert isinstance(error, DomainError) and error.code == "invalid" and error.field == "date"
    assert str(error) == "请填写走访日期" and error.errors == {"date": ["请填写走访日期"]}


def test_refusals_answer_in_english(client, users):
    body = api_error(client, users["partner"], "/api/outreach/overdue", status=403, language="en")
    assert body["code"] == "forbidden"
    assert_no_cjk(body["message"])
