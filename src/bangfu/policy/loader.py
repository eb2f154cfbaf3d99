"""Feeds the pure engine from the registry: the database rows of a region subtree become the
engine's input tables (policy.engine.schema).

On PostgreSQL each table is streamed with COPY … TO STDOUT as CSV straight into Polars, which
reads a province's millions of rows without building a Python object per row; on SQLite the
same SELECTs go through the cursor. Both paths use the same SQL and the same column list.
The registry's end dates are inclusive (截止日期); the engine's are exclusive, so a day is added.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import polars as pl
from django.db import connection

from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Person, RigidExpense, Supporter

from .engine.schema import Frames

SELF_CARE = ("can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe")


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: dict[str, str]  # engine column -> SQL expression
    dtypes: dict[str, pl.DataType]
    where: str = ""


def _q(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _specs() -> dict[str, TableSpec]:
    person_cols = {
        "person_id": "p.id", "household_id": "p.household_id", "birth_date": "p.birth_date", "sex": "p.sex",
        "relation": "p.relation", "status": "p.status", "labor_capacity": "p.labor_capacity",
        "living_situation": "p.living_situation", **{c: f"p.{c}" for c in SELF_CARE},
        "schooling_level": "p.schooling_level", "enrolled": "p.enrolled", "dropped_out": "p.dropped_out",
        "major_illnesses": "p.major_illnesses", "disability_type": "p.disability_type",
        "disability_grade": "p.disability_grade", "disability_cert_number": "p.disability_cert_number",
        "disability_issue_date": "p.disability_issue_date", "disability_last_check": "p.disability_last_check",
        "disability_suspected": "p.disability_suspected", "is_orphan": "p.is_orphan",
        "is_unsupported_child": "p.is_unsupported_child", "has_mental_disorder": "p.has_mental_disorder",
        "religious_staff_since": "p.religious_staff_since", "gugua": "p.gugua", "supporters_checked": "p.supporters_checked",
    }
    boolean = {c: pl.Boolean for c in (*SELF_CARE, "enrolled", "dropped_out", "disability_suspected", "is_orphan", "is_unsupported_child", "has_mental_disorder", "gugua")}
    supporter_facts = ("on_dibao", "on_tekun", "income_below_disposable", "severe_disability", "no_civil_capacity")
    dates = {c: pl.Date for c in ("birth_date", "disability_issue_date", "disability_last_check", "religious_staff_since")}
    dated = {"valid_from": pl.Date, "valid_to": pl.Date}
    return {
        "households": TableSpec(_q(Household) + " p", {"household_id": "p.id", "region_code": "p.region_code", "hukou_type": "p.hukou_type", "housing_safety": "p.housing_safety",
                                                       "local_hukou": "p.local_hukou", "family_planning_two_daughters": "p.family_planning_two_daughters"},
                                {"household_id": pl.Int64, "local_hukou": pl.Boolean, "family_planning_two_daughters": pl.Boolean}, "p.status = 'active'"),
        "persons": TableSpec(_q(Person) + " p", person_cols, {"person_id": pl.Int64, "household_id": pl.Int64, "disability_grade": pl.Int8, **boolean, **dates},
                             "p.household_id IS NOT NULL"),
        "incomes": TableSpec(_q(IncomeItem) + " p", {"household_id": "p.household_id", "person_id": "p.person_id", "kind": "p.kind", "monthly_amount_fen": "p.monthly_amount_fen", "valid_from": "p.valid_from", "valid_to": "p.valid_to"},
                             {"household_id": pl.Int64, "person_id": pl.Int64, "monthly_amount_fen": pl.Int64, **dated}),
        "assets": TableSpec(_q(Asset) + " p", {"household_id": "p.household_id", "person_id": "p.person_id", "kind": "p.kind", "value_fen": "p.value_fen", "quantity": "p.quantity"},
                            {"household_id": pl.Int64, "person_id": pl.Int64, "value_fen": pl.Int64, "quantity": pl.Int64}),
        "expenses": TableSpec(_q(RigidExpense) + " p", {"household_id": "p.household_id", "person_id": "p.person_id", "kind": "p.kind", "monthly_amount_fen": "p.monthly_amount_fen", "valid_from": "p.valid_from", "valid_to": "p.valid_to"},
                              {"household_id": pl.Int64, "person_id": pl.Int64, "monthly_amount_fen": pl.Int64, **dated}),
        "categories": TableSpec(_q(Classification) + " p", {"household_id": "p.household_id", "person_id": "p.person_id", "code": "p.code", "amount_fen": "p.monthly_amount_fen", "start_date": "p.start_date", "end_date": "p.end_date"},
                                {"household_id": pl.Int64, "person_id": pl.Int64, "amount_fen": pl.Int64, "start_date": pl.Date, "end_date": pl.Date}, "p.kind = 'category'"),
        "supporters": TableSpec(_q(Supporter) + " p", {"household_id": "p.household_id", "person_id": "p.person_id", "relation": "p.relation", "birth_date": "p.birth_date",
                                                       **{c: f"p.{c}" for c in supporter_facts}, "capacity": "p.capacity"},
                                {"household_id": pl.Int64, "person_id": pl.Int64, "birth_date": pl.Date, **{c: pl.Boolean for c in supporter_facts}},
                                "p.person_id IS NOT NULL"),
    }


def _read(spec: TableSpec, low: str, high: str, household_ids: list[int] | None) -> pl.DataFrame:
    select = ", ".join(f"{expr} AS {name}" for name, expr in spec.columns.items())
    conditions = [c for c in (spec.where,) if c]
    params: list = []
    if household_ids is not None:
        key = "p.id" if spec.columns["household_id"] == "p.id" else "p.household_id"
        conditions.append(f"{key} IN ({', '.join(str(int(i)) for i in household_ids) or 'NULL'})")
    else:
        conditions.append("p.region_code BETWEEN %s AND %s")
        params = [low, high]
    sql = f"SELECT {select} FROM {spec.table} WHERE {' AND '.join(conditions)}"
    names = list(spec.columns)
    if connection.vendor == "postgresql" and household_ids is None:
        frame = _copy_csv(sql, params, names)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None) if rows else pl.DataFrame(schema={n: pl.String for n in names})
    return _normalise(frame, spec)


def _copy_csv(sql: str, params: list, names: list[str]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        query = raw.mogrify(sql, params) if params else sql
        buffer = io.BytesIO()
        with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
            for block in copy:
                buffer.write(block)
    buffer.seek(0)
    if buffer.getbuffer().nbytes == 0:
        return pl.DataFrame(schema={n: pl.String for n in names})
    return pl.read_csv(buffer, infer_schema_length=0)  # all text; _normalise casts


def _normalise(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    exprs = []
    for name in spec.columns:
        col = pl.col(name)
        dtype = spec.dtypes.get(name)
        source = frame.schema[name]
        if name == "major_illnesses":
            if source == pl.String:
                col = col.str.json_decode(pl.List(pl.String))
            else:
                col = col.map_elements(lambda v: v if isinstance(v, list) else [], return_dtype=pl.List(pl.String))
        elif dtype == pl.Boolean and source == pl.String:
            # null stays null (gugua: unknown is not no)
            col = pl.when(col.is_null()).then(pl.lit(None, pl.Boolean)).otherwise(col.is_in(["t", "true", "True", "1"]))
        elif dtype == pl.Date and source == pl.String:
            col = col.str.to_date("%Y-%m-%d", strict=False)
        elif dtype is not None and source != dtype:
            col = col.cast(dtype, strict=False)
        if source == pl.String and dtype is None:
            col = pl.when(col == "").then(None).otherwise(col) if name in ("disability_type", "disability_cert_number") else col
        exprs.append(col.alias(name))
    out = frame.select(exprs)
    for end in ("valid_to", "end_date"):
        if end in out.columns:  # inclusive in the registry, exclusive in the engine
            out = out.with_columns(pl.col(end) + pl.duration(days=1))
    return out


def load_frames(*, bounds: tuple[str, str] | None = None, household_ids: list[int] | None = None) -> Frames:
    """The engine input for the households in a code range, or for given household ids."""
    low, high = bounds or ("000000000000", "999999999999")
    tables = {name: _read(spec, low, high, household_ids) for name, spec in _specs().items()}
    households = tables["households"]
    active = households.select("household_id")
    persons = tables["persons"].join(active, on="household_id", how="semi")
    # a supporter counts for a person still in the household the row belongs to
    supporters = tables["supporters"].join(persons.select("person_id", "household_id"), on=["person_id", "household_id"], how="semi")
    return Frames(
        households=households, persons=persons, incomes=tables["incomes"], assets=tables["assets"],
        expenses=tables["expenses"], categories=tables["categories"], supporters=supporters,
    ).conform()


def load_household(household_id: int) -> Frames:
    return load_frames(household_ids=[household_id])


__all__ = ["load_frames", "load_household", "dt"]
