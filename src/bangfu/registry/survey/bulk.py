"""Bulk inserts of plain rows (dicts by attribute name) that leave the same history rows as
django-simple-history's bulk_create_with_history: one "+" row per inserted row, with the
tracked columns, history_date, history_type and history_user = the acting user.

Why not bulk_create_with_history itself: a 100,000-row survey sheet must import in under 20 s on
PostgreSQL (issue 2 item 6). Building 300,000 model instances, and Django's multi-row INSERTs with
tens of thousands of placeholders, took most of that budget. Here the primary keys are reserved
first (PostgreSQL: the table's sequence; SQLite: above the table's high-water mark, safe because
the import's transaction holds SQLite's write lock from its start), so a household can point at its
head before either is written and history rows can carry the ids; then the rows and their history
rows are streamed with COPY (PostgreSQL) or executemany (SQLite). Other databases fall back to
simple_history.utils.bulk_create_with_history.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from django.db import connection
from django.db.models import DateField, DateTimeField, JSONField, Model
from simple_history.utils import bulk_create_with_history

BATCH = 2000
HISTORY_EXTRA = ("history_date", "history_change_reason", "history_type", "history_user_id")
AUTO_NOW = object()
_sqlite_reserved: dict[str, int] = {}


def fast() -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """Reserve `count` primary keys for rows to be inserted in this transaction."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite AUTOINCREMENT: above both the live rows and sqlite_sequence (ids of deleted rows
        # are never reused), and above what this process reserved but may not have written yet.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")
        high = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        start = max(high, seq[0] if seq else 0, _sqlite_reserved.get(table, 0)) + 1
    _sqlite_reserved[table] = start + count - 1
    return list(range(start, start + count))


def insert(model: type[Model], rows: list[dict], *, acting_user, now: dt.datetime, history: bool = True) -> list[int]:
    """Insert `rows` (dicts by attname; missing fields take the model's defaults) and, if
    `history`, one "+" history row each by `acting_user`. Returns the primary keys in order."""
    if not rows:
        return []
    if not fast():
        objs = [model(**row) for row in rows]
        if history:
            objs = bulk_create_with_history(objs, model, batch_size=BATCH, default_user=acting_user, default_date=now)
        else:
            objs = model.objects.bulk_create(objs, batch_size=BATCH)
        return [obj.pk for obj in objs]
    pk = model._meta.pk.attname
    missing = [row for row in rows if row.get(pk) is None]
    for row, value in zip(missing, allocate_ids(model, len(missing)), strict=True):
        row[pk] = value
    positions, template, json_at = _layout(model)
    template = [now if value is AUTO_NOW else value for value in template]
    values = []
    for row in rows:
        line = template.copy()
        for name, value in row.items():
            line[positions[name]] = value
        for i in json_at:
            line[i] = _json_text(line[i])
        values.append(line)
    if connection.vendor == "sqlite":
        _adapt_for_sqlite(model, values)
    _write(model._meta.db_table, [f.column for f in _concrete(model)], values)
    if history:
        _write_history(model, values, acting_user=acting_user, now=now)
    return [row[pk] for row in rows]


@cache
def _concrete(model) -> tuple:
    return tuple(model._meta.concrete_fields)


@cache
def _layout(model) -> tuple[dict[str, int], tuple, tuple[int, ...]]:
    """For the table's columns in order: the position of each attribute name, the value a row
    that omits it gets (its default; AUTO_NOW for auto_now fields) and the JSON columns."""
    positions, template, json_at = {}, [], []
    for i, field in enumerate(_concrete(model)):
        positions[field.attname] = i
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            template.append(AUTO_NOW)
        else:
            template.append(field.get_default())
        if isinstance(field, JSONField):
            json_at.append(i)
    return positions, tuple(template), tuple(json_at)


_JSON_CACHE: dict = {}


def _json_text(value):
    """jsonb/JSON as text; survey values repeat (mostly []), so their text is cached."""
    if value is None:
        return None
    try:
        key = tuple(value) if isinstance(value, list) else None
        hash(key)
    except TypeError:
        key = None
    if key is None:
        return json.dumps(value, ensure_ascii=False)
    text = _JSON_CACHE.get(key)
    if text is None:
        text = _JSON_CACHE[key] = json.dumps(value, ensure_ascii=False)
    return text


def _adapt_for_sqlite(model, values: list[list]) -> None:
    """Dates and datetimes as Django's SQLite backend stores them (ISO text; naive UTC)."""
    ops = connection.ops
    for i, field in enumerate(_concrete(model)):
        if isinstance(field, DateTimeField):
            adapt = ops.adapt_datetimefield_value
        elif isinstance(field, DateField):
            adapt = ops.adapt_datefield_value
        else:
            continue
        seen: dict = {}
        for line in values:
            value = line[i]
            if value is not None:
                text = seen.get(value)
                if text is None:
                    text = seen[value] = adapt(value)
                line[i] = text


def _write(table: str, columns: list[str], lines) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg's errors as Django's
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for line in lines:
                    copy.write_row(line)
        else:
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", lines)


def _write_history(model, values: list[list], *, acting_user, now) -> None:
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    positions, _template, _json = _layout(model)
    picks = [i for name, i in positions.items() if name in tracked]
    by_attname = {f.attname: f for f in history._meta.concrete_fields}
    columns = [by_attname[name].column for name, i in positions.items() if name in tracked]
    columns += [by_attname[name].column for name in HISTORY_EXTRA]
    when = connection.ops.adapt_datetimefield_value(now) if connection.vendor == "sqlite" else now
    extra = [when, None, "+", acting_user.pk if acting_user is not None else None]
    _write(history._meta.db_table, columns, [[line[i] for i in picks] + extra for line in values])
