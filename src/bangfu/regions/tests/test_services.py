"""Tests of the division loaders (R3, issue 2 item 2): national divisions, CSV import, generation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.regions.choices import Level
from bangfu.regions.codes import parent_code
from bangfu.regions.models import Region
from bangfu.regions.services import (
    RegionImportError,
    county_subdivisions_generate,
    national_divisions_load,
    regions_csv_import,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def divisions():
    return national_divisions_load()


def region(code: str) -> Region:
    return Region.objects.get(code=code.ljust(12, "0"))


# -- national divisions ---------------------------------------------------------------------------


def test_load_counts_and_levels(divisions):
    assert divisions["provinces"] == 34
    assert divisions["counties"] > 2800
    assert divisions["created"] == divisions["total"] == Region.objects.count()
    assert Region.objects.filter(level=Level.PROVINCE).count() == 34
    assert Region.objects.filter(level=Level.COUNTY).count() == divisions["counties"]
    assert Region.objects.filter(level=Level.CITY).count() == divisions["cities"]
    assert all(len(code) == 12 and code.isdigit() for code in Region.objects.values_list("code", flat=True))


def test_known_county_chain(divisions):
    yaohai = region("340102")
    assert yaohai.name == "瑶海区"
    assert yaohai.level == Level.COUNTY
    assert yaohai.parent.code == "340100000000"
    assert yaohai.parent.name == "合肥市"
    assert yaohai.parent.parent.code == "340000000000"
    assert yaohai.parent.parent.parent is None
    assert yaohai.full_name == "安徽省合肥市瑶海区"


def test_city_names_ending_in_zhou_are_cities_and_prefectures_keep_their_kind(divisions):
    # 滁州 is a 地级市 (341100); 甘孜藏族自治州 (513300) already says what it is.
    assert region("341100").name == "滁州市"
    assert region("341122").full_name == "安徽省滁州市来安县"
    assert region("513300").name == "甘孜藏族自治州"


def test_every_parent_link_follows_the_code(divisions):
    for code, level, parent in Region.objects.values_list("code", "level", "parent__code"):
        assert level == Level.PROVINCE and parent is None or parent == parent_code(code), code


def test_municipality_district_gets_a_city_parent(divisions):
    dongcheng = region("110101")
    city = dongcheng.parent
    assert city.code == "110100000000"
    assert city.level == Level.CITY
    assert city.name == "北京市辖区"
    assert city.parent.code == "110000000000"
    assert dongcheng.full_name == "北京市东城区"
    chongqing_county = region("500229")  # 城口县, under 500200 (县) in GB/T 2260
    assert chongqing_county.parent.code == "500200000000"
    assert chongqing_county.parent.parent.code == "500000000000"


def test_load_is_idempotent_and_repairs_changes(divisions):
    total = Region.objects.count()
    again = national_divisions_load()
    assert again["created"] == again["updated"] == 0
    assert again["unchanged"] == total
    Region.objects.filter(code="340102000000").update(name="错名", full_name="")
    repaired = national_divisions_load()
    assert repaired["updated"] == 1 and repaired["created"] == 0
    assert region("340102").name == "瑶海区"
    assert Region.objects.count() == total


# -- CSV import -----------------------------------------------------------------------------------

GOOD_CSV = """code,name,parent_code
340102001,明光路街道,340102
340102001001,前进社区,340102001
340102001002,和平社区,
340102100000,大兴镇,340102000000
340102100200,大兴村,340102100000
"""


def test_import_good_file_creates_rows(divisions):
    counts = regions_csv_import(io.BytesIO(GOOD_CSV.encode("utf-8")))
    assert counts == {"rows": 5, "created": 5, "updated": 0, "unchanged": 0}
    street = region("340102001")
    assert street.level == Level.TOWNSHIP and street.parent.code == "340102000000"
    assert street.full_name == "安徽省合肥市瑶海区明光路街道"
    village = region("340102001002")
    assert village.level == Level.VILLAGE and village.parent == street
    assert village.full_name == "安徽省合肥市瑶海区明光路街道和平社区"
    assert region("340102100200").parent.code == "340102100000"


def test_import_from_path_with_bom(divisions, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode("utf-8"))
    assert regions_csv_import(path)["created"] == 5
    assert region("340102001001").name == "前进社区"


def test_import_gbk_file(divisions, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name\n340102002,红光街道\n340102002001,红光社区\n".encode("gbk"))
    assert regions_csv_import(str(path))["created"] == 2
    assert region("340102002001").name == "红光社区"
    assert region("340102002001").full_name.endswith("红光街道红光社区")


def test_reimport_updates_instead_of_duplicating(divisions):
    regions_csv_import(io.BytesIO(GOOD_CSV.encode()))
    before = Region.objects.count()
    renamed = GOOD_CSV.replace("前进社区", "前进新社区")
    counts = regions_csv_import(io.StringIO(renamed))
    assert counts == {"rows": 5, "created": 0, "updated": 1, "unchanged": 4}
    assert Region.objects.count() == before
    assert region("340102001001").name == "前进新社区"
    assert region("340102001001").full_name == "安徽省合肥市瑶海区明光路街道前进新社区"


def test_bad_file_reports_every_error_and_changes_nothing(divisions):
    bad = (
        "code,name,parent_code\n"
        "340102001,明光路街道,\n"  # row 2: fine
        "34010200100A,甲社区,\n"  # row 3: not digits
        "3401020010,乙社区,\n"  # row 4: 10 digits
        "340102001003,,\n"  # row 5: empty name
        "340102009001,丙村,\n"  # row 6: township 340102009 exists nowhere
        "340102001004,丁社区,340102002\n"  # row 7: parent_code disagrees with the code
        "340102001,重复街道,\n"  # row 8: duplicate of row 2
        "340102000000,瑶海区,\n"  # row 9: a county, not importable here
        "999999001,无县街道,\n"  # row 10: county 999999 not loaded
    )
    before = Region.objects.count()
    with pytest.raises(RegionImportError) as caught:
        regions_csv_import(io.StringIO(bad))
    errors = caught.value.errors
    assert len(errors) == 8, errors
    expected = [
        ("第3行“code”列", "数字"),
        ("第4行“code”列", "9位"),
        ("第5行“name”列", "名称为空"),
        ("第6行“code”列", "340102009"),
        ("第7行“parent_code”列", "340102001"),
        ("第8行“code”列", "第2行重复"),
        ("第9行“code”列", "县"),
        ("第10行“code”列", "load-divisions"),
    ]
    for message, (prefix, detail) in zip(errors, expected, strict=True):
        assert message.startswith(prefix), message
        assert detail in message, message
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="340102001000").exists()


def test_missing_header_is_reported():
    with pytest.raises(RegionImportError) as caught:
        regions_csv_import(io.StringIO("代号,名字\n340102001,明光路街道\n"))
    assert any("第1行" in e and "“code”" in e for e in caught.value.errors)
    assert any("“name”" in e for e in caught.value.errors)


def test_dry_run_writes_nothing(divisions):
    before = Region.objects.count()
    counts = regions_csv_import(io.StringIO(GOOD_CSV), dry_run=True)
    assert counts["created"] == 5
    assert Region.objects.count() == before


def test_import_command_summary_and_errors(divisions, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_regions", str(good), stdout=out)
    assert "新增5个" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n12345,坏行\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_regions", str(bad), stderr=err)
    assert "第2行“code”列" in err.getvalue()
    assert "1处错误" in str(caught.value)


# -- generated subdivisions -----------------------------------------------------------------------


def test_generate_subdivisions_valid_and_idempotent(divisions):
    county = region("340121")  # 长丰县
    counts = county_subdivisions_generate(county, townships=5, villages_per_township=7, seed=3)
    assert counts == {"townships": 5, "villages": 35}
    townships = list(Region.objects.filter(parent=county))
    assert len(townships) == 5
    for township in townships:
        assert township.level == Level.TOWNSHIP
        assert township.name.endswith(("镇", "乡", "街道"))
        assert township.code[:6] == "340121" and township.code[9:] == "000"
        villages = list(township.children.all())
        assert len(villages) == 7
        for village in villages:
            assert village.level == Level.VILLAGE and parent_code(village.code) == township.code
            assert village.name.endswith(("村", "社区"))
            assert village.full_name == township.full_name + village.name
    names = sorted(Region.objects.filter(code__startswith="340121", level=Level.VILLAGE).values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert county_subdivisions_generate(county, townships=5, villages_per_township=7, seed=3) == {"townships": 0, "villages": 0}
    # Deterministic: the same seed gives the same tree.
    snapshot = list(Region.objects.filter(code__startswith="340121", level__gte=Level.TOWNSHIP).values_list("code", "name"))
    Region.objects.filter(code__startswith="340121", level=Level.VILLAGE).delete()
    Region.objects.filter(code__startswith="340121", level=Level.TOWNSHIP).delete()
    county_subdivisions_generate(county, townships=5, villages_per_township=7, seed=3)
    assert list(Region.objects.filter(code__startswith="340121", level__gte=Level.TOWNSHIP).values_list("code", "name")) == snapshot
