"""Reads of the registry, always given the viewer and always scoped (accounts.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Right

from bangfu.accounts.access import household_by_id
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number

from . import choices as c
from .models import Classification, Household, Person

PAGE_SIZE = 50


@dataclass(frozen=True)
class HouseholdFilter:
    q: str = ""  # a name, a full ID number, or its last digits
    village: str = ""  # 12-digit code of a village (or township / county prefix region)
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


def household_page(viewer, flt: HouseholdFilter, *, before: int | None = None, size: int = PAGE_SIZE):
    """Keyset paging: rows with pk < before, newest first. Returns (rows, next_before).

    Keyset rather than OFFSET/COUNT: a count over a million rows costs more than the page itself."""
    qs = household_search(viewer, flt)
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.select_related("head", "region").prefetch_related(
        Prefetch("classifications", queryset=Classification.objects.filter(kind=c.ClassificationKind.CATEGORY, end_date__isnull=True))
    )[: size + 1])
    next_before = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], next_before


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


# ----------------------------------------------------------------------------- pickers (issue 17)

PICK_LIMIT = 20


def _id_tail(q: str) -> str | None:
    """The ID-number tail a search means (4 to 18 digits, an X last allowed), or None."""
    q = q.upper()
    if len(q) >= 4 and (q.isdigit() or (q[:-1].isdigit() and q.endswith("X"))):
        return q
    return None


def _people_matching(people: QuerySet[Person], q: str, *, or_pk: bool = False) -> QuerySet[Person]:
    """Persons whose name starts with q or whose ID number ends with it, each through an index
    (person_region_name or the name index for the name, person_id_tail for the tail); `or_pk`:
    a number may also be the person's own number."""
    tail = _id_tail(q)
    if tail:
        cond = Q(id_tail=tail[-4:], id_number__endswith=tail)
        if or_pk and q.isdigit() and len(q) <= 18:
            cond |= Q(pk=int(q))
        return people.alias(id_tail=Right("id_number", 4)).filter(cond)
    if or_pk and q.isdigit():
        return people.filter(pk=int(q))
    return people.filter(name__startswith=q)


def household_pick(viewer, q: str, *, limit: int = PICK_LIMIT) -> tuple[list[tuple[Household, Person | None]], bool]:
    """Households for a picker: by household number, by any member's name prefix (the head's
    among them) or ID-number tail; scoped as every read. Returns ([(household, matched member)],
    more) with at most `limit` rows, the household number's own match first."""
    q = q.strip()
    if not q:
        return [], False
    found: dict[int, Person | None] = {}
    if q.isdigit() and len(q) <= 18:
        exact = household_queryset(viewer).filter(pk=int(q)).values_list("pk", flat=True).first()
        if exact:
            found[exact] = None
    people = _people_matching(Person.objects.visible_to(viewer, households=True).filter(household__isnull=False), q)
    for person in people.only("pk", "name", "household_id", "id_number")[: limit + 1]:
        found.setdefault(person.household_id, person)
    households = {h.pk: h for h in household_queryset(viewer).filter(pk__in=list(found)).select_related("head", "region")}
    rows = [(households[pk], found[pk]) for pk in found if pk in households]
    return rows[:limit], len(rows) > limit


def person_pick(viewer, q: str, *, household_id: int | None = None, limit: int = PICK_LIMIT) -> tuple[list[Person], bool]:
    """Persons for a picker: the members of `household_id` (all of them for an empty q), or
    anyone in scope by name prefix or ID-number tail. A household the viewer may not see gives
    nothing, as one that does not exist."""
    q = q.strip()
    people = Person.objects.visible_to(viewer, households=True).filter(status=c.PersonStatus.ACTIVE)
    if household_id is not None:
        people = people.filter(household_id=household_id)
    elif not q:
        return [], False
    if q:  # a member number as the household page shows it, a name, or an ID tail
        people = _people_matching(people, q, or_pk=True)
    rows = list(people.select_related("household__head")[: limit + 1])
    rows.sort(key=lambda p: (p.relation != c.Relation.HEAD, p.pk) if household_id is not None else (p.name, p.pk))
    return rows[:limit], len(rows) > limit
