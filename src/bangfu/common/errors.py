"""One shape for a refused domain operation (issue 11 "one error shape").

Every app's error class (RegistryError, CaseError, BenefitError, …) is a `DomainError`: a
`code` (a value of the app's `error_codes.py` enum, as in Saleor), a translated `message`, the
`field` it is about (None for the whole request), optional `params` for the message, and
`errors`, the messages keyed by field that forms and imports show. The API turns it into one
JSON schema (`ErrorOut`, handler in api_urls.py); pages show `message` or `errors` as before.

`common` imports no app: the codes that mean something to HTTP are here, the rest per app.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

ALL = "__all__"  # the key of messages about the whole request, as in Django forms


class CommonErrorCode(str, Enum):
    """Codes every app may use; the API maps these (but `invalid`) to their own HTTP status."""

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    STALE = "stale"  # a write against an older version of the record: also a conflict (409)
    RATE_LIMITED = "rate_limited"


# HTTP status of a code; any other code is a refused request (400).
HTTP_STATUS = {
    CommonErrorCode.FORBIDDEN.value: 403,
    CommonErrorCode.NOT_FOUND.value: 404,
    CommonErrorCode.CONFLICT.value: 409,
    CommonErrorCode.STALE.value: 409,
    CommonErrorCode.RATE_LIMITED.value: 429,
}


def _code_text(code: Any) -> str:
    return str(code.value) if isinstance(code, Enum) else str(code)


def _as_errors(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    return {str(k): [str(m) for m in v] if isinstance(v, (list, tuple)) else [str(v)] for k, v in errors.items()}


class DomainError(Exception):
    """A refused domain operation.

    `DomainError(message)` or `DomainError({field: [messages]})`; `code` defaults to the class's
    `default_code`. `str()` is the message (subclasses may keep an older text via `text`).
    """

    default_code: Any = CommonErrorCode.INVALID

    def __init__(self, message: str | Mapping[str, Any] = "", *, code: Any = None, field: str | None = None,
                 params: Mapping[str, Any] | None = None, text: str | None = None):
        if isinstance(message, Mapping):
            errors = _as_errors(message) or {ALL: [""]}
            fields = [k for k in errors if k != ALL]
            if field is None and len(errors) == 1 and fields:
                field = fields[0]
            message = " ".join(m for msgs in errors.values() for m in msgs)
        else:
            message = str(message)
            errors = {field or ALL: [message]}
        self.code: str = _code_text(code if code is not None else self.default_code)
        self.message: str = message
        self.field: str | None = field
        self.params: dict[str, Any] = dict(params or {})
        self.errors: dict[str, list[str]] = errors
        super().__init__(message if text is None else text)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def as_dict(self) -> dict[str, Any]:
        """The API error schema (`ErrorOut`)."""
        errors = {k: v for k, v in self.errors.items() if k != ALL or len(self.errors) > 1}
        return {"code": self.code, "message": self.message, "field": self.field, "errors": errors}


def error_body(*, code: Any, message: Any, field: str | None = None,
               errors: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The same schema for errors that are not DomainErrors (403, 404, validation). `field` is
    the one field `errors` names, when it names only one."""
    errors = _as_errors(errors or {})
    if field is None and len(errors) == 1 and ALL not in errors:
        field = next(iter(errors))
    return {"code": _code_text(code), "message": str(message), "field": field, "errors": errors}
