"""Codes of case errors (CaseError.code); forbidden → 403, stale → 409 in the API. A code names the kind of refusal for
programs (the API's `code`); the message says it to people. As Saleor's `error_codes.py`."""

from __future__ import annotations

from enum import Enum


class CaseErrorCode(str, Enum):
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    STALE = "stale"
    RATE_LIMITED = "rate_limited"
