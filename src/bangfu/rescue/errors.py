"""Errors of rescue services: Chinese messages keyed by field, for forms and the API."""

from __future__ import annotations

from bangfu.common.errors import DomainError

from .error_codes import RescueErrorCode


class RescueError(DomainError):
    default_code = RescueErrorCode.INVALID

    def __init__(self, errors: dict[str, list[str]] | dict[str, str] | str, *, code=None):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        errors = {k: (v if isinstance(v, list) else [v]) for k, v in errors.items()}
        super().__init__(errors, code=code, text="; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
