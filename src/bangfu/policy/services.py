"""Writes for the policy app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import ParameterValue
from .parameters import ParameterError, default_parameter_set, merge_rows, region_prefix
from .parameters.codec import dump_value
from .parameters.core import region_code_of
from .selectors import ROW_FIELDS


@transaction.atomic
def parameter_value_create(*, acting_user, name: str, region_code: str, valid_from: dt.date, valid_to: dt.date | None,
                           value: Any, citation_document: str, citation_article: str = "", note: str = "",
                           end_previous: bool = False) -> ParameterValue:
    """Set a parameter for a region from a date (R13 standards, county values, …).

    The value is validated against the parameter's kind and the new row must not overlap another
    row of the same parameter and region; raises `ParameterError` (Chinese message) otherwise.
    History is kept by django-simple-history with `acting_user` as author.

    With `end_previous`, a stored row of the same parameter and region that started earlier and
    is still in force on `valid_from` is ended on that day (its change is in the history too):
    a new standard "from 2026-07-01" then replaces the one set last year, as it already does for
    the shipped defaults. A row starting on or after `valid_from` is never touched.
    """
    base = default_parameter_set()
    definition = base.definition(name)
    prefix = region_prefix(region_code)
    stored = dump_value(definition.kind, definition.parse(value))
    row = {"name": name, "region_code": region_code_of(prefix), "valid_from": valid_from, "valid_to": valid_to,
           "value": stored, "citation_document": citation_document, "citation_article": citation_article}
    if not citation_document.strip():
        raise ParameterError(_("参数 %(name)s：请填写依据文件") % {"name": name}, field="citation_document")
    rows = list(ParameterValue.objects.select_for_update().filter(name=name).order_by("pk"))
    ended = []
    if end_previous:
        ended = [r for r in rows if r.region_code == row["region_code"] and r.valid_from < valid_from
                 and (r.valid_to is None or r.valid_to > valid_from)]
        for r in ended:
            r.valid_to = valid_from
    existing = [{f: getattr(r, f) for f in ROW_FIELDS} for r in rows]
    merge_rows(base, existing + [row])  # raises on overlap or bad values
    for r in ended:
        r._history_user = acting_user
        r.save(update_fields=["valid_to"])
    obj = ParameterValue(**row, note=note, created_by=acting_user)
    obj._history_user = acting_user
    obj.save()
    return obj


def benefit_change_mark_handled(*, change_id: int) -> int:
    """A change found by reassessment (BenefitChange) has been acted on: a case was opened for it
    or decided. The cases app calls this rather than writing the policy app's table."""
    from .models import BenefitChange

    return BenefitChange.objects.filter(pk=change_id).update(status=BenefitChange.Status.HANDLED)
