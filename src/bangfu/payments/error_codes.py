"""Codes of payment errors (PaymentError.code): the kind of refusal for programs (the API's
`code`); the message says it to people. As Saleor's `error_codes.py`."""

from __future__ import annotations

from enum import Enum


class PaymentErrorCode(str, Enum):
    INVALID = "invalid"
    ACCOUNT_INVALID = "account_invalid"
    WRONG_STATE = "wrong_state"
    SAME_PERSON = "same_person"  # the builder may not approve, nor release a flag on, their own payroll
    FLAGS_OPEN = "flags_open"
    CONFLICT = "conflict"
