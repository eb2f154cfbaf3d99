"""Errors of rescue services: Chinese messages keyed by field, for forms and the API."""

from __future__ import annotations


class RescueError(Exception):
    def __init__(self, errors: dict[str, list[str]] | dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = {k: (v if isinstance(v, list) else [v]) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))
