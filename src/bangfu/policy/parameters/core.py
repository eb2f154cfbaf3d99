"""Policy parameters as data: dated, region-indexed values with citations (architecture.md).

Resolution (`ParameterSet.resolve`): a household's 12-digit region code has the ancestry
village (12 digits) → township (9) → county (6) → city (4) → province (2) → nation (""). A value
set on a region applies to everything below it. For a date, the most specific region in that
ancestry that has a value *valid on that date* wins; so a county value that has expired falls back
to its city's, then province's, then the national default.

Validity is `valid_from` inclusive, `valid_to` exclusive (`None` = open ended): a new standard
from 2025-07-01 is entered as `valid_from: 2025-07-01` and the old one ends with
`valid_to: 2025-07-01`. Two values of one parameter on one region must not overlap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable, Mapping

from bangfu.common.texts import _
from bangfu.regions.codes import RegionCode

from .codec import KINDS, ParameterError, apply_percent, display_value, parse_value
from .floors import check_tekun_basic_standards

NATIONAL = ""
NATION = RegionCode.from_digits(NATIONAL)
_PERCENT = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*%\s*$")


def region_prefix(code: Any) -> str:
    """Normalise a region code to its significant prefix.

    "CN", "", "0", "000000000000" → "" (national); "34" / "340000000000" → "34";
    "340100" / "340100000000" → "3401"; "341122" → "341122"; a village keeps all 12 digits.
    """
    text = "" if code is None else str(code).strip()
    if text.upper() in ("", "CN"):
        return NATIONAL
    if not text.isdigit() or len(text) > 12:
        raise ParameterError(_("区划代码“%(code)s”应为不超过 12 位的数字，或 CN 表示全国") % {"code": code}, field="region")
    region = RegionCode.from_digits(text)
    return NATIONAL if region == NATION else region.prefix


def region_ancestry(code: str) -> list[str]:
    """Prefixes of a region code from the most specific to the nation."""
    own = region_prefix(code)
    if own == NATIONAL:
        return [NATIONAL]
    region = RegionCode.from_prefix(own)
    return [own, *(a.prefix for a in reversed(region.ancestors) if a != NATION), NATIONAL]


def region_label(prefix: str) -> str:
    return _("全国") if prefix == NATIONAL else RegionCode.from_prefix(prefix).code


def region_code_of(prefix: str) -> str:
    """The 12-digit code a value set on `prefix` is stored under (all zeros for the nation)."""
    return RegionCode.from_digits(prefix).code


@dataclass(frozen=True)
class Citation:
    document: str
    article: str = ""

    def __str__(self) -> str:
        return f"{self.document}{self.article}"


@dataclass(frozen=True)
class ParameterDef:
    name: str
    kind: str
    unit: str
    label: str
    description: str
    choices: str | None = None
    nullable: bool = False

    def parse(self, raw: Any) -> Any:
        return parse_value(self.name, self.kind, raw, choices=self.choices, nullable=self.nullable)

    def display(self, value: Any) -> str:
        return display_value(self.kind, value, self.unit)


@dataclass(frozen=True)
class ValueSpec:
    """One dated value of a parameter on a region (region is a normalised prefix)."""

    name: str
    region: str
    valid_from: dt.date
    valid_to: dt.date | None
    value: Any
    citation: Citation
    origin: str = "yaml"  # "yaml" (shipped default) or "db" (set by an administrator)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Override:
    """A simulation overlay: set a value, or scale it by a percentage, from an optional date."""

    name: str
    region: str | None
    percent: Decimal | None
    value: Any
    text: str
    effective_from: dt.date | None = None

    def applies(self, ancestry: list[str], day: dt.date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.region is None or self.region in ancestry


@dataclass(frozen=True)
class Resolved:
    """A resolved value and where it came from, for the reasons (R-numbers in the citation)."""

    definition: ParameterDef
    value: Any
    region: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: Citation
    adjusted: str = ""  # the overlay text when a simulation changed the value

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def display(self) -> str:
        return self.definition.display(self.value)

    def source_text(self) -> str:
        """E.g. "农村低保标准，自 2025-01-01 起，依据《社会救助暂行办法》第十条"."""
        text = _("%(label)s，自 %(day)s 起，依据%(citation)s") % {
            "label": _(self.definition.label), "day": self.valid_from.isoformat(), "citation": self.citation}
        if self.adjusted:
            text += _("，模拟调整 %(change)s") % {"change": self.adjusted}
        return text


@dataclass(frozen=True)
class ParameterSet:
    """All parameter definitions and their values; immutable, so overlays return a new set."""

    definitions: Mapping[str, ParameterDef]
    values: Mapping[str, tuple[ValueSpec, ...]]
    overrides: tuple[Override, ...] = field(default=())

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def build(cls, definitions: Iterable[ParameterDef], values: Iterable[ValueSpec]) -> "ParameterSet":
        defs = {d.name: d for d in definitions}
        for d in defs.values():
            if d.kind not in KINDS:
                raise ParameterError(_("参数 %(name)s：未知类型 %(kind)s") % {"name": d.name, "kind": d.kind})
        grouped: dict[str, list[ValueSpec]] = {name: [] for name in defs}
        for spec in values:
            if spec.name not in defs:
                raise ParameterError(_("未知参数 %(name)s") % {"name": spec.name})
            grouped[spec.name].append(spec)
        out = {name: tuple(sorted(specs, key=lambda s: (s.region, s.valid_from))) for name, specs in grouped.items()}
        ps = cls(definitions=defs, values=out)
        ps.validate()
        return ps

    def validate(self) -> None:
        for name, specs in self.values.items():
            if not any(s.region == NATIONAL for s in specs):
                raise ParameterError(_("参数 %(name)s：缺少全国默认值（region: CN）") % {"name": name})
            by_region: dict[str, list[ValueSpec]] = {}
            for spec in specs:
                if spec.valid_to is not None and spec.valid_to <= spec.valid_from:
                    raise ParameterError(_("参数 %(name)s（%(region)s）：截止日期应晚于起始日期 %(valid_from)s") % {"name": name, "region": region_label(spec.region), "valid_from": spec.valid_from}, field="valid_to")
                by_region.setdefault(spec.region, []).append(spec)
            for region, items in by_region.items():
                items.sort(key=lambda s: s.valid_from)
                for a, b in zip(items, items[1:]):
                    if a.valid_to is None or a.valid_to > b.valid_from:
                        raise ParameterError(_("参数 %(name)s（%(region)s）：自 %(a)s 与自 %(b)s 的两个取值有效期重叠") % {
                            "name": name, "region": region_label(region), "a": a.valid_from, "b": b.valid_from}, field="valid_from")
        check_tekun_basic_standards(self, region_label)

    def with_values(self, specs: Iterable[ValueSpec]) -> "ParameterSet":
        """A new set with more values (they must not overlap existing ones on the same region)."""
        merged = [s for items in self.values.values() for s in items] + list(specs)
        return replace(ParameterSet.build(self.definitions.values(), merged), overrides=self.overrides)

    def with_overrides(self, changes: Mapping[str, Any], *, effective_from: dt.date | None = None) -> "ParameterSet":
        """Overlay a reform for simulation: `{"dibao_standard_rural": "+10%", "near_dibao_factor": "2"}`.

        A key `name@REGION` limits the change to that region's subtree. "+N%"/"-N%" scales the
        value in force (money to the fen, half up); anything else replaces it. With
        `effective_from`, the overlay applies only on and after that date.
        """
        added = []
        for key, raw in changes.items():
            name, _sep, region = str(key).partition("@")
            definition = self.definition(name)
            prefix = region_prefix(region) if region else None
            match = _PERCENT.match(raw) if isinstance(raw, str) else None
            if match:
                percent = Decimal(match.group(2)) * (1 if match.group(1) == "+" else -1)
                added.append(Override(name, prefix, percent, None, f"{match.group(1)}{match.group(2)}%", effective_from))
            else:
                value = definition.parse(raw)
                added.append(Override(name, prefix, None, value, f"= {definition.display(value)}", effective_from))
        return replace(self, overrides=self.overrides + tuple(added))

    # -- reading ------------------------------------------------------------------------------
    def definition(self, name: str) -> ParameterDef:
        try:
            return self.definitions[name]
        except KeyError:
            raise ParameterError(_("未知参数 %(name)s") % {"name": name}) from None

    @property
    def names(self) -> list[str]:
        return list(self.definitions)

    def region_prefixes(self) -> set[str]:
        """Every region that carries a value or an overlay: the keys of the engine's table."""
        prefixes = {s.region for items in self.values.values() for s in items}
        prefixes |= {o.region for o in self.overrides if o.region is not None}
        prefixes.add(NATIONAL)
        return prefixes

    def resolve(self, name: str, region_code: str, on: dt.date) -> Resolved:
        """The value of `name` for a region on a date, with its source (see the module doc)."""
        definition = self.definition(name)
        ancestry = region_ancestry(region_code) if region_code not in ("", "CN") else [NATIONAL]
        specs = self.values[name]
        found = None
        for prefix in ancestry:
            for spec in specs:
                if spec.region == prefix and spec.valid_on(on):
                    found = spec
                    break
            if found:
                break
        if found is None:
            raise ParameterError(_("参数 %(name)s（%(label)s）在 %(region)s 于 %(on)s 没有有效取值") % {"name": name, "label": _(definition.label), "region": region_label(ancestry[0]), "on": on})
        resolved = Resolved(definition, found.value, found.region, found.valid_from, found.valid_to, found.citation)
        for override in self.overrides:
            if override.name == name and override.applies(ancestry, on):
                if override.percent is not None:
                    value = apply_percent(name, definition.kind, resolved.value, override.percent)
                else:
                    value = override.value
                text = (resolved.adjusted + "，" if resolved.adjusted else "") + override.text
                resolved = replace(resolved, value=value, adjusted=text)
        return resolved

    def resolve_all(self, region_code: str, on: dt.date) -> dict[str, Resolved]:
        return {name: self.resolve(name, region_code, on) for name in self.definitions}

    def value(self, name: str, region_code: str, on: dt.date) -> Any:
        return self.resolve(name, region_code, on).value
