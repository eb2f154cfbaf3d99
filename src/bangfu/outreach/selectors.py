"""Reads of the outreach app, always given the viewer and always scoped (outreach.access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case, Count, DateField, DurationField, ExpressionWrapper, F, FilteredRelation, IntegerField, Lookup, Q, QuerySet, Value, When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import bound_region, within_q

from . import access, rules
from .models import FollowUpItem, OutreachParameter, Pairing, PairingHelper, Referral

PAGE_SIZE = 50
MAX_ID_LIST = 20_000  # below SQLite's bound on query parameters


@dataclass(frozen=True)
class Quarter:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(*rules.quarter_of(day))

    @property
    def label(self) -> str:
        return _("%(year)s年第%(quarter)s季度") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end


def quarter_has_rule(viewer, quarter: Quarter) -> bool:
    """Whether a visit frequency is in force for the viewer's region at the quarter's start: a quarter
    before the rule took effect has nothing to be measured against."""
    if viewer.region is None:
        return True
    try:
        rules.parameter_value("visits_per_quarter_min", viewer.region.code, quarter.start)
    except rules.ParameterMissing:
        return False
    return True


def _frequency_groups(viewer, quarter: Quarter) -> list[tuple[str, int]]:
    """(prefix, N) pairs for the viewer's subtree, most specific first, ending with ("", N of the
    viewer's own region): a region below the viewer may set its own visits per quarter."""
    own = bound_region(viewer)
    if own is None:
        return []
    base = rules.parameter_value("visits_per_quarter_min", viewer.region.code, quarter.start)
    prefix_len = len(own.prefix)
    inner = (OutreachParameter.objects.filter(name="visits_per_quarter_min", valid_from__lte=quarter.start)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=quarter.start))
             .filter(region_prefix__startswith=own.prefix).exclude(region_prefix=own.prefix))
    groups = sorted({(row.region_prefix, row.value) for row in inner if len(row.region_prefix) > prefix_len},
                    key=lambda pv: -len(pv[0]))
    return [*groups, ("", base)]


def _required_expression(groups: list[tuple[str, int]], quarter: Quarter):
    """SQL form of rules.required_visits for each frequency group."""
    q_start, q_end = quarter.bounds
    last = Least(Coalesce(F("end_date"), Value(q_end, DateField())), Value(q_end, DateField()), output_field=DateField())
    first = Greatest(F("start_date"), Value(q_start, DateField()), output_field=DateField())
    span = ExpressionWrapper(last - first, output_field=DurationField())
    full = Q(start_date__lte=q_start) & (Q(end_date__isnull=True) | Q(end_date__gte=q_end))
    whens = []
    for prefix, per_quarter in groups:
        where = within_q(RegionCode.from_digits(prefix)) if prefix else Q()
        whens.append(When(where & full, then=Value(per_quarter)))
        for k, days in rules.required_thresholds(per_quarter, quarter.bounds):
            whens.append(When(where & Q(span__gte=dt.timedelta(days=days)), then=Value(k)))
    return span, Case(*whens, default=Value(0), output_field=IntegerField())


def pairings_with_counts(viewer, quarter: Quarter) -> QuerySet[Pairing]:
    """The viewer's pairings in force during the quarter, annotated with `visit_count` (this quarter)
    and `required` (rules.required_visits)."""
    groups = _frequency_groups(viewer, quarter)
    span, required = _required_expression(groups, quarter) if groups else (None, Value(0))
    qs = access.pairing_queryset(viewer).filter(start_date__lte=quarter.end).filter(Q(end_date__isnull=True) | Q(end_date__gte=quarter.start))
    # a LEFT JOIN on the unique (pairing, quarter) row: one index probe per pairing for a page,
    # one hash join for a county-wide count (a correlated subquery would run once per row)
    qs = qs.alias(this_quarter=FilteredRelation("quarter_counts", condition=Q(quarter_counts__quarter=quarter.start)))
    if span is not None:
        qs = qs.alias(span=span)
    return qs.annotate(visit_count=Coalesce(F("this_quarter__visits"), Value(0)), required=required)


