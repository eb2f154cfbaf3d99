"""The one place where region scoping lives (issue 2 §3).

Every page, export and API endpoint that reads people's data gets its queryset from here.
A record outside the viewer's subtree answers exactly as one that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404


class NotFound(Http404):
    """Raised for "does not exist" and for "not yours" alike."""

    def __init__(self) -> None:
        super().__init__("记录不存在")


def viewer_bounds(viewer) -> tuple[str, str] | None:
    """The inclusive code range the viewer may see, or None for nothing."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return None
    region = viewer.region
    if region is None:
        return None
    return region.bounds


def scope(viewer, queryset: QuerySet, *, field: str = "region_code") -> QuerySet:
    """Limit `queryset` to rows whose 12-digit region code lies in the viewer's subtree."""
    bounds = viewer_bounds(viewer)
    if bounds is None:
        return queryset.none()
    low, high = bounds
    return queryset.filter(**{f"{field}__gte": low, f"{field}__lte": high})


def in_scope(viewer, region_code: str) -> bool:
    bounds = viewer_bounds(viewer)
    return bounds is not None and bounds[0] <= region_code <= bounds[1]


def may_read_households(viewer) -> bool:
    from .permissions import has_perm

    return has_perm(viewer, "view_households")  # registry.permissions.VIEW_HOUSEHOLDS


def scope_households(viewer, queryset: QuerySet, *, field: str = "region_code") -> QuerySet:
    """`scope` for the household registry and what is read off it (benefits, cases): rescue
    station staff and outreach helpers, whose accounts cover a region for their own app's work,
    read no households through it."""
    if not may_read_households(viewer):
        return queryset.none()
    return scope(viewer, queryset, field=field)


def household_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code"):
    """`access_by_id` for the household registry and what is read off it."""
    if not may_read_households(viewer):
        raise NotFound()
    return access_by_id(viewer, queryset, pk, field=field)


def access_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code"):
    try:
        return scope(viewer, queryset, field=field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
