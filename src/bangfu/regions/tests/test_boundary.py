"""Region codes are sliced and ranges built in one place (issue 11): `regions.codes.RegionCode`
and the queryset method `.within()` / `.visible_to()` (regions.scoping, accounts.access).

Like policy/tests/test_purity.py, a boundary a test enforces: every source module outside
`regions/` and `accounts/` (tests and migrations aside) is scanned for the ways a region code was
cut or a subtree range built by hand, and each hit is named by file and line. An ID number's
first six digits are not a region code (common/idnumber.py); where they become a region, the
value type does it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/bangfu
OWNERS = {"regions", "accounts"}  # where code arithmetic and scoping live

# (what it catches, pattern)
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("padding a code to 12 digits", re.compile(r"\.ljust\(\s*12\b")),
    ("stripping a code's trailing zeros", re.compile(r"\.rstrip\(\s*[\"']0[\"']\s*\)")),
    ("slicing a region code", re.compile(r"code\w*[\"']?\]?\[\s*\d*\s*:\s*\d*\s*\]")),
    ("a hand-built range on a code field", re.compile(r"code__(?:gte|lte|range|startswith)\b")),
    ("a SQL substring of a code", re.compile(r"Substr\(\s*[\"']\w*code")),
    ("a polars slice of a code column", re.compile(r"code\S*\.str\.(?:slice|head)\(")),
    ("a parent code worked out by hand", re.compile(r"\bparent_code\(")),
    ("the old prefix helpers instead of RegionCode", re.compile(r"\b(?:subtree_bounds|prefix_of|level_of)\b")),
    ("scoping outside the queryset method", re.compile(r"\b(?:scope|scope_households|viewer_bounds)\(")),
]


def source_files() -> list[Path]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if parts[0] in OWNERS or "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        out.append(path)
    return out


def offences(path: Path) -> list[str]:
    hits = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        for what, pattern in PATTERNS:
            if pattern.search(code):
                hits.append(f"{path.relative_to(SRC.parent)}:{number}: {what}: {line.strip()}")
    return hits


def test_the_scan_sees_the_whole_tree():
    names = {p.relative_to(SRC).as_posix() for p in source_files()}
    assert {"cases/selectors.py", "benefits/selectors.py", "outreach/access.py", "policy/parameters/core.py"} <= names
    assert not any(n.startswith(("regions/", "accounts/")) or "/tests/" in n for n in names)


@pytest.mark.parametrize("line", [
    'low = code.ljust(12, "0")',
    'prefix = home.rstrip("0")',
    "key = row[\"region_code\"][:6]",
    "town = b.region_code[:9]",
    "rest = code12[6:]",
    "qs.filter(region_code__gte=low, region_code__lte=high)",
    "Region.objects.filter(code__range=(low, high))",
    "User.objects.filter(region__code__startswith=p)",
    'Substr("region_code", 1, 9)',
    'pl.col("region_code").str.slice(0, 9)',
    "parent = parent_code(code)",
    "low, high = subtree_bounds(prefix_of(c, level_of(c)))",
    "qs = scope(viewer, Case.objects.all())",
])
def test_each_pattern_catches_what_it_is_for(line, tmp_path):
    path = SRC / "_probe.py"
    try:
        path.write_text(line + "\n", encoding="utf-8")
        assert offences(path), line
    finally:
        path.unlink()


@pytest.mark.parametrize("line", [
    "area = value[:6]",
    "first17 = number[:6] + number[8:17]",
    "qs = Case.objects.visible_to(viewer).within(region)",
    "town = RegionCode(b.region_code).township",
    'area = pl.col("id_clean").str.slice(0, 6)',
])
def test_id_numbers_and_the_one_method_pass(line):
    path = SRC / "_probe.py"
    try:
        path.write_text(line + "\n", encoding="utf-8")
        assert not offences(path), line
    finally:
        path.unlink()


def test_no_code_outside_regions_and_accounts_slices_a_region_code():
    hits = [hit for path in source_files() for hit in offences(path)]
    assert not hits, "Use regions.codes.RegionCode and queryset.within()/visible_to():\n" + "\n".join(hits)


def test_every_model_stamped_with_a_region_code_has_the_scoping_manager():
    """A new model with a `region_code` gets `.within()` / `.visible_to()` too, or this fails."""
    from django.apps import apps

    from bangfu.regions.scoping import RegionQuerySet

    exempt = {
        "common.AccessLog",  # the audit log: common sits below regions and imports no app
    }
    missing = [
        model._meta.label for model in apps.get_models()
        if any(f.name == "region_code" for f in model._meta.fields)
        and not model.__name__.startswith("Historical")  # simple_history's copies; read via .history
        and model._meta.label not in exempt
        and not isinstance(model._default_manager.all(), RegionQuerySet)
    ]
    assert not missing, f"give these `objects = RegionQuerySet.as_manager()`: {missing}"