class _AnyOf(Lookup):
    """`lhs = ANY(%s)` with the whole id list as one array parameter (PostgreSQL): the statement
    stays short (a list of thousands of placeholders cost ~100 ms in the driver alone to split and
    bind) and the planner still sees the values, as with IN (...)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, conn):
        lhs, lhs_params = self.process_lhs(compiler, conn)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _pk_in(qs: QuerySet, ids: list[int]) -> QuerySet:
    if connection.vendor == "postgresql":
        return qs.filter(_AnyOf(F("pk"), ids))
    return qs.filter(pk__in=ids)


@dataclass(frozen=True)
class OverdueFilter:
    helper: int | None = None
    unit: str = ""
    village: str = ""  # 12-digit code, or a township's 9-digit prefix


def overdue_pairings(viewer, quarter: Quarter, flt: OverdueFilter = OverdueFilter()) -> QuerySet[Pairing]:
    """Pairings behind on visits in the quarter: fewer visits than required (R8). For the current
    quarter this is the list still due; for a past quarter, the pairs that missed the rule."""
    qs = pairings_with_counts(viewer, quarter).filter(visit_count__lt=F("required"))
    # The ids of one helper's or one unit's pairings (hundreds to a few thousand) are read first:
    # given them as a list, the planner fetches those pairings by key and sorts them, instead of
    # walking the county's pairings in order and probing each one's helpers (measured 10x slower).
    for condition in ({"helper_id": flt.helper} if flt.helper else None, {"helper__unit": flt.unit} if flt.unit else None):
        if condition:
            links = PairingHelper.objects.filter(**condition).values_list("pairing_id", flat=True)
            ids = list(links[:MAX_ID_LIST + 1])
            qs = _pk_in(qs, ids) if len(ids) <= MAX_ID_LIST else qs.filter(pk__in=links)
    if flt.village:
        code = flt.village.strip()
        if code.isdigit() and len(code) in (6, 9, 12):
            # a range on the index, as registry.selectors.household_search does
            qs = qs.within(code)
        else:
            qs = qs.none()
    return qs.order_by("region_code", "pk")


def overdue_page(viewer, quarter: Quarter, flt: OverdueFilter = OverdueFilter(), *, after: tuple[str, int] | None = None,
                 size: int = PAGE_SIZE):
    """Keyset page of overdue pairings (no COUNT over the whole list, docs/decisions.md)."""
    qs = overdue_pairings(viewer, quarter, flt)
    if after:
        code, pk = after
        qs = qs.filter(Q(region_code__gt=code) | Q(region_code=code, pk__gt=pk))
    # the page's keys first (pairing + its quarter count only), then those rows with what the page
    # shows: joining households, persons and villages before the sort made the planner join every
    # match of a unit filter (thousands) to keep 51
    head = list(qs.values_list("pk", "visit_count", "required")[: size + 1])
    more = len(head) > size
    head = head[:size]
    found = Pairing.objects.select_related("village", "household__head", "person").in_bulk([pk for pk, _n, _r in head])
    rows = []
    for pk, visit_count, required in head:
        pairing = found[pk]
        pairing.visit_count, pairing.required = visit_count, required
        rows.append(pairing)
    links: dict[int, list] = {}
    for link in PairingHelper.objects.filter(pairing_id__in=[p.pk for p in rows]).select_related("helper").order_by("-lead", "pk"):
        links.setdefault(link.pairing_id, []).append(link.helper)
    for pairing in rows:
        pairing.helper_list = links.get(pairing.pk, [])
    next_after = (rows[-1].region_code, rows[-1].pk) if more and rows else None
    return rows, next_after


def overdue_by_village(viewer, quarter: Quarter) -> list[dict]:
    """Per village: pairings in force and pairings behind, for the summary table."""
    from bangfu.regions.models import Region

    rows = list(pairings_with_counts(viewer, quarter).values("region_code").annotate(
        pairings=Count("pk"), behind=Count("pk", filter=Q(visit_count__lt=F("required")))).order_by("region_code"))
    names = dict(Region.objects.filter(code__in=[r["region_code"] for r in rows]).values_list("code", "full_name"))
    for row in rows:
        row["name"] = names.get(row["region_code"], row["region_code"])
    return rows


def _behind_sql(viewer, quarter: Quarter) -> tuple[str, tuple]:
    """SQL and parameters of the ids of the pairings behind (the same rule as overdue_pairings)."""
    sql, params = overdue_pairings(viewer, quarter).order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def overdue_by_helper(viewer, quarter: Quarter, *, limit: int = 200) -> list[dict]:
    """Per helper (with unit): pairings behind. Counted per helper id over the links of the
    pairings behind (one hash aggregate), and only then joined to the helpers for names: grouping
    by id, name and unit of every link cost a join and a sort of ~100,000 rows."""
    behind_sql, params = _behind_sql(viewer, quarter)
    ph, h = PairingHelper._meta.db_table, PairingHelper._meta.get_field("helper").related_model._meta.db_table
    sql = (f"SELECT h.id, h.name, h.unit, c.behind FROM (SELECT helper_id, COUNT(*) AS behind FROM {ph} "
           f"WHERE pairing_id IN ({behind_sql}) GROUP BY helper_id) c JOIN {h} h ON h.id = c.helper_id "
           f"ORDER BY c.behind DESC, h.name LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, limit))
        return [{"helper_id": pk, "helper__name": name, "helper__unit": unit, "behind": n} for pk, name, unit, n in cursor.fetchall()]


def overdue_by_unit(viewer, quarter: Quarter) -> list[dict]:
    """Per unit: pairings behind with at least one helper of the unit (a pairing counts once per
    unit). The distinct (unit, pairing) pairs are hashed, then counted: COUNT(DISTINCT) sorted
    ~100,000 links on disk."""
    behind_sql, params = _behind_sql(viewer, quarter)
    ph, h = PairingHelper._meta.db_table, PairingHelper._meta.get_field("helper").related_model._meta.db_table
    sql = (f"SELECT unit, COUNT(*) AS behind FROM (SELECT DISTINCT h.unit, l.pairing_id FROM {ph} l JOIN {h} h ON h.id = l.helper_id "
           f"WHERE l.pairing_id IN ({behind_sql})) d GROUP BY unit ORDER BY behind DESC, unit")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"helper__unit": unit, "behind": n} for unit, n in cursor.fetchall()]


def helper_todo(viewer, quarter: Quarter) -> list[Pairing]:
    """A helper's own to-do list: their pairings in force this quarter with visits still owed
    first, then the ones already done."""
    rows = list(pairings_with_counts(viewer, quarter).filter(links__helper__user=viewer).distinct()
                .select_related("village", "household__head", "person").order_by("region_code", "pk"))
    for pairing in rows:
        pairing.remaining = max(pairing.required - pairing.visit_count, 0)
    rows.sort(key=lambda p: (p.remaining == 0, p.region_code, p.pk))
    return rows


# ---------------------------------------------------------------------------------------- worklists


@dataclass(frozen=True)
class ItemFilter:
    kind: str = ""
    status: str = "active"  # active = open or referred; or an ItemStatus value; "" = all
    overdue: bool = False


def items(viewer, flt: ItemFilter, *, today: dt.date) -> QuerySet[FollowUpItem]:
    qs = access.scoped(viewer, FollowUpItem.objects.all(), helper_path=None)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.status == "active":
        qs = qs.filter(closed_on__isnull=True)
    elif flt.status:
        qs = qs.filter(status=flt.status)
    if flt.overdue:
        qs = qs.filter(closed_on__isnull=True, due_date__lt=today)
    return qs.select_related("person", "household", "owner").order_by("due_date", "pk")


def referral_rows(viewer, *, target: str, since: dt.date | None = None) -> QuerySet[Referral]:
    qs = access.scoped(viewer, Referral.objects.filter(target=target))
    if since:
        qs = qs.filter(referred_on__gte=since)
    return qs.select_related("item__person", "item__household").order_by("region_code", "referred_on", "pk")


def item_counts(viewer) -> dict[str, int]:
    qs = access.scoped(viewer, FollowUpItem.objects.filter(closed_on__isnull=True))
    return dict(qs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))


def helper_account(viewer, username: str):
    """The login account named `username` that `viewer` may link to a helper (R7): one whose
    region is in the viewer's subtree. Raises NotFound for a missing name and for an account
    outside alike, so the form cannot be used to probe other regions' usernames."""
    from bangfu.accounts.models import User

    account = User.objects.select_related("region").filter(username=username).first()
    if account is None or account.region is None or not in_scope(viewer, account.region.code):
        raise NotFound
    return account


def helper_pick(viewer, q: str, *, limit: int = 20) -> tuple[list, bool]:
    """Active helpers for the pairing form's picker (issue 17): those the viewer may pair
    (access.helper_queryset), by name or unit prefix; at most `limit`, and whether there are more."""
    q = q.strip()
    if not q:
        return [], False
    qs = access.helper_queryset(viewer).filter(active=True)
    qs = qs.filter(pk=int(q)) if q.isdigit() else qs.filter(Q(name__startswith=q) | Q(unit__startswith=q))
    rows = list(qs.select_related("region").order_by("name", "pk")[: limit + 1])
    return rows[:limit], len(rows) > limit
