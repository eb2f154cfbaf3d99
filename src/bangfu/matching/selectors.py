"""Reads of the matching app, always given the viewer (accounts.access is the one place that scopes).

`registry_frame` and `recipients` read the whole registry for linkage (a background job of an
officer whose batch is scoped; what any viewer then sees of the links goes through visible_to()).
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from django.db import connection
from django.db.models import Q, QuerySet

from bangfu.accounts.access import access_by_id, in_scope
from bangfu.registry import choices as rc
from bangfu.registry.models import Classification, Person

from .choices import BatchStatus, FindingStatus, LinkStatus
from .linkage import REGISTRY_SCHEMA
from .models import Finding, ImportBatch, ListRow

RECEIVING_CATEGORIES = (rc.Category.DIBAO, rc.Category.TEKUN)


def _frame(sql: str, params: list, schema: dict) -> pl.DataFrame:
    names = list(schema)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            query = raw.mogrify(sql, params) if params else sql
            buffer = io.BytesIO()
            with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    buffer.write(block)
        if buffer.getbuffer().nbytes == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        frame = pl.read_csv(buffer, infer_schema=False)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None) if rows else pl.DataFrame(schema={n: pl.String for n in names})
    out = []
    for name, dtype in schema.items():
        source = frame.schema[name]
        if source == dtype:
            out.append(pl.col(name))
        elif dtype == pl.Date:
            out.append(pl.col(name).cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).alias(name))
        else:
            out.append(pl.col(name).cast(dtype, strict=False).alias(name))
    return frame.select(out)


def registry_frame() -> pl.DataFrame:
    """Every registry person as linkage needs them (linkage.REGISTRY_SCHEMA plus household_id)."""
    table = connection.ops.quote_name(Person._meta.db_table)
    schema = {**REGISTRY_SCHEMA, "household_id": pl.Int64}
    return _frame(f"SELECT id AS person_id, id_number, name, sex, birth_date, region_code, household_id FROM {table}", [], schema)


def receiving_households(on: dt.date) -> QuerySet:
    """Households with a dibao or tekun category in force on `on` (registry Classification is the
    registry's record of who receives what; see docs/matching.md)."""
    return Classification.objects.filter(
        kind=rc.ClassificationKind.CATEGORY, code__in=RECEIVING_CATEGORIES, start_date__lte=on,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def receiving_person_ids(person_ids, on: dt.date) -> dict[int, list[str]]:
    """person id → programmes received on `on`, for the given persons (a household category
    covers every current member; a category naming a person covers that person)."""
    person_ids = list(person_ids)
    if not person_ids:
        return {}
    active = receiving_households(on)
    if len(person_ids) <= 2000:
        rows = list(active.filter(household__members__in=person_ids).values_list("household__members", "person_id", "code"))
    else:  # a big list: read the (smaller) receiving side once instead of an IN list of every person
        wanted = set(person_ids)
        cats = list(active.values_list("household_id", "person_id", "code"))
        households = {h for h, _p, _c in cats}
        members: dict[int, list[int]] = {}
        for pid, hid in Person.objects.filter(household_id__in=active.values("household_id")).values_list("id", "household_id"):
            if pid in wanted:
                members.setdefault(hid, []).append(pid)
        rows = [(pid, only, code) for hid, only, code in cats if hid in households for pid in members.get(hid, ())]
    out: dict[int, list[str]] = {}
    for pid, only_person, code in rows:
        if only_person is None or only_person == pid:
            out.setdefault(pid, [])
            if code not in out[pid]:
                out[pid].append(code)
    return out


def batches(viewer) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.visible_to(viewer).order_by("-id")


def batch_get(viewer, batch_id) -> ImportBatch:
    return access_by_id(viewer, ImportBatch.objects.all(), batch_id)


def findings(viewer, *, kind: str = "", status: str = "", batch_id: int | None = None) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("batch", "person", "household").visible_to(viewer).filter(batch__status=BatchStatus.ACTIVE)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.order_by("-id")


def finding_get(viewer, finding_id) -> Finding:
    return access_by_id(viewer, Finding.objects.select_related("batch", "person", "household"), finding_id)


def review_queue(viewer, *, batch_id: int | None = None) -> QuerySet[ListRow]:
    """Rows waiting for a decision whose proposed person the viewer may see."""
    qs = ListRow.objects.filter(link_status=LinkStatus.REVIEW, batch__status=BatchStatus.ACTIVE).select_related("batch", "person")
    qs = qs.visible_to(viewer, field="person__region_code")
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.order_by("batch_id", "row_no")


def review_row_get(viewer, row_id) -> ListRow:
    return access_by_id(viewer, ListRow.objects.select_related("batch", "person"), row_id, field="person__region_code")


def batch_rows(viewer, batch: ImportBatch, *, status: str = "") -> QuerySet[ListRow]:
    qs = batch.rows.select_related("person")
    if status:
        qs = qs.filter(link_status=status)
    return qs.order_by("row_no")


def visible_person(viewer, person) -> bool:
    return person is not None and in_scope(viewer, person.region_code)


def open_count(viewer) -> int:
    return findings(viewer, status=FindingStatus.OPEN).count()
