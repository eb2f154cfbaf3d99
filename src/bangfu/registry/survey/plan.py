"""Match a parsed sheet against the registry and decide what to write (nothing is written here).

The only database work is batched look-ups: the villages named, the persons by ID number (in
chunks), their households and their open income and category rows. Everything else is plain
Python over those dictionaries, so a dry run costs the same reads as an import and no writes.

Matching (re-import): a person is found by ID number; a household by the existing household of
its members. A person registered outside the user's scope is refused with the same words as
registry.services.check_id_number, never saying where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.regions.scoping import bound_region
from bangfu.registry import choices as c
from bangfu.common.money import format_yuan
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Person, RigidExpense
from bangfu.registry.services import HOUSEHOLD_FIELDS as SERVICE_HOUSEHOLD_FIELDS
from bangfu.registry.services import PERSON_FIELDS, validate_person_data

from .columns import ASSET_COLUMNS, BY_FIELD, EXPENSE_COLUMNS
from .validate import HouseholdRows, ParsedRow

# check_id_number's words for a number held outside the viewer's scope (issue 2 §4).
REGISTERED_ELSEWHERE = gettext_noop("该身份证号码已在系统中登记，一人只能在一个家庭；如需迁入，请联系上级民政部门核实")
SHEET_PERSON_FIELDS = frozenset(PERSON_FIELDS) - {"status"}
SHEET_HOUSEHOLD_FIELDS = tuple(f for f in SERVICE_HOUSEHOLD_FIELDS if f != "note")
CLASSIFICATION_FIELDS = (("categories", c.ClassificationKind.CATEGORY), ("causes", c.ClassificationKind.CAUSE))


class Record(SimpleNamespace):
    """A registry row as read for matching (plain values, no model instance: 100,000 of those cost
    seconds). The plan only compares against it; the writer re-reads and locks what it changes."""

    @property
    def pk(self) -> int:
        return self.id


PERSON_READ = ("id", "region_code", "household_id", "id_number", *PERSON_FIELDS)
HOUSEHOLD_READ = ("id", "region_code", "status", "head_id", *SHEET_HOUSEHOLD_FIELDS)
INCOME_READ = ("id", "person_id", "kind", "monthly_amount_fen")
ASSET_READ = ("id", "household_id", "kind", "value_fen", "quantity")
EXPENSE_READ = ("id", "person_id", "kind", "monthly_amount_fen", "valid_from")
SHEET_NOTE = "摸底导入"


@dataclass
class HouseholdPlan:
    rows: HouseholdRows
    region: Region | None = None
    existing: Record | None = None  # the registered household it matches
    household_changes: dict[str, Any] = field(default_factory=dict)
    head_row: ParsedRow | None = None  # set when the household's head is (re)assigned
    new_rows: list[ParsedRow] = field(default_factory=list)
    person_changes: list[tuple[Record, dict[str, Any]]] = field(default_factory=list)
    joins: list[Record] = field(default_factory=list)  # registered persons without a household
    incomes_new: list[tuple[ParsedRow, str, int]] = field(default_factory=list)
    incomes_changed: list[tuple[Record, int]] = field(default_factory=list)
    classifications_new: list[tuple[str, str]] = field(default_factory=list)
    # assets (household) and rigid expenses (per member) as the sheet's columns give them
    assets_new: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, quantity, value_fen)
    assets_changed: list[tuple[Record, dict[str, int]]] = field(default_factory=list)
    assets_removed: list[Record] = field(default_factory=list)
    expenses_new: list[tuple[ParsedRow, str, int]] = field(default_factory=list)
    expenses_changed: list[tuple[Record, int]] = field(default_factory=list)
    expenses_ended: list[Record] = field(default_factory=list)
    unchanged_persons: int = 0
    persons: dict[int, Record] = field(default_factory=dict)  # row number -> registered person
    # set by the writer: the household written to, and the person id of each row
    household_id: int | None = None
    region_code: str = ""
    person_ids: dict[int, int] = field(default_factory=dict)

    @property
    def bad(self) -> bool:
        return self.rows.bad

    @property
    def changes_household(self) -> bool:
        return bool(self.household_changes or self.head_row or self.new_rows or self.person_changes or self.joins
                    or self.incomes_new or self.incomes_changed or self.classifications_new or self.assets_new
                    or self.assets_changed or self.assets_removed or self.expenses_new or self.expenses_changed
                    or self.expenses_ended)


@dataclass
class Registry:
    """What the database already holds about the sheet, fetched in batches."""

    regions: dict[str, Region] = field(default_factory=dict)
    persons: dict[str, Record] = field(default_factory=dict)
    households: dict[int, Record] = field(default_factory=dict)
    incomes: dict[tuple[int, str], Record] = field(default_factory=dict)
    classifications: set[tuple[int, str, str]] = field(default_factory=set)
    assets: dict[tuple[int, str], list[Record]] = field(default_factory=dict)  # (household, kind) -> rows
    expenses: dict[tuple[int, str], list[Record]] = field(default_factory=dict)  # (person, kind) -> current rows


def chunk_size() -> int:
    limit = connection.features.max_query_params or 10_000
    return max(100, min(limit - 10, 10_000))


def chunks(items: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or chunk_size()
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Scope:
    """accounts.access.in_scope with the viewer's region worked out once, for 100,000 checks."""

    def __init__(self, viewer) -> None:
        self.region = bound_region(viewer)

    def __contains__(self, region_code: str) -> bool:
        return self.region is not None and self.region.contains(region_code)


