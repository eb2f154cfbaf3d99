"""Writing synthetic rows in batches, without model save() or history rows (synthetic data is not a
user's change). On PostgreSQL primary keys are reserved from the tables' sequences and the rows go
in with COPY (psycopg 3); elsewhere (SQLite) the keys are taken above the largest used one, which
the open write transaction makes safe, and rows go in with bulk_create. Foreign keys are deferred,
so households can name their head before the persons are in."""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter

from django.db import connection, models, transaction

from bangfu.registry import choices as c
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Membership, Person, RigidExpense, Supporter

from .households import _Family


def _concrete_fields(model: type[models.Model], *, with_pk: bool) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


class _Writer:
    """Reserves primary keys and writes rows of one batch; call inside a transaction."""

    MODELS = (Household, Person, Membership, IncomeItem, Asset, RigidExpense, Classification, Supporter)

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.fields = {model: _concrete_fields(model, with_pk=model in (Household, Person)) for model in self.MODELS}
        # For COPY: each model's column defaults (JSON as text) and a C-level getter of a full row.
        self.defaults: dict[type[models.Model], dict] = {}
        self.json_fields: dict[type[models.Model], list[str]] = {}
        self.getters = {}
        self.statements = {}
        for model, fields in self.fields.items():
            defaults = {}
            for f in fields:
                default = f.get_default() if f.has_default() or not f.null else None
                defaults[f.attname] = json.dumps(default) if isinstance(f, models.JSONField) else default
            self.defaults[model] = defaults
            self.json_fields[model] = [f.attname for f in fields if isinstance(f, models.JSONField)]
            self.getters[model] = itemgetter(*(f.attname for f in fields))
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            self.statements[model] = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def begin_batch(self) -> None:
        if self.postgres:
            # Synthetic rows can be regenerated: no need to wait for the WAL flush at each commit.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")

    def reserve(self, model: type[models.Model], count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            if self.postgres:
                sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
                cursor.execute(sql, [connection.ops.quote_name(table), pk, count])
                return [row[0] for row in cursor.fetchall()]
            # SQLite (and others): the write transaction that is open serialises writers.
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {quoted}")
            start = cursor.fetchone()[0]
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                start = max(start, row[0] if row else 0)
            return list(range(start + 1, start + 1 + count))

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        if not rows:
            return
        if self.postgres:
            self._copy(model, rows)
        else:
            attnames = [f.attname for f in self.fields[model]]
            model.objects.bulk_create([model(**{a: row[a] for a in attnames if a in row}) for row in rows], batch_size=2000)

    def _copy(self, model: type[models.Model], rows: list[dict]) -> None:
        defaults = self.defaults[model]
        json_fields = self.json_fields[model]
        get = self.getters[model]
        with connection.cursor() as cursor, cursor.copy(self.statements[model]) as copy:
            write_row = copy.write_row
            for row in rows:
                full = {**defaults, **row}
                for name in json_fields:
                    if name in row:
                        full[name] = json.dumps(row[name], ensure_ascii=False)
                write_row(get(full))


_COUNT_KEYS = {
    Household: "households", Person: "persons", Membership: "memberships", IncomeItem: "incomes", Asset: "assets",
    RigidExpense: "expenses", Classification: "classifications", Supporter: "supporters",
}  # fmt: skip


def _write_batch(writer: _Writer, families: list[_Family], now: dt.datetime) -> dict[str, int]:
    """Give one batch its keys and write it in one transaction on this thread's connection."""
    with transaction.atomic():
        writer.begin_batch()
        household_ids = writer.reserve(Household, len(families))
        person_ids = iter(writer.reserve(Person, sum(len(f.members) for f in families)))
        rows: dict[type[models.Model], list[dict]] = {model: [] for model in writer.MODELS}
        for family, household_id in zip(families, household_ids, strict=True):
            region_code = family.values["region_code"]
            member_ids = [next(person_ids) for _ in family.members]
            household = family.values
            household.update(id=household_id, head_id=member_ids[0], created_at=now, updated_at=now)
            rows[Household].append(household)
            file_date = dt.date.fromordinal(family.file_ordinal)
            for member, person_id in zip(family.members, member_ids, strict=True):
                values = member.values
                values.update(id=person_id, household_id=household_id, region_code=region_code, created_at=now, updated_at=now)
                rows[Person].append(values)
                rows[Membership].append(
                    {
                        "person_id": person_id, "household_id": household_id, "region_code": region_code,
                        "relation": values["relation"], "start_date": max(file_date, values["birth_date"]),
                        "start_reason": c.MembershipReason.CREATED,
                    }
                )  # fmt: skip
            for model, values, index in family.items:
                values.update(household_id=household_id, region_code=region_code, person_id=None if index is None else member_ids[index])
                rows[model].append(values)
        for model in writer.MODELS:
            writer.write(model, rows[model])
    return {_COUNT_KEYS[model]: len(model_rows) for model, model_rows in rows.items()}


def _write_batch_on_own_connection(writer: _Writer, families: list[_Family], now: dt.datetime) -> dict[str, int]:
    try:
        return _write_batch(writer, families, now)
    finally:
        connection.close()  # this worker thread's own connection
