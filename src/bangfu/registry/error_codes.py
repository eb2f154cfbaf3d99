"""Codes of registry errors (RegistryError.code). A code names the kind of refusal for
programs (the API's `code`); the message says it to people. As Saleor's `error_codes.py`."""

from __future__ import annotations

from enum import Enum


class RegistryErrorCode(str, Enum):
    INVALID = "invalid"
    DUPLICATE_PERSON = "duplicate_person"
    FILE_INVALID = "file_invalid"
    CONFLICT = "conflict"
