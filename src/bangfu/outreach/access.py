"""Who sees which outreach rows. Built on accounts.access (the one place of region scoping):
a worker sees the rows of their region subtree; a helper (role "helper") sees, within that, only
the pairings they belong to and what hangs off them. Anything else answers "not found".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bangfu.accounts.access import NotFound
from bangfu.accounts.choices import Role
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import bound_region, within_q

from .models import Helper, Pairing, Visit


def is_helper(viewer) -> bool:
    return getattr(viewer, "role", None) == Role.HELPER


def helper_of(viewer) -> Helper | None:
    if not is_helper(viewer):
        return None
    return Helper.objects.filter(user=viewer, active=True).first()


def pairing_queryset(viewer) -> QuerySet[Pairing]:
    qs = Pairing.objects.visible_to(viewer)
    if is_helper(viewer):
        qs = qs.filter(links__helper__user=viewer)
    return qs


def visit_queryset(viewer) -> QuerySet[Visit]:
    qs = Visit.objects.visible_to(viewer)
    if is_helper(viewer):
        qs = qs.filter(pairing__links__helper__user=viewer)
    return qs


def scoped(viewer, queryset: QuerySet, *, helper_path: str | None = None) -> QuerySet:
    """Scope a queryset of rows with a region_code; for a helper, also require `helper_path`
    (e.g. "visit__pairing__links__helper__user") to lead to them, or nothing when None."""
    qs = queryset.visible_to(viewer)
    if is_helper(viewer):
        qs = qs.filter(**{helper_path: viewer}) if helper_path else qs.none()
    return qs


def get(viewer, queryset: QuerySet, pk, *, helper_path: str | None = None):
    try:
        allowed = scoped(viewer, queryset.model.objects.all(), helper_path=helper_path).filter(pk=pk).values("pk")
        # the outer query keeps the caller's select_for_update (PostgreSQL refuses it with DISTINCT)
        return queryset.filter(pk__in=allowed).get()
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def ancestor_codes(code12: str) -> list[str]:
    """12-digit codes of the regions above `code12` (township, county, city, province)."""
    return [a.code for a in reversed(RegionCode(code12).ancestors)]


def helper_queryset(viewer) -> QuerySet[Helper]:
    """Helpers a worker may pair and list: those of their subtree, and those of the regions above
    (a county cadre pairs with a village household). A helper sees only themself."""
    if is_helper(viewer):
        return Helper.objects.filter(user=viewer)
    region = bound_region(viewer)
    if region is None:
        return Helper.objects.none()
    return Helper.objects.filter(within_q(region) | Q(region_code__in=ancestor_codes(region.code)))
