"""Errors of registry services. Each carries Chinese messages keyed by field, for forms and imports."""

from __future__ import annotations

from bangfu.common.errors import DomainError

from .error_codes import RegistryErrorCode


class RegistryError(DomainError):
    default_code = RegistryErrorCode.INVALID

    def __init__(self, errors: dict[str, list[str]] | str, *, code=None):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        super().__init__(errors, code=code, text="; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class DuplicatePerson(RegistryError):
    """The ID number is already registered. The message never says where, unless the viewer may see it."""

    default_code = RegistryErrorCode.DUPLICATE_PERSON
