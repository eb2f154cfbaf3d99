"""Set-based reading for the finding rules (rules.py).

A list of a million rows can produce hundreds of thousands of findings: the rules read the
batch's rows joined to their persons as one Polars frame (COPY on PostgreSQL), the receiving
side as a second one, and decide in plain Python over tuples; bulkwrite.write_findings then
writes every finding at once. No model instance is built per row or per finding.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import polars as pl
from django.db import connection

from bangfu.registry import choices as rc
from bangfu.registry.models import Classification, Person

from .choices import LinkStatus
from .models import ImportBatch, ListRow
from .selectors import RECEIVING_CATEGORIES


def _param(name: str, region_code: str, on: dt.date):
    from bangfu.policy.current import current_parameter_set

    return current_parameter_set().value(name, region_code, on)


@dataclass(slots=True)
class Draft:
    """A finding to write: the columns of matching.Finding that the rules decide."""

    kind: str
    summary: str
    detail: dict
    row_id: int | None
    person_id: int | None
    household_id: int | None
    region_code: str
    name: str
    id_number: str


def _draft(rec: dict, kind: str, summary: str, detail: dict, *, in_registry: bool = True) -> Draft:
    """As a finding of the row `rec`: the linked person's identity and region when the row is
    linked, else what the list says (the row's region: list column, ID county or the batch's)."""
    if in_registry and rec.get("p_id") is not None:
        return Draft(kind, summary[:255], detail, rec["row_id"], rec["p_id"], rec["household_id"], rec["p_region"],
                     rec["p_name"], rec["p_id_number"])
    return Draft(kind, summary[:255], detail, rec["row_id"], None, None, rec["row_region"], rec["row_name"], rec["row_id_number"])


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


ROW_SCHEMA = {"row_id": pl.Int64, "row_no": pl.Int64, "row_region": pl.String, "row_name": pl.String, "row_id_number": pl.String,
              "data": pl.String, "link_status": pl.String, "person_id": pl.Int64, "p_id": pl.Int64, "p_name": pl.String,
              "p_id_number": pl.String, "p_region": pl.String, "household_id": pl.Int64, "p_status": pl.String}
PERSON_EXTRA = {"birth_date": pl.Date, "disability_cert_number": pl.String, "disability_grade": pl.Int64, "disability_type": pl.String,
                "disability_issue_date": pl.Date, "disability_last_check": pl.Date}


def _narrowing(*, on: dt.date | None = None, ended_since: dt.date | None = None) -> tuple[str, list]:
    """SQL narrowing persons `p` to those whose household has a dibao or tekun category in force
    on `on` (or, with `ended_since`, not ended before that day): most of a list is not receiving,
    and the exact check (_programmes) then reads only these."""
    sql = (f" AND EXISTS (SELECT 1 FROM {_table(Classification)} c WHERE c.household_id = p.household_id AND c.kind = %s"
           f" AND c.code IN ({_in(RECEIVING_CATEGORIES)})")
    params = [rc.ClassificationKind.CATEGORY.value, *[str(c) for c in RECEIVING_CATEGORIES]]
    if on is not None:
        sql += " AND c.start_date <= %s AND (c.end_date IS NULL OR c.end_date >= %s)"
        params += [on.isoformat(), on.isoformat()]
    if ended_since is not None:
        sql += " AND (c.end_date IS NULL OR c.end_date >= %s)"
        params.append(ended_since.isoformat())
    return sql + ")", params


def _rows(batch: ImportBatch, row_ids, statuses, *, linked: bool, extra: bool = False, narrow: tuple[str, list] = ("", [])) -> list[dict]:
    """The batch's rows (all, or those of `row_ids`) with the given link statuses, in row order,
    each with its person's columns (p_*; None when the row has no person). `linked`: only rows
    whose person exists (an inner join), as the rules about registry persons need; `narrow`: a
    _narrowing() of the persons."""
    from .selectors import _frame

    schema = ROW_SCHEMA | (PERSON_EXTRA if extra else {})
    more = "".join(f", p.{c}" for c in PERSON_EXTRA) if extra else ""
    where, params = f"r.batch_id = %s AND r.link_status IN ({_in(statuses)})", [batch.pk, *statuses]
    if row_ids is not None:
        where += f" AND r.id IN ({_in(row_ids)})"
        params += list(row_ids)
    where += narrow[0]
    params += narrow[1]
    join = "JOIN" if linked else "LEFT JOIN"
    sql = (f"SELECT r.id AS row_id, r.row_no, r.region_code AS row_region, r.name AS row_name, r.id_number AS row_id_number, "
           f"r.data, r.link_status, r.person_id, p.id AS p_id, p.name AS p_name, p.id_number AS p_id_number, "
           f"p.region_code AS p_region, p.household_id, p.status AS p_status{more} "
           f"FROM {_table(ListRow)} r {join} {_table(Person)} p ON p.id = r.person_id WHERE {where} ORDER BY r.row_no")
    frame = _frame(sql, params, schema).with_columns(
        pl.col("row_region", "row_name", "row_id_number", "data", "p_name", "p_id_number", "p_region").fill_null(""))
    if extra:
        frame = frame.with_columns(pl.col("disability_cert_number", "disability_type").fill_null(""))
    out = frame.to_dicts()
    for rec in out:
        if rec["p_id"] is None:
            rec["p_name"] = rec["p_id_number"] = rec["p_region"] = None
    return out


def _data(rec: dict) -> dict:
    value = rec["data"]
    if isinstance(value, str):
        value = json.loads(value) if value else {}
        rec["data"] = value
    return value or {}


CLASS_SCHEMA = {"person_id": pl.Int64, "cls_id": pl.Int64, "cls_person": pl.Int64, "code": pl.String,
                "start_date": pl.Date, "end_date": pl.Date}


def _classifications(person_ids, codes) -> pl.DataFrame:
    """Every category classification with one of `codes` of the household of each of the persons:
    person_id, cls_id, cls_person (the person a category names, else null: the whole household),
    code, start_date, end_date. For many persons the registry's whole side is read once (these
    categories hold a fraction of the registry) and joined here, instead of an IN list."""
    from .selectors import _frame

    person_ids = sorted({p for p in person_ids if p is not None})
    if not person_ids:
        return pl.DataFrame(schema=CLASS_SCHEMA)
    few = len(person_ids) <= 900
    sql = (f"SELECT p.id AS person_id, c.id AS cls_id, c.person_id AS cls_person, c.code, c.start_date, c.end_date "
           f"FROM {_table(Classification)} c JOIN {_table(Person)} p ON p.household_id = c.household_id "
           f"WHERE c.kind = %s AND c.code IN ({_in(codes)})" + (f" AND p.id IN ({_in(person_ids)})" if few else ""))
    frame = _frame(sql, [rc.ClassificationKind.CATEGORY.value, *[str(c) for c in codes], *(person_ids if few else [])], CLASS_SCHEMA)
    return frame if few else frame.filter(pl.col("person_id").is_in(person_ids))


def _programmes(cls: pl.DataFrame, wanted: list[tuple[int, int, dt.date]]) -> dict[int, list[str]]:
    """key → programmes received by the person on the day, for (key, person_id, day) triples, as
    selectors.receiving_person_ids: a dibao or tekun category in force that day covers every
    current member of the household, or the one person it names."""
    if not wanted or cls.is_empty():
        return {}
    asked = pl.DataFrame(wanted, schema={"key": pl.Int64, "person_id": pl.Int64, "on": pl.Date}, orient="row")
    got = (asked.join(cls, on="person_id", how="inner")
           .filter(pl.col("code").is_in([str(c) for c in RECEIVING_CATEGORIES]) & (pl.col("start_date") <= pl.col("on"))
                   & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("on")))
                   & (pl.col("cls_person").is_null() | (pl.col("cls_person") == pl.col("person_id"))))
           .sort("cls_id").group_by("key", maintain_order=True).agg(pl.col("code").unique(maintain_order=True)))
    return dict(zip(got["key"].to_list(), got["code"].to_list(), strict=True))


def _receiving_today(linked: list[dict], today: dt.date) -> dict[int, list[str]]:
    """row id → programmes its person receives today (rows whose person receives nothing absent)."""
    cls = _classifications([r["p_id"] for r in linked], RECEIVING_CATEGORIES)
    return _programmes(cls, [(r["row_id"], r["p_id"], today) for r in linked])


class _Params:
    """Policy parameters by (name, region) for one run: a list of a million rows has a few
    hundred regions."""

    def __init__(self, today: dt.date):
        self.today, self.cache = today, {}

    def __call__(self, name: str, region_code: str):
        key = (name, region_code)
        if key not in self.cache:
            self.cache[key] = _param(name, region_code, self.today)
        return self.cache[key]


ACCEPTED = [LinkStatus.ACCEPTED.value]
