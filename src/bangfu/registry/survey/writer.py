"""Write the households an import plan accepted, in bulk, leaving history rows with the acting
user for every row created or changed (issue 2 §7).

New households, members, memberships, incomes and categories go through bulk.insert (COPY on
PostgreSQL, executemany on SQLite, bulk_create_with_history elsewhere) with one "+" history row
each, in their final state (a new household's head already set). Registered rows are locked,
re-read and updated in their changed fields only, through simple_history's
bulk_update_with_history. Everything runs in one transaction, a chunk of households at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from bangfu.common.progress import NullProgress, Progress
from bangfu.registry import choices as c
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Membership, Person, RigidExpense

from . import bulk
from .plan import SHEET_NOTE, SHEET_PERSON_FIELDS, HouseholdPlan, matching

BATCH = 2000
CHUNK_ROWS = 10_000


def write_plans(plans: list[HouseholdPlan], *, acting_user, today: dt.date | None = None, progress: Progress | None = None) -> None:
    """Write every plan in one transaction (all or nothing), a few thousand rows at a time."""
    progress = progress or NullProgress()
    today = today or timezone.localdate()
    with transaction.atomic():
        for chunk in _chunks(plans):
            _write(chunk, acting_user=acting_user, today=today)
            progress.advance(sum(len(p.rows.rows) for p in chunk))


def _chunks(plans: list[HouseholdPlan]) -> Iterator[list[HouseholdPlan]]:
    chunk: list[HouseholdPlan] = []
    size = 0
    for plan in plans:
        chunk.append(plan)
        size += len(plan.rows.rows)
        if size >= CHUNK_ROWS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _write(plans: list[HouseholdPlan], *, acting_user, today: dt.date) -> None:
    now = timezone.now()
    new_plans = [p for p in plans if p.existing is None]
    households = [
        {"region_id": p.region.pk, "region_code": p.region.code, "address": p.rows.values.get("address", ""),
         "hukou_type": p.rows.values.get("hukou_type", c.HukouType.RURAL),
         "housing_safety": p.rows.values.get("housing_safety", c.HousingSafety.UNKNOWN),
         "local_hukou": p.rows.values.get("local_hukou", True),
         "family_planning_two_daughters": p.rows.values.get("family_planning_two_daughters", False)}
        for p in new_plans
    ]
    if bulk.fast():
        ids = bulk.allocate_ids(Household, len(households))  # members and head can point at them before the insert
    else:
        ids = bulk.insert(Household, households, acting_user=acting_user, now=now, history=False)
    for plan, pk, row in zip(new_plans, ids, households, strict=True):
        plan.household_id, plan.region_code = pk, plan.region.code
        row["id"] = pk
    for plan in plans:
        if plan.existing is not None:
            plan.household_id, plan.region_code = plan.existing.pk, plan.existing.region_code
        plan.person_ids.update((n, p.pk) for n, p in plan.persons.items())

    persons, owners = [], []
    for plan in plans:
        for row in plan.new_rows:
            info = row.id_info
            values = row.values
            data = {f: values[f] for f in SHEET_PERSON_FIELDS if f in values}
            data.update(household_id=plan.household_id, region_code=plan.region_code, id_number=info.number,
                        birth_date=info.birth_date, sex=info.sex)
            persons.append(data)
            owners.append((plan, row.row))
    if bulk.fast():
        person_ids = bulk.allocate_ids(Person, len(persons))
        for data, pk in zip(persons, person_ids, strict=True):
            data["id"] = pk
        _note_ids(owners, person_ids)
        for plan, data in zip(new_plans, households, strict=True):
            data["head_id"] = plan.person_ids[plan.rows.head.row]
        bulk.insert(Household, households, acting_user=acting_user, now=now)
        bulk.insert(Person, persons, acting_user=acting_user, now=now)
    else:
        _note_ids(owners, bulk.insert(Person, persons, acting_user=acting_user, now=now))
        created = Household.objects.in_bulk([p.household_id for p in new_plans])
        for plan in new_plans:
            created[plan.household_id].head_id = plan.person_ids[plan.rows.head.row]
        objs = list(created.values())
        Household.objects.bulk_update(objs, ["head"], batch_size=BATCH)
        Household.history.bulk_history_create(objs, batch_size=BATCH, default_user=acting_user, default_date=now)

    memberships = [
        {"person_id": plan.person_ids[number], "household_id": data["household_id"], "region_code": data["region_code"],
         "relation": data["relation"], "start_date": today, "start_reason": c.MembershipReason.IMPORTED}
        for (plan, number), data in zip(owners, persons, strict=True)
    ]

    person_changes: dict[int, dict] = {}
    for plan in plans:
        for person, changes in plan.person_changes:
            person_changes[person.pk] = dict(changes)
        for person in plan.joins:
            person_changes.setdefault(person.pk, {}).update(household_id=plan.household_id, region_code=plan.region_code)
            relation = person_changes[person.pk].get("relation", person.relation)
            memberships.append({"person_id": person.pk, "household_id": plan.household_id, "region_code": plan.region_code,
                                "relation": relation, "start_date": today, "start_reason": c.MembershipReason.IMPORTED})
    update(Person, person_changes, acting_user=acting_user, now=now)
    bulk.insert(Membership, memberships, acting_user=acting_user, now=now, history=False)

    household_changes: dict[int, dict] = {}
    for plan in plans:
        if plan.existing is None:
            continue
        changes = dict(plan.household_changes)
        if plan.head_row is not None:
            changes["head_id"] = plan.person_ids[plan.head_row.row]
        if changes:
            household_changes[plan.existing.pk] = changes
    update(Household, household_changes, acting_user=acting_user, now=now)

    incomes, income_changes, classifications = [], {}, []
    for plan in plans:
        for row, kind, fen in plan.incomes_new:
            incomes.append({"household_id": plan.household_id, "person_id": plan.person_ids[row.row], "region_code": plan.region_code,
                            "kind": kind, "monthly_amount_fen": fen, "valid_from": today, "note": SHEET_NOTE})
        for item, fen in plan.incomes_changed:
            income_changes[item.pk] = {"monthly_amount_fen": fen}
        classifications.extend(
            {"household_id": plan.household_id, "region_code": plan.region_code, "kind": kind, "code": code, "start_date": today}
            for kind, code in plan.classifications_new
        )
    bulk.insert(IncomeItem, incomes, acting_user=acting_user, now=now)
    update(IncomeItem, income_changes, acting_user=acting_user, now=now)
    bulk.insert(Classification, classifications, acting_user=acting_user, now=now)
    _write_assets_and_expenses(plans, acting_user=acting_user, now=now, today=today)


def _write_assets_and_expenses(plans: list[HouseholdPlan], *, acting_user, now, today: dt.date) -> None:
    """Assets and rigid expenses as the plans decided. An expense the sheet says is now 0 ends the
    day before the import (end dates are inclusive); one that had not started yet is removed."""
    assets, asset_changes, assets_removed = [], {}, []
    expenses, expense_changes, expenses_removed = [], {}, []
    for plan in plans:
        assets.extend(
            {"household_id": plan.household_id, "region_code": plan.region_code, "kind": kind, "quantity": quantity,
             "value_fen": fen, "description": SHEET_NOTE}
            for kind, quantity, fen in plan.assets_new)
        asset_changes.update((item.pk, dict(changes)) for item, changes in plan.assets_changed)
        assets_removed.extend(item.pk for item in plan.assets_removed)
        expenses.extend(
            {"household_id": plan.household_id, "person_id": plan.person_ids[row.row], "region_code": plan.region_code,
             "kind": kind, "monthly_amount_fen": fen, "valid_from": today, "note": SHEET_NOTE}
            for row, kind, fen in plan.expenses_new)
        expense_changes.update((item.pk, {"monthly_amount_fen": fen}) for item, fen in plan.expenses_changed)
        for item in plan.expenses_ended:
            if item.valid_from < today:
                expense_changes[item.pk] = {"valid_to": today - dt.timedelta(days=1)}
            else:
                expenses_removed.append(item.pk)
    bulk.insert(Asset, assets, acting_user=acting_user, now=now)
    update(Asset, asset_changes, acting_user=acting_user, now=now)
    delete(Asset, assets_removed, acting_user=acting_user)
    bulk.insert(RigidExpense, expenses, acting_user=acting_user, now=now)
    update(RigidExpense, expense_changes, acting_user=acting_user, now=now)
    delete(RigidExpense, expenses_removed, acting_user=acting_user)


def _note_ids(owners: list[tuple[HouseholdPlan, int]], ids: list[int]) -> None:
    for (plan, number), pk in zip(owners, ids, strict=True):
        plan.person_ids[number] = pk


class Conflict(Exception):
    """A row the plan changes was deleted since it was read."""


def update(model, changes: dict[int, dict], *, acting_user, now) -> None:
    """Apply `changes` ({pk: {attname: value}}) to the rows, locked (in pk order, as services lock)
    and read afresh inside the transaction, so that the history rows record what is really there
    and an edit made meanwhile to another field is kept. Only the changed fields are written,
    grouped by field set, through simple_history.utils.bulk_update_with_history."""
    if not changes:
        return
    fresh = {obj.pk: obj for obj in matching(model.objects.select_for_update().order_by("pk"), "pk", sorted(changes))}
    touch = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    groups: dict[tuple[str, ...], list] = defaultdict(list)
    for pk, values in changes.items():
        obj = fresh.get(pk)
        if obj is None:
            raise Conflict(f"{model._meta.verbose_name} {pk}")
        names = set()
        for name, value in values.items():
            setattr(obj, name, value)
            names.add(model._meta.get_field(name).name)  # get_field takes "head_id" as well as "head"
        if touch:
            obj.updated_at = now
            names.add("updated_at")
        groups[tuple(sorted(names))].append(obj)
    for fields, objs in groups.items():
        bulk_update_with_history(objs, model, list(fields), batch_size=BATCH, default_user=acting_user, default_date=now)


def delete(model, pks: list[int], *, acting_user) -> None:
    """Delete the rows `pks`, locked, each through Model.delete so that simple_history writes its
    "-" row with the acting user (as registry.services.item_delete does). Few rows reach here: only
    those a sheet says are now none."""
    if not pks:
        return
    objs = list(matching(model.objects.select_for_update().order_by("pk"), "pk", sorted(pks)))
    if len(objs) != len(set(pks)):
        raise Conflict(f"{model._meta.verbose_name} {sorted(set(pks) - {o.pk for o in objs})}")
    for obj in objs:
        obj._history_user = acting_user
        obj.delete()
