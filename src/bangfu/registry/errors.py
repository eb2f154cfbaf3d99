"""Errors of registry services. Each carries Chinese messages keyed by field, for forms and imports."""

from __future__ import annotations


class RegistryError(Exception):
    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class DuplicatePerson(RegistryError):
    """The ID number is already registered. The message never says where, unless the viewer may see it."""
