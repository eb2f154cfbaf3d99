"""Reads for the policy app: the parameter set in force = shipped YAML + administrators' rows."""

from __future__ import annotations

from .models import ParameterValue
from .parameters import ParameterSet, default_parameter_set, merge_rows

ROW_FIELDS = ("name", "region_code", "valid_from", "valid_to", "value", "citation_document", "citation_article")


def parameter_set(*, base: ParameterSet | None = None) -> ParameterSet:
    """The parameters the engine should use: the YAML defaults with every `ParameterValue` row
    layered over them (`parameters.merge_rows`). Raises `ParameterError` if the rows are invalid
    (unknown name, bad value, overlapping validity on one region)."""
    rows = list(ParameterValue.objects.order_by("name", "region_code", "valid_from").values(*ROW_FIELDS))
    return merge_rows(base or default_parameter_set(), rows)
