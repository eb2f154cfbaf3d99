"""Policy API (django-ninja, mounted at /api/ with session auth and CSRF like the registry API).

`POST /api/assess` judges household JSON documents (docs/policy.md, "家庭 JSON 格式") with the
parameters in force (`current.current_parameter_set`, cached between requests) and answers the
determination as JSON — the same as `bangfu assess`. It reads no stored personal data, so any
logged-in user may call it; the documents are neither stored nor logged.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from bangfu.common.api_errors import ErrorOut
from bangfu.common.dates import day_problem
from bangfu.common.errors import error_body

from .current import current_parameter_set
from .engine import DocumentError, SchemaError, assess_documents
from .error_codes import PolicyErrorCode
from .parameters import ParameterError

router = Router(tags=["policy"])

MAX_HOUSEHOLDS = 1000  # one request; a region is judged by `bangfu reassess`, not through the API

ASSESS_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "description": "一户的家庭文档（对象）、多户的列表，或 {\"on\": \"YYYY-MM-DD\", \"households\": [...]}；格式见 docs/policy.md“家庭 JSON 格式”",
        "oneOf": [
            {"type": "object", "title": "一户"},
            {"type": "array", "items": {"type": "object"}, "title": "多户"},
            {"type": "object", "title": "带评估日期", "properties": {
                "on": {"type": "string", "format": "date"}, "households": {"type": "array", "items": {"type": "object"}}}},
        ],
    }}},
}


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _refuse(errors: dict[str, list[str]]) -> JsonResponse:
    return _json(error_body(code=PolicyErrorCode.INVALID, message=_("家庭文档有误，未作测评"), errors=errors), status=422)


def _document_errors(exc: DocumentError) -> dict[str, list[str]]:
    """"第1户.members[0].sex：“X”不是有效代码" → {"第1户.members[0].sex": ["“X”不是有效代码"]}."""
    errors: dict[str, list[str]] = {}
    for path, text in exc.by_path:
        errors.setdefault(path or "__all__", []).append(text)
    return errors


def _parse_on(raw: Any) -> dt.date | None:
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


@router.post(
    "/assess", summary="按家庭 JSON 文档测评低保、特困、临时救助、四类特殊困难对象（不读取、不保存登记数据）",
    response={422: ErrorOut, 503: ErrorOut}, openapi_extra={"requestBody": ASSESS_BODY},
)
def assess(request: HttpRequest, on: dt.date | None = None, reasons: bool = True):
    """`on`: the assessment date (query string, or the `on` field of an envelope; default today).
    `reasons=false` leaves out the reason sentences (faster). Answers one object for one document,
    a list for a list; bad input answers 422 with Chinese messages keyed by the field's path."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _refuse({"__all__": [_("请求内容不是有效的 JSON")]})
    except RecursionError:  # thousands of nested brackets: Python's parser gives up
        return _refuse({"__all__": [_("请求内容嵌套层数过多，不是家庭文档")]})
    single = isinstance(body, dict) and "households" not in body
    if isinstance(body, dict) and "households" in body:
        extra = sorted(set(body) - {"on", "households"})
        if extra:
            return _refuse({"__all__": [_("未知字段 %(fields)s") % {"fields": ", ".join(extra)}]})
        if body.get("on") is not None:
            field_on = _parse_on(body["on"])
            if field_on is None:
                return _refuse({"on": [_("日期格式应为 YYYY-MM-DD")]})
            if on is not None and on != field_on:
                return _refuse({"on": [_("查询参数与请求内容中的评估日期不一致")]})
            on = field_on
        body = body["households"]
    docs = [body] if single else body
    if not isinstance(docs, list) or not docs:
        return _refuse({"__all__": [_("请求应为一户的家庭文档或家庭文档列表")]})
    if len(docs) > MAX_HOUSEHOLDS:
        return _refuse({"__all__": [_("一次最多测评 %(n)s 户") % {"n": MAX_HOUSEHOLDS}]})
    day = on or timezone.localdate()
    if day_problem(day):  # e.g. 9999-12-31: the engine's date arithmetic would overflow
        return _refuse({"on": [day_problem(day)]})
    try:
        params = current_parameter_set()
    except ParameterError as exc:  # stored rows the engine cannot use: not the caller's fault
        return _json(error_body(code=PolicyErrorCode.PARAMETERS_INVALID,
                                message=_("政策参数设置有误，暂不能测评：%(reason)s") % {"reason": exc}), status=503)
    try:
        result = assess_documents(docs, day, params, explain=reasons)
    except DocumentError as exc:
        return _refuse(_document_errors(exc))
    except SchemaError as exc:
        return _refuse({"__all__": [str(exc)]})
    except ParameterError as exc:  # e.g. a date before any value is in force
        return _refuse({"on": [str(exc)]})
    return _json(result[0] if single else result)
