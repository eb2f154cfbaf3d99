"""common.errors.DomainError: one shape (code, message, field, params, errors) for every app's
refusals, and the API body it gives."""

from __future__ import annotations

from enum import Enum

import pytest

from bangfu.common.errors import ALL, CommonErrorCode, DomainError, error_body


class ThingErrorCode(str, Enum):
    INVALID = "invalid"
    TOO_BIG = "too_big"


class ThingError(DomainError):
    default_code = ThingErrorCode.INVALID


def test_a_message_is_about_the_whole_request():
    error = ThingError("不能保存")
    assert (error.code, error.message, error.field, error.params) == ("invalid", "不能保存", None, {})
    assert error.errors == {ALL: ["不能保存"]} and str(error) == "不能保存"
    assert error.as_dict() == {"code": "invalid", "message": "不能保存", "field": None, "errors": {}}


def test_a_code_is_the_enum_value_and_a_field_is_kept():
    error = ThingError("太大", code=ThingErrorCode.TOO_BIG, field="size", params={"max": 3})
    assert error.code == "too_big" and error.field == "size" and error.params == {"max": 3}
    assert error.errors == {"size": ["太大"]}
    assert error.as_dict() == {"code": "too_big", "message": "太大", "field": "size", "errors": {"size": ["太大"]}}


def test_messages_keyed_by_field():
    one = ThingError({"name": ["请填写姓名"]})
    assert one.field == "name" and one.message == "请填写姓名"
    two = ThingError({"name": ["请填写姓名"], "__all__": "已存在"})
    assert two.field is None and two.message == "请填写姓名 已存在"
    assert two.errors == {"name": ["请填写姓名"], ALL: ["已存在"]}
    assert two.as_dict()["errors"] == two.errors


def test_text_keeps_an_older_str():
    assert str(ThingError({"a": ["x"]}, text="a: x")) == "a: x"


@pytest.mark.parametrize(("code", "status"), [
    (CommonErrorCode.INVALID, 400), ("too_big", 400), (CommonErrorCode.FORBIDDEN, 403), ("not_found", 404),
    ("conflict", 409), ("stale", 409), ("rate_limited", 429),
])
def test_http_status_by_code(code, status):
    assert ThingError("x", code=code).http_status == status


def test_error_body_is_the_same_schema():
    assert error_body(code=CommonErrorCode.NOT_FOUND, message="记录不存在") == {
        "code": "not_found", "message": "记录不存在", "field": None, "errors": {}}
    assert error_body(code="invalid", message="输入有误", errors={"day": ["日期格式"]})["field"] == "day"
