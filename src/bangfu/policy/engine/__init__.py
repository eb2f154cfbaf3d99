"""The pure rules engine of issue 3: Polars tables in, Polars tables out, no ORM.

Entry points:
- `assess(frames, on, params)` → `Assessment` (households, persons, groups, reasons tables)
- `assess_documents(docs, on, params)` → one JSON-ready dict per household document
- `frames_from_documents(docs)`, `schema.Frames`, `schema.conform_table`
- `dibao_only(frames, on, params)` → the household dibao rule alone (benchmark peer)

No module of this package imports Django (`tests/test_purity.py`).
"""

from .documents import DocumentError, assess_documents, frames_from_documents, result_documents
from .reasons import sentence
from .run import Assessment, assess, dibao_only
from .schema import Frames, SchemaError, conform_table

__all__ = [
    "Assessment", "DocumentError", "Frames", "SchemaError", "assess", "assess_documents", "conform_table",
    "dibao_only", "frames_from_documents", "result_documents", "sentence",
]

from .simulate import compare, simulate, summary  # noqa: E402

__all__ += ["compare", "simulate", "summary"]
