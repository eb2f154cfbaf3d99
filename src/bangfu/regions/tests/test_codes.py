"""The region code value type (regions.codes.RegionCode) and the queryset scoping method."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.regions.choices import Level
from bangfu.regions.scoping import county_expr, township_expr
from bangfu.regions.codes import (
    CITY, COUNTY, PREFIX_LENGTH, PROVINCE, TOWNSHIP, VILLAGE, RegionCode, level_of, parent_code,
)

VILLAGE_CODE = "340102002003"


def test_levels_are_those_of_the_level_choices():
    assert (PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE) == (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP,
                                                          Level.VILLAGE)


@pytest.mark.parametrize("given_code, code, level, prefix", [
    ("340000", "340000000000", PROVINCE, "34"),
    ("340100", "340100000000", CITY, "3401"),
    ("340102", "340102000000", COUNTY, "340102"),
    ("340102002", "340102002000", TOWNSHIP, "340102002"),
    ("340102002000", "340102002000", TOWNSHIP, "340102002"),
    (" 340102002003 ", VILLAGE_CODE, VILLAGE, VILLAGE_CODE),
])
def test_parse_gives_the_full_code_its_level_and_prefix(given_code, code, level, prefix):
    region = RegionCode.parse(given_code)
    assert (region.code, region.level, region.prefix, str(region)) == (code, level, prefix, code)


@pytest.mark.parametrize("bad", ["", "34010", "3401020", "34010200200", "3401020020031", "34010200200X", "三四", None])
def test_parse_refuses_what_is_not_a_6_9_or_12_digit_code(bad):
    with pytest.raises(ValueError):
        RegionCode.parse(bad)


@pytest.mark.parametrize("bad", ["34010200200", "34010200200X", "", 340102002003])
def test_the_value_itself_is_12_digits(bad):
    with pytest.raises(ValueError):
        RegionCode(bad)


def test_from_prefix_takes_significant_digits_and_refuses_other_lengths():
    assert RegionCode.from_prefix("34").code == "340000000000"
    assert RegionCode.from_prefix("3401").level == CITY
    with pytest.raises(ValueError):
        RegionCode.from_prefix("340")
    assert RegionCode.from_digits("340").code == "340000000000"
    assert RegionCode.from_digits("").code == "0" * 12
    with pytest.raises(ValueError):
        RegionCode.from_digits("3401020020031")


def test_parent_ancestors_and_named_ancestors_of_a_village():
    v = RegionCode(VILLAGE_CODE)
    assert v.parent == RegionCode("340102002000")
    assert [a.code for a in v.ancestors] == ["340000000000", "340100000000", "340102000000", "340102002000"]
    assert v.township == RegionCode("340102002000")
    assert v.county == RegionCode("340102000000")
    assert v.local_part == "003"
    assert RegionCode("340000000000").parent is None
    assert RegionCode("340102000000").township is None  # a county lies in no township
    assert RegionCode("340102000000").ancestor_or_self(TOWNSHIP) == RegionCode("340102000000")
    assert parent_code(VILLAGE_CODE) == "340102002000"


def test_bounds_contains_and_meet():
    county = RegionCode.parse("340102")
    assert county.bounds == county.range == ("340102000000", "340102999999")
    assert RegionCode.parse("340102002").bounds == ("340102002000", "340102002999")
    assert county.contains(VILLAGE_CODE) and county.contains(RegionCode(VILLAGE_CODE)) and county.contains(county)
    # a township 010 does not take in townships 011–019 (the old rstrip("0") mistake)
    assert not RegionCode.parse("340102010").contains("340102011001")
    assert not county.contains("340103001001")
    assert county.meet("340102002") == RegionCode("340102002000")
    assert RegionCode.parse("340102002").meet(county) == RegionCode("340102002000")
    assert county.meet("340103") is None
    assert RegionCode.from_bounds(*county.bounds) == county
    with pytest.raises(ValueError):
        RegionCode.from_bounds("340102000000", "340102002999")


def test_short_is_six_digits_to_county_level():
    assert RegionCode.parse("340102").short == "340102"
    assert RegionCode.parse("340100").short == "340100"
    assert RegionCode(VILLAGE_CODE).short == VILLAGE_CODE



@st.composite
def codes(draw) -> RegionCode:
    """Any region code: a province 11–65, then zero or more non-zero parts down to a village."""
    province = draw(st.integers(11, 65))
    parts = [f"{province:02d}"]
    for width in (2, 2, 3, 3):
        if not draw(st.booleans()):
            break
        parts.append(f"{draw(st.integers(1, 10 ** width - 1)):0{width}d}")
    return RegionCode.from_prefix("".join(parts))


@given(codes(), st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_code_below_a_region_lies_within_its_bounds(region, tail):
    """Any 12-digit code that starts with a region's prefix is inside its range, and every code
    inside its range starts with its prefix: the range is the subtree, nothing more."""
    below = region.prefix + tail[len(region.prefix):]
    low, high = region.bounds
    assert low <= below <= high
    assert region.contains(below)
    assert below.startswith(region.prefix)


@given(codes())
def test_every_ancestor_contains_the_region_and_levels_step_down(region):
    for ancestor in region.ancestors:
        assert ancestor.contains(region)
        assert ancestor.level < region.level
        assert ancestor.bounds[0] <= region.bounds[0] <= region.bounds[1] <= ancestor.bounds[1]
    if region.parent is not None:
        assert region.parent.level == region.level - 1 or region.parent.prefix == region.prefix[:len(region.parent.prefix)]
    assert level_of(region.code) == region.level
    assert len(region.prefix) == PREFIX_LENGTH[region.level]


@given(codes(), codes())
def test_two_regions_are_nested_or_apart(a, b):
    meet = a.meet(b)
    if meet is None:
        assert not (a.contains(b) or b.contains(a))
        assert a.high < b.low or b.high < a.low
    else:
        assert meet in (a, b) and a.contains(meet) and b.contains(meet)


@pytest.mark.django_db
def test_within_and_visible_to_on_querysets():
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user, region_tree
    from bangfu.regions.models import Region

    tree = region_tree()
    township = tree["township_a"]
    below = {tree["township_a"], tree["village_a"], tree["village_a2"]}
    assert set(Region.objects.within(township)) == below
    assert set(Region.objects.within("340102001")) == below
    assert set(Region.objects.within(township.code_value)) == below
    worker = make_user("w", Role.TOWNSHIP_OFFICER, township)
    assert set(Region.objects.visible_to(worker)) == below
    assert set(Region.objects.visible_to(worker, households=True)) == below
    helper = make_user("h", Role.HELPER, township)  # a helper's account covers a region, but no households
    assert set(Region.objects.visible_to(helper)) == below
    assert not Region.objects.visible_to(helper, households=True).exists()
    unbound = make_user("u", Role.COUNTY_OFFICER, None)
    assert not Region.objects.visible_to(unbound).exists()
    worker.is_active = False
    assert not Region.objects.visible_to(worker).exists()


@pytest.mark.django_db
def test_township_and_county_expressions_give_full_codes():
    from bangfu_testing.factories import region_tree
    from bangfu.regions.models import Region

    village = region_tree()["village_b"]
    row = Region.objects.filter(pk=village.pk).annotate(t=township_expr("code"), c=county_expr("code")).values("t", "c").get()
    assert row == {"t": "340102002000", "c": "340102000000"}


@pytest.mark.parametrize("build", [lambda: RegionCode.parse("12"), lambda: RegionCode.from_digits("x"),
                                   lambda: RegionCode.from_prefix("123"), lambda: RegionCode("1"),
                                   lambda: RegionCode.from_bounds("340102000000", "340102000001")],
                         ids=["parse", "digits", "prefix", "twelve", "bounds"])
def test_a_bad_code_is_explained_in_the_active_language(build):
    from django.utils import translation

    from bangfu_testing.english import assert_no_cjk

    with translation.override("en"), pytest.raises(ValueError) as refused:
        build()
    assert_no_cjk(str(refused.value))
    with translation.override("zh-hans"), pytest.raises(ValueError, match="区划代码|区划的代码范围"):
        build()
