"""The one place where region scoping lives (issue 2 §3).

Every page, export and API endpoint that reads people's data gets its queryset from here.
A record outside the viewer's subtree answers exactly as one that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bangfu.regions.scoping import bound_region, visible


class NotFound(Http404):
    """Raised for "does not exist" and for "not yours" alike."""

    def __init__(self) -> None:
        super().__init__("记录不存在")


def viewer_bounds(viewer) -> tuple[str, str] | None:
    """The inclusive code range the viewer may see, or None for nothing."""
    region = bound_region(viewer)
    return None if region is None else region.bounds


def scope(viewer, queryset: QuerySet, *, field: str = "region_code") -> QuerySet:
    """Limit `queryset` to rows whose 12-digit region code lies in the viewer's subtree
    (`queryset.visible_to(viewer)` for querysets without the region manager)."""
    return visible(queryset, viewer, field=field)


def in_scope(viewer, region_code: str) -> bool:
    region = bound_region(viewer)
    return region is not None and region.contains(region_code)


def may_read_households(viewer) -> bool:
    from .permissions import VIEW_HOUSEHOLDS, has_perm

    return has_perm(viewer, VIEW_HOUSEHOLDS)


def scope_households(viewer, queryset: QuerySet, *, field: str = "region_code") -> QuerySet:
    """`scope` for the household registry and what is read off it (benefits, cases): rescue
    station staff and outreach helpers, whose accounts cover a region for their own app's work,
    read no households through it."""
    return visible(queryset, viewer, field=field, households=True)


def household_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code"):
    """`access_by_id` for the household registry and what is read off it."""
    return access_by_id(viewer, queryset, pk, field=field, households=True)


def access_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code", households: bool = False):
    """The row `pk` of `queryset` if the viewer may see it (`visible_to`); NotFound alike for a
    row that does not exist and one that is not the viewer's."""
    try:
        return visible(queryset, viewer, field=field, households=households).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
