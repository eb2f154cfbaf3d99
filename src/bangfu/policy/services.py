"""Writes for the policy app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .models import ParameterValue
from .parameters import ParameterError, default_parameter_set, merge_rows, region_prefix
from .parameters.codec import dump_value
from .selectors import ROW_FIELDS


@transaction.atomic
def parameter_value_create(*, acting_user, name: str, region_code: str, valid_from: dt.date, valid_to: dt.date | None,
                           value: Any, citation_document: str, citation_article: str = "", note: str = "") -> ParameterValue:
    """Set a parameter for a region from a date (R13 standards, county values, …).

    The value is validated against the parameter's kind and the new row must not overlap another
    row of the same parameter and region; raises `ParameterError` (Chinese message) otherwise.
    History is kept by django-simple-history with `acting_user` as author.
    """
    base = default_parameter_set()
    definition = base.definition(name)
    prefix = region_prefix(region_code)
    stored = dump_value(definition.kind, definition.parse(value))
    row = {"name": name, "region_code": prefix.ljust(12, "0"), "valid_from": valid_from, "valid_to": valid_to,
           "value": stored, "citation_document": citation_document, "citation_article": citation_article}
    if not citation_document.strip():
        raise ParameterError(f"参数 {name}：请填写依据文件")
    existing = list(ParameterValue.objects.select_for_update().filter(name=name).values(*ROW_FIELDS))
    merge_rows(base, existing + [row])  # raises on overlap or bad values
    obj = ParameterValue(**row, note=note, created_by=acting_user)
    obj._history_user = acting_user
    obj.save()
    return obj
