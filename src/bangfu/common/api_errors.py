"""One error schema for the whole API (issue 11 "one API error schema").

Every error the API answers has the body of `ErrorOut`: `code` (a DomainError code, or one of
common.errors.CommonErrorCode for the errors that are not domain errors), a translated `message`,
the `field` it is about when it is about one, and `errors`, the messages keyed by field (a
validation error or a form-like refusal names several). `install(api)` registers the handlers on
the project's NinjaAPI (api_urls.py); endpoints declare `ErrorOut` in their OpenAPI responses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError

from .errors import CommonErrorCode, DomainError, error_body


class ErrorOut(Schema):
    code: str = Field(description="错误代码，如 invalid、forbidden、not_found、stale，或各模块自己的代码")
    message: str = Field(description="一句话说明，供用户阅读")
    field: str | None = Field(None, description="出错的字段（整个请求有误时为空）")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="按字段列出的错误，如 members.1.id_number")


# For endpoints: `response={200: Out, **ERRORS}` (or a subset) documents the error body.
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

_CODE_OF_STATUS = {401: "unauthenticated", 403: CommonErrorCode.FORBIDDEN, 404: CommonErrorCode.NOT_FOUND,
                   409: CommonErrorCode.CONFLICT, 429: CommonErrorCode.RATE_LIMITED}


def error_response(body: dict[str, Any], status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def domain_error(request: HttpRequest, exc: DomainError) -> JsonResponse:
    """A refused operation: 400, or 403/404/409/429 by its code (common.errors.HTTP_STATUS)."""
    return error_response(exc.as_dict(), exc.http_status)


def permission_denied(request: HttpRequest, exc: PermissionDenied) -> JsonResponse:
    return error_response(error_body(code=CommonErrorCode.FORBIDDEN, message=str(exc) or _("您没有执行此操作的权限")), 403)


def not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    """Http404 (and accounts.access.NotFound: "does not exist" and "not yours" alike)."""
    return error_response(error_body(code=CommonErrorCode.NOT_FOUND, message=_("记录不存在")), 404)


def http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    status = exc.status_code
    message = str(exc.message)
    if isinstance(exc, AuthenticationError) or status == 401:
        message = _("请先登录")
    elif status == 403 and message in ("", "Forbidden"):  # ninja's AuthorizationError default
        message = _("您没有执行此操作的权限")
    return error_response(error_body(code=_CODE_OF_STATUS.get(status, CommonErrorCode.INVALID), message=message), status)


def bad_request(request: HttpRequest, exc: Exception) -> JsonResponse:
    """A body Django will not read (issue 13): over DATA_UPLOAD_MAX_MEMORY_SIZE (413), a multipart
    body without a boundary, too many fields (400). Django answers these with its HTML page; the
    API answers in its schema."""
    if isinstance(exc, RequestDataTooBig):
        return error_response(error_body(code=CommonErrorCode.INVALID, message=_("请求内容过大")), 413)
    return error_response(error_body(code=CommonErrorCode.INVALID, message=_("请求内容格式有误，无法读取")), 400)


def install(api) -> None:
    """Register the handlers; the validation handler stays the caller's (it knows the fields)."""
    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(SuspiciousOperation, bad_request)
    api.add_exception_handler(MultiPartParserError, bad_request)
