"""Region scoping for the viewer (issue 2 §3, issue 11).

Lists are scoped with the one queryset method, `Model.objects.visible_to(user)` (and
`.within(region)`), from regions.scoping; this module holds what is built on it: the Zulip-style
lookups by id, where a record outside the viewer's subtree answers exactly as one that does not
exist, and the point check `in_scope`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bangfu.regions.scoping import bound_region, visible


class NotFound(Http404):
    """Raised for "does not exist" and for "not yours" alike."""

    def __init__(self) -> None:
        super().__init__("记录不存在")


def in_scope(viewer, region_code: str) -> bool:
    region = bound_region(viewer)
    return region is not None and region.contains(region_code)


def may_read_households(viewer) -> bool:
    from .permissions import has_perm

    return has_perm(viewer, "view_households")  # registry.permissions.VIEW_HOUSEHOLDS


def household_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code"):
    """`access_by_id` for the household registry and what is read off it: rescue station staff
    and outreach helpers, whose accounts cover a region for their own app's work, read no
    households through it (`visible_to(..., households=True)`)."""
    return access_by_id(viewer, queryset, pk, field=field, households=True)


def access_by_id(viewer, queryset: QuerySet, pk, *, field: str = "region_code", households: bool = False):
    """The row `pk` of `queryset` if the viewer may see it (`visible_to`); NotFound alike for a
    row that does not exist and one that is not the viewer's."""
    try:
        return visible(queryset, viewer, field=field, households=households).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
