"""Writing the finding rules' drafts: one COPY on PostgreSQL, batched INSERTs elsewhere. Like
bulk_create, creation leaves no history row (the batch records it)."""

from __future__ import annotations

import io
import json

import polars as pl
from django.db import connection
from django.utils import timezone

from .choices import FindingStatus
from .models import Finding, ImportBatch
from .ruleframes import Draft, _in, _table

FINDING_COLUMNS = ("batch_id", "row_id", "kind", "region_code", "person_id", "household_id", "name", "id_number", "summary",
                   "detail", "status", "dismiss_reason", "created_at")


def write_findings(batch: ImportBatch, drafts: list[Draft]) -> int:
    """Store the drafts as open findings of the batch: one COPY on PostgreSQL, batched INSERTs
    elsewhere. Answers how many were written."""
    if not drafts:
        return 0
    now = timezone.now()
    table, columns = _table(Finding), ", ".join(connection.ops.quote_name(c) for c in FINDING_COLUMNS)
    if connection.vendor == "postgresql":
        frame = pl.DataFrame(
            [(batch.pk, d.row_id, str(d.kind), d.region_code, d.person_id, d.household_id, d.name, d.id_number, d.summary,
              json.dumps(d.detail, ensure_ascii=False)) for d in drafts],
            schema={"batch_id": pl.Int64, "row_id": pl.Int64, "kind": pl.String, "region_code": pl.String, "person_id": pl.Int64,
                    "household_id": pl.Int64, "name": pl.String, "id_number": pl.String, "summary": pl.String, "detail": pl.String},
            orient="row",
        ).with_columns(pl.lit(FindingStatus.OPEN.value).alias("status"), pl.lit("").alias("dismiss_reason"),
                       pl.lit(now.isoformat()).alias("created_at"))
        buffer = io.BytesIO()
        frame.select(FINDING_COLUMNS).write_csv(buffer, include_header=False, quote_style="non_numeric", null_value="")
        buffer.seek(0)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        return len(drafts)
    created = connection.ops.adapt_datetimefield_value(now)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({_in(FINDING_COLUMNS)})"
    values = [(batch.pk, d.row_id, str(d.kind), d.region_code, d.person_id, d.household_id, d.name, d.id_number, d.summary,
               json.dumps(d.detail, ensure_ascii=False), FindingStatus.OPEN.value, "", created) for d in drafts]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 20000):
            cursor.executemany(sql, values[start:start + 20000])
    return len(drafts)
