"""Loading parameter sets: the shipped YAML defaults, and administrators' rows merged on top.

Merging rule (`merge_rows`): a row stored by an administrator (origin "db") for a parameter and a
region takes precedence over shipped YAML values of the same parameter and region for the dates
it covers; the YAML values are cut around it (a YAML value open from 2025-01-01 and a row from
2025-07-01 give YAML for 2025-01-01…2025-06-30 and the row after). Rows among themselves must
not overlap. Values on other regions are untouched: a city row still yields to a county row.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from bangfu.common.texts import _

from .codec import ParameterError
from .core import Citation, ParameterDef, ParameterSet, ValueSpec, region_prefix

DEFAULTS_PATH = Path(__file__).with_name("defaults.yaml")


def _date(name: str, raw: Any, *, field: str) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ParameterError(_("参数 %(name)s：%(field)s“%(raw)s”应为 YYYY-MM-DD 格式的日期") % {"name": name, "field": field, "raw": raw}) from None


def _citation(raw: Any) -> Citation:
    if isinstance(raw, Citation):
        return raw
    if isinstance(raw, Mapping):
        return Citation(str(raw.get("document") or ""), str(raw.get("article") or ""))
    return Citation(str(raw or ""))


def definitions_from_mapping(data: Mapping[str, Any]) -> list[ParameterDef]:
    defs = []
    for name, body in data.items():
        missing = {"kind", "label", "description", "values"} - set(body or {})
        if missing:
            raise ParameterError(_("参数 %(name)s：缺少 %(missing)s") % {"name": name, "missing": ', '.join(sorted(missing))})
        defs.append(ParameterDef(
            name=name, kind=body["kind"], unit=str(body.get("unit") or ""), label=body["label"],
            description=body["description"], choices=body.get("choices"), nullable=bool(body.get("nullable", False)),
        ))
    return defs


def value_spec(definition: ParameterDef, raw: Mapping[str, Any], *, origin: str) -> ValueSpec:
    name = definition.name
    if "valid_from" not in raw or raw.get("valid_from") in (None, ""):
        raise ParameterError(_("参数 %(name)s：缺少起始日期 valid_from") % {"name": name})
    if "value" not in raw:
        raise ParameterError(_("参数 %(name)s：缺少取值 value") % {"name": name})
    region = raw.get("region", raw.get("region_code", "CN"))
    citation = raw.get("citation")
    if citation is None and ("citation_document" in raw or "citation_article" in raw):
        citation = {"document": raw.get("citation_document"), "article": raw.get("citation_article")}
    return ValueSpec(
        name=name, region=region_prefix(region),
        valid_from=_date(name, raw["valid_from"], field=_("起始日期")),
        valid_to=_date(name, raw.get("valid_to"), field=_("截止日期")),
        value=definition.parse(raw["value"]), citation=_citation(citation), origin=origin,
    )


def from_mapping(data: Mapping[str, Any], *, origin: str = "yaml") -> ParameterSet:
    defs = definitions_from_mapping(data)
    specs = [value_spec(d, raw, origin=origin) for d in defs for raw in data[d.name]["values"]]
    return ParameterSet.build(defs, specs)


def from_yaml(source: str | Path) -> ParameterSet:
    """Load a parameter set from a YAML file path or YAML text."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ParameterError(_("参数文件应为“参数名: 定义”的映射"))
    return from_mapping(data)


@functools.lru_cache(maxsize=1)
def default_parameter_set() -> ParameterSet:
    """The shipped defaults (`defaults.yaml`), parsed once per process."""
    return from_yaml(DEFAULTS_PATH)


def _row_get(row: Any, key: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    return getattr(row, key, None)


def rows_to_specs(base: ParameterSet, rows: Iterable[Any]) -> list[ValueSpec]:
    """DB rows (dicts or model instances with name, region_code, valid_from, valid_to, value,
    citation_document, citation_article) as value specs, validated against the definitions."""
    specs = []
    for row in rows:
        name = _row_get(row, "name")
        definition = base.definition(name)
        specs.append(value_spec(definition, {
            "region": _row_get(row, "region_code"), "valid_from": _row_get(row, "valid_from"),
            "valid_to": _row_get(row, "valid_to"), "value": _row_get(row, "value"),
            "citation": {"document": _row_get(row, "citation_document"), "article": _row_get(row, "citation_article")},
        }, origin="db"))
    return specs


def _subtract(spec: ValueSpec, cuts: list[ValueSpec]) -> list[ValueSpec]:
    """The parts of `spec`'s validity not covered by any of `cuts`."""
    far = dt.date.max
    pieces = [(spec.valid_from, spec.valid_to or far)]
    for cut in cuts:
        c_from, c_to = cut.valid_from, cut.valid_to or far
        next_pieces = []
        for start, end in pieces:
            if c_to <= start or c_from >= end:
                next_pieces.append((start, end))
                continue
            if start < c_from:
                next_pieces.append((start, c_from))
            if c_to < end:
                next_pieces.append((c_to, end))
        pieces = next_pieces
    return [ValueSpec(spec.name, spec.region, start, None if end == far else end, spec.value, spec.citation, spec.origin)
            for start, end in pieces]


def merge_rows(base: ParameterSet, rows: Iterable[Any]) -> ParameterSet:
    """Layer administrators' rows over a parameter set (see the module doc)."""
    db_specs = rows_to_specs(base, rows)
    by_key: dict[tuple[str, str], list[ValueSpec]] = {}
    for spec in db_specs:
        by_key.setdefault((spec.name, spec.region), []).append(spec)
    kept: list[ValueSpec] = []
    for items in base.values.values():
        for spec in items:
            cuts = by_key.get((spec.name, spec.region))
            kept.extend(_subtract(spec, cuts) if cuts and spec.origin != "db" else [spec])
    merged = ParameterSet.build(base.definitions.values(), kept + db_specs)
    return ParameterSet(merged.definitions, merged.values, base.overrides)


def to_mapping(ps: ParameterSet) -> dict[str, Any]:
    """A parameter set back to the YAML structure (for export and round-trip tests)."""
    from .codec import dump_value

    out: dict[str, Any] = {}
    for name, d in ps.definitions.items():
        body: dict[str, Any] = {"kind": d.kind, "unit": d.unit, "label": d.label, "description": d.description}
        if d.choices:
            body["choices"] = d.choices
        if d.nullable:
            body["nullable"] = True
        body["values"] = [{
            "region": s.region or "CN", "valid_from": s.valid_from, "valid_to": s.valid_to,
            "value": dump_value(d.kind, s.value),
            "citation": {"document": s.citation.document, "article": s.citation.article},
        } for s in ps.values[name]]
        out[name] = body
    return out
