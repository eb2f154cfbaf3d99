"""Reads of the registry, always given the viewer and always scoped (accounts.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Right

from bangfu.accounts.access import household_by_id
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number
from bangfu.regions.codes import TOWNSHIP, RegionCode

from . import choices as c
from .models import Classification, Household, Person

PAGE_SIZE = 50


@dataclass(frozen=True)
class HouseholdFilter:
    q: str = ""  # a name, a full ID number, or its last digits
    village: str = ""  # 12-digit code of a village (or township / county prefix region)
    township: str = ""  # 12-digit code of a township
    category: str = ""
    status: str = c.HouseholdStatus.ACTIVE


def household_queryset(viewer) -> QuerySet[Household]:
    return Household.objects.visible_to(viewer, households=True)


def household_search(viewer, flt: HouseholdFilter) -> QuerySet[Household]:
    """Households matching the filter, newest first. Each condition uses an index range on
    region_code, so the list stays fast on a province (see benchmarks/registry.py)."""
    qs = household_queryset(viewer)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.village:
        code = flt.village.strip()
        if code.isdigit() and len(code) in (6, 9, 12):
            # RegionCode takes the prefix from the code's level: stripping trailing zeros would
            # turn township 340102010000 into "34010201" and take in townships 011–019 as well.
            qs = qs.within(code)
        else:
            qs = qs.none()
    if flt.township:
        code = flt.township.strip()
        qs = qs.within(code) if code.isdigit() and len(code) == 12 and RegionCode(code).level == TOWNSHIP else qs.none()
    if flt.category:
        qs = qs.filter(Exists(Classification.objects.filter(household=OuterRef("pk"), kind=c.ClassificationKind.CATEGORY, code=flt.category, end_date__isnull=True)))
    q = flt.q.strip()
    if q:
        people = Person.objects.visible_to(viewer, households=True)
        if len(q) in (15, 18) and q[:-1].isdigit():
            try:
                number = parse_id_number(q).number
            except InvalidIdNumber:
                number = q.upper()
            people = people.filter(id_number=number)
        elif len(q) >= 4 and (q.isdigit() or (q[:-1].isdigit() and q[-1:].upper() == "X")):
            # the expression index person_id_tail narrows to the last four, endswith does the rest
            people = people.annotate(id_tail=Right("id_number", 4)).filter(id_tail=q[-4:].upper(), id_number__endswith=q.upper())
        else:
            people = people.filter(name__startswith=q)
        qs = qs.filter(pk__in=people.values("household_id"))
    return qs.order_by("-pk")


# The list's sort orders: (the column, descending?) with the household number as the tie-breaker in
# the same direction, so that (key, pk) is a total order the keyset pages on.
SORTS: dict[str, tuple[str, bool]] = {
    "": ("pk", True),  # household number, newest first (the default)
    "number": ("pk", False),
    "head": ("sort_head", False),
    "village": ("region_code", False),
    "updated": ("updated_at", True),
}
COUNT_CAP = 1000  # the list counts up to this many households; past it, "超过 1000 户"


def household_count(viewer, flt: HouseholdFilter, *, cap: int = COUNT_CAP) -> int:
    """How many households match, counted no further than `cap` + 1 (a LIMIT inside the COUNT): the
    answer is exact below the cap and "more than cap" above it, at the cost of reading cap rows."""
    return household_search(viewer, flt).order_by()[: cap + 1].count()


def _cursor_value(row, key: str):
    return row.pk if key == "pk" else getattr(row, key)


def encode_cursor(row, sort: str) -> str:
    key, _desc = SORTS[sort]
    value = _cursor_value(row, key)
    if key == "pk":
        return str(row.pk)
    if key == "updated_at":
        value = value.isoformat()
    return f"{value}~{row.pk}"


def _decode_cursor(raw: str, sort: str):
    import datetime as dt

    key, _desc = SORTS[sort]
    if key == "pk":
        return (int(raw), int(raw)) if raw.isdigit() else None
    value, sep, pk = raw.rpartition("~")
    if not sep or not pk.isdigit():
        return None
    if key == "updated_at":
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return value, int(pk)


def household_page(viewer, flt: HouseholdFilter, *, before: int | None = None, size: int = PAGE_SIZE, sort: str = "",
                   after: str = ""):
    """Keyset paging: rows after the cursor in the chosen order (default: pk < before, newest first).
    Returns (rows, next cursor): `next_before` (a household number) for the default order, else
    "value~pk" for `after`.

    Keyset rather than OFFSET/COUNT: a count over a million rows costs more than the page itself."""
    sort = sort if sort in SORTS else ""
    key, desc = SORTS[sort]
    qs = household_search(viewer, flt)
    if key == "sort_head":
        qs = qs.annotate(sort_head=Coalesce("head__name", Value("")))
    cursor = (before, before) if before and key == "pk" and desc else (_decode_cursor(after, sort) if after else None)
    if cursor is not None:
        value, pk = cursor
        if key == "pk":
            qs = qs.filter(pk__lt=pk) if desc else qs.filter(pk__gt=pk)
        elif desc:
            qs = qs.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))
        else:
            qs = qs.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
    order = [f"-{key}", "-pk"] if desc else [key, "pk"]
    if key == "pk":
        order = order[:1]
    rows = list(qs.order_by(*order).select_related("head", "region").prefetch_related(
        Prefetch("classifications", queryset=Classification.objects.filter(kind=c.ClassificationKind.CATEGORY, end_date__isnull=True))
    )[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not more:
        return rows, None
    return rows, (rows[-1].pk if key == "pk" and desc else encode_cursor(rows[-1], sort))


def household_get(viewer, household_id) -> Household:
    return household_by_id(viewer, Household.objects.select_related("region", "head"), household_id)


def person_get(viewer, person_id) -> Person:
    return household_by_id(viewer, Person.objects.select_related("household"), person_id)


def household_members(household: Household) -> list[Person]:
    return list(household.members.order_by("pk"))


def member_counts(household_ids: list[int]) -> dict[int, int]:
    """Current members per household, for a whole page in one query."""
    rows = (Person.objects.filter(household_id__in=household_ids, status=c.PersonStatus.ACTIVE)
            .values("household_id").annotate(n=Count("pk")).values_list("household_id", "n"))
    return dict(rows)
