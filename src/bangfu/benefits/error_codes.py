"""Codes of benefit errors (BenefitError.code). A code names the kind of refusal for
programs (the API's `code`); the message says it to people. As Saleor's `error_codes.py`."""

from __future__ import annotations

from enum import Enum


class BenefitErrorCode(str, Enum):
    INVALID = "invalid"
