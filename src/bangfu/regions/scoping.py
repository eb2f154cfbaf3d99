"""The one scoping method of querysets: `.within(region)` and `.visible_to(user)`.

Every model that carries a 12-digit `region_code` uses `RegionQuerySet.as_manager()` as its
`objects`, so a read is limited to a region with `Model.objects.within(region)` and to what a
worker may see with `Model.objects.visible_to(user)`. The range itself comes from
`codes.RegionCode`; nothing else builds one. `accounts.access` (the Zulip-style lookups by id)
is built on the same function.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Substr

from .codes import COUNTY, PREFIX_LENGTH, TOWNSHIP, RegionCode, bounds_of


def bound_region(viewer) -> RegionCode | None:
    """The region a worker's account is bound to, or None for nothing (anonymous, inactive or
    unbound accounts see no rows)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return None
    region = viewer.region
    return None if region is None else RegionCode(region.code)


def visible(queryset: models.QuerySet, viewer, *, field: str = "region_code", households: bool = False) -> models.QuerySet:
    """`queryset` limited to rows whose `field` lies in the viewer's subtree.

    `households=True` is for the household registry and what is read off it (benefits, cases):
    roles that work only in their own app (rescue station staff, outreach helpers) have accounts
    bound to a region but read no households through it (`User.reads_households`)."""
    region = bound_region(viewer)
    if region is None or (households and not getattr(viewer, "reads_households", False)):
        return queryset.none()
    return queryset.filter(within_q(region, field))


class RegionQuerySet(models.QuerySet):
    """Querysets of rows stamped with a region code (`region_field`, "region_code" by default)."""

    region_field = "region_code"

    def within(self, region: Any, *, field: str | None = None) -> RegionQuerySet:
        """Rows in the subtree of `region` (a Region, RegionCode or 6/9/12-digit code)."""
        return self.filter(within_q(region, field or self.region_field))

    def visible_to(self, viewer, *, field: str | None = None, households: bool = False) -> RegionQuerySet:
        """Rows the viewer may read: inside the region the account is bound to (none for an
        anonymous, inactive or unbound account); see `visible` for `households`."""
        return visible(self, viewer, field=field or self.region_field, households=households)


class RegionCodeQuerySet(RegionQuerySet):
    """For the Region table itself, whose code is in `code`."""

    region_field = "code"


# SQL helpers for code arithmetic: Django's, so they live here and not in codes.py, which the pure
# engine imports.
def within_q(region: Any, field: str = "region_code"):
    """A Q object for rows whose `field` lies in the region's subtree, for querysets that have no
    `.within()` (history tables, related lookups); prefer `queryset.within(region)`."""
    low, high = bounds_of(region)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def _ancestor_expr(field: str, level: int):
    length = PREFIX_LENGTH[level]
    return Concat(Substr(field, 1, length), Value("0" * (12 - length)), output_field=CharField(max_length=12))


def ancestor_expr(field: str, level: int):
    """SQL for the 12-digit code of the region of `level` a row's `field` lies in (group-by at any
    level: the statistics group a county's rows by township, a province's by city)."""
    return _ancestor_expr(field, level)


def township_expr(field: str = "region_code"):
    """SQL for the 12-digit code of the township a row's `field` lies in (for group-by-township)."""
    return _ancestor_expr(field, TOWNSHIP)


def county_expr(field: str = "region_code"):
    """SQL for the 12-digit code of the county a row's `field` lies in (for group-by-county)."""
    return _ancestor_expr(field, COUNTY)