class AnyOf(Lookup):
    """field = ANY(array): one parameter for a whole chunk of values (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


def matching(queryset, field: str, values: list) -> Iterator:
    """Rows of `queryset` whose `field` is in `values`, fetched in chunks. On PostgreSQL a chunk
    is one array parameter (= ANY(%s)) rather than thousands of placeholders, whose client-side
    handling cost more than the query."""
    if connection.vendor == "postgresql":
        for batch in chunks(values, 10_000):
            yield from queryset.filter(AnyOf(F(field), batch))
    else:
        for batch in chunks(values):
            yield from queryset.filter(**{f"{field}__in": batch})


def fetch_registry(groups: list[HouseholdRows], *, viewer, today: dt.date | None = None) -> Registry:
    reg = Registry()
    codes = sorted({g.values["village_code"] for g in groups if "village_code" in g.values})
    reg.regions.update((r.code, r) for r in matching(Region.objects.filter(level=Level.VILLAGE), "code", codes))
    numbers = sorted({r.id_number for g in groups for r in g.rows if r.id_number})
    people = Person.objects.values(*PERSON_READ)
    reg.persons.update((p["id_number"], Record(**p)) for p in matching(people, "id_number", numbers))
    scope = Scope(viewer)
    visible = [p for p in reg.persons.values() if p.region_code in scope]
    household_ids = sorted({p.household_id for p in visible if p.household_id})
    households = Household.objects.values(*HOUSEHOLD_READ)
    reg.households.update((h["id"], Record(**h)) for h in matching(households, "pk", household_ids))
    open_incomes = IncomeItem.objects.filter(valid_to__isnull=True).order_by("pk").values(*INCOME_READ)
    for item in matching(open_incomes, "person_id", sorted(p.pk for p in visible)):
        reg.incomes.setdefault((item["person_id"], item["kind"]), Record(**item))
    open_classes = Classification.objects.filter(end_date__isnull=True).values_list("household_id", "kind", "code")
    reg.classifications.update(matching(open_classes, "household_id", household_ids))
    if any(f in g.values for g in groups for col in ASSET_COLUMNS.values() for f in col if f):
        for item in matching(Asset.objects.order_by("pk").values(*ASSET_READ), "household_id", household_ids):
            reg.assets.setdefault((item["household_id"], item["kind"]), []).append(Record(**item))
    if any(f in r.values for g in groups for r in g.rows for f in EXPENSE_COLUMNS.values()):
        # current rows: not ended before the day of the import (an end date is inclusive)
        current = (RigidExpense.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today or timezone.localdate()))
                   .order_by("pk").values(*EXPENSE_READ))
        for item in matching(current, "person_id", sorted(p.pk for p in visible)):
            reg.expenses.setdefault((item["person_id"], item["kind"]), []).append(Record(**item))
    return reg


def plan_households(groups: list[HouseholdRows], reg: Registry, *, viewer) -> list[HouseholdPlan]:
    claimed: dict[int, str] = {}  # existing household -> the 户编号 that matched it first
    scope = Scope(viewer)
    return [_plan(group, reg, scope=scope, claimed=claimed) for group in groups]


def _plan(group: HouseholdRows, reg: Registry, *, scope: Scope, claimed: dict[int, str]) -> HouseholdPlan:
    plan = HouseholdPlan(rows=group)
    head = group.head
    code = group.values.get("village_code")
    if code is not None and head is not None:
        region = reg.regions.get(code)
        if region is None or code not in scope:
            head.error("village_code", _("村（社区）代码 %(code)s 不在您的管辖范围内或不存在") % {"code": code})
        else:
            plan.region = region

    for row in group.rows:
        number = row.id_number
        person = reg.persons.get(number) if number else None
        if person is None:
            continue
        if person.region_code not in scope:
            row.error("id_number", _(REGISTERED_ELSEWHERE))
        else:
            plan.persons[row.row] = person

    matched = sorted({p.household_id for p in plan.persons.values() if p.household_id})
    if len(matched) > 1:
        ids = "、".join(str(pk) for pk in matched)
        for row in group.rows:
            if row.row in plan.persons and plan.persons[row.row].household_id:
                row.error("household_key", _("同户成员在系统中分属不同家庭（编号 %(ids)s）；如需合户，请在家庭页面办理") % {"ids": ids})
    elif matched:
        household = plan.existing = reg.households[matched[0]]
        first_key = claimed.setdefault(household.pk, group.key)
        if first_key != group.key:
            for row in group.rows:
                if row.row in plan.persons:
                    row.error("household_key", _("与户编号“%(key)s”的成员在系统中同属一个家庭（编号 %(pk)s），同一家庭的成员须填相同的户编号") % {"key": first_key, "pk": household.pk})
        if household.status != c.HouseholdStatus.ACTIVE:
            (head or group.rows[0]).error("household_key", _("系统中该户（编号 %(pk)s）已%(status)s，不能通过导入修改") % {"pk": household.pk, "status": c.HouseholdStatus(household.status).label})
        if plan.region is not None and household.region_code != plan.region.code:
            head.error("village_code", _("与系统中该户所在村（社区）不一致（系统中为 %(code)s）；迁移请在家庭页面办理") % {"code": household.region_code})
        _check_head(plan)

    for row in group.rows:
        _check_person(row, plan.persons.get(row.row))

    if not group.bad:
        _decide_assets(plan, reg)
        _decide_expenses(plan, reg)
    if not group.bad:
        _decide(plan, reg)
    return plan


def _check_head(plan: HouseholdPlan) -> None:
    household, head = plan.existing, plan.rows.head
    if household is None or head is None or not household.head_id:
        return
    head_person = plan.persons.get(head.row)
    if head_person is not None and head_person.pk == household.head_id:
        return
    old_head_listed = any(p.pk == household.head_id for p in plan.persons.values())
    if not old_head_listed:
        head.error("relation", _("系统中该户已有另一名户主，且其不在本表中；请把原户主也填入本表并修改其“与户主关系”，或先在家庭页面更换户主"))


def _check_person(row: ParsedRow, person: Record | None) -> None:
    data = {k: v for k, v in row.values.items() if k in SHEET_PERSON_FIELDS}
    if person is not None:
        data = {f: getattr(person, f) for f in PERSON_FIELDS} | data
    in_error = {e.column for e in row.errors}
    for name, messages in validate_person_data(data).items():
        col = BY_FIELD.get(name)
        if col is not None and col.header in in_error:
            continue  # the cell itself is unreadable; one message for it is enough
        row.error(name, "；".join(messages))


def _decide(plan: HouseholdPlan, reg: Registry) -> None:
    group, household = plan.rows, plan.existing
    if household is not None:
        plan.household_changes = {
            f: group.values[f] for f in SHEET_HOUSEHOLD_FIELDS if f in group.values and getattr(household, f) != group.values[f]
        }
        head_person = plan.persons.get(group.head.row)
        if head_person is None or head_person.pk != household.head_id:
            plan.head_row = group.head
    else:
        plan.head_row = group.head
    for row in group.rows:
        person = plan.persons.get(row.row)
        if person is None:
            plan.new_rows.append(row)
        else:
            changes = {f: v for f, v in row.values.items() if f in SHEET_PERSON_FIELDS and getattr(person, f) != v}
            if person.household_id is None:
                plan.joins.append(person)
            if changes:
                plan.person_changes.append((person, changes))
            elif person.household_id is not None:
                plan.unchanged_persons += 1
        if "income_fen" in row.values:
            fen, kind = row.values["income_fen"], row.values["income_kind"]
            item = reg.incomes.get((person.pk, kind)) if person is not None else None
            if item is None:
                plan.incomes_new.append((row, kind, fen))
            elif item.monthly_amount_fen != fen:
                plan.incomes_changed.append((item, fen))
    for name, kind in CLASSIFICATION_FIELDS:
        for code in group.values.get(name, ()):
            if household is None or (household.pk, kind, code) not in reg.classifications:
                plan.classifications_new.append((kind, code))



def _kind_label(kind: str, table) -> str:
    return str(table(kind).label)


def _decide_assets(plan: HouseholdPlan, reg: Registry) -> None:
    """The household's assets against the sheet's totals by kind: none recorded → one row; one
    row → changed in place; several rows → left alone when their totals agree and refused when
    not (which row would change?); 0 → the rows of that kind are removed."""
    group, head, household = plan.rows, plan.rows.head, plan.existing
    for kind, (count_field, value_field) in ASSET_COLUMNS.items():
        given = {}
        if count_field and count_field in group.values:
            given["quantity"] = (count_field, group.values[count_field])
        if value_field and value_field in group.values:
            given["value_fen"] = (value_field, group.values[value_field])
        if not given:
            continue
        rows = reg.assets.get((household.pk, kind), []) if household is not None else []
        label = _kind_label(kind, c.AssetKind)
        if count_field and "quantity" not in given and given["value_fen"][1] == 0:
            # the count says whether there are any; a value of 0 alone is not read as "none"
            head.error(value_field, _("没有%(kind)s的，请在“%(header)s”列填0") % {"kind": label, "header": BY_FIELD[count_field].header})
            continue
        none = given["quantity"][1] == 0 if "quantity" in given else given["value_fen"][1] == 0
        if none:
            plan.assets_removed.extend(rows)
        elif not rows:
            missing = [f for f in (count_field, value_field) if f and f not in group.values]
            if missing:
                filled = value_field if missing[0] == count_field else count_field
                head.error(missing[0], _("系统中该户尚无“%(kind)s”记录，填写了“%(header)s”的，须同时填写本列")
                           % {"kind": label, "header": BY_FIELD[filled].header})
                continue
            plan.assets_new.append((kind, given.get("quantity", (None, 1))[1], given.get("value_fen", (None, 0))[1]))
        elif len(rows) == 1:
            changes = {name: value for name, (_f, value) in given.items() if getattr(rows[0], name) != value}
            if changes:
                plan.assets_changed.append((rows[0], changes))
        else:
            for name, (field_name, value) in given.items():
                total = sum(getattr(r, name) for r in rows)
                if total != value:
                    shown = format_yuan(total) + _("元") if name == "value_fen" else f"{total}{BY_FIELD[field_name].parser.unit}"
                    head.error(field_name, _("系统中该户有%(count)s条“%(kind)s”记录，合计%(total)s，与本表不一致；"
                                             "多条记录请在家庭页面逐条修改，本列可留空或填与系统一致的合计")
                               % {"count": len(rows), "kind": label, "total": shown})


def _decide_expenses(plan: HouseholdPlan, reg: Registry) -> None:
    """Each member's monthly rigid expenses by kind against their current rows, as for assets:
    none → one row from the day of the import; one → its amount changed; several → refused unless
    their sum agrees; 0 → the current rows end."""
    for row in plan.rows.rows:
        person = plan.persons.get(row.row)
        for kind, field_name in EXPENSE_COLUMNS.items():
            if field_name not in row.values:
                continue
            fen = row.values[field_name]
            rows = reg.expenses.get((person.pk, kind), []) if person is not None else []
            if fen == 0:
                plan.expenses_ended.extend(rows)
            elif not rows:
                plan.expenses_new.append((row, kind, fen))
            elif len(rows) == 1:
                if rows[0].monthly_amount_fen != fen:
                    plan.expenses_changed.append((rows[0], fen))
            elif sum(r.monthly_amount_fen for r in rows) != fen:
                total = sum(r.monthly_amount_fen for r in rows)
                row.error(field_name, _("系统中此人有%(count)s条“%(kind)s”记录，合计每月%(total)s元，与本表不一致；"
                                        "多条记录请在家庭页面逐条修改，本列可留空或填与系统一致的合计")
                          % {"count": len(rows), "kind": _kind_label(kind, c.ExpenseKind), "total": format_yuan(total)})
