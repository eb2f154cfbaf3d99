"""`bangfu synth-list` (issue 5 "Done when"): a list with known truth whose errors the linkage
recovers, and the same seed giving the same list. Issue 12: each damage kind real department
files carry produces what it says, lists can leave out the birth-date, sex and region columns,
and the xlsx output keeps Excel's floats as numeric cells."""

import datetime as dt
import random
import re

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from bangfu.common.idnumber import check_char
from bangfu.matching.kinds import KINDS
from bangfu.matching.linkage import REGISTRY_SCHEMA, link
from bangfu.matching.reader import parse_fast_csv
from bangfu.matching.selectors import registry_frame
from bangfu.matching.synth_list import (
    CLASSIC, DAMAGES, ERROR_COLUMN, SEPARATORS, TRADITIONAL, TRUTH_COLUMN, SynthListError, excel_float, findable, parse_damage,
    score, score_by_kind, synth_list, with_minority_names, write_list,
)
from bangfu.synth.tables import _GIVEN, _SURNAME_CHARS

pytestmark = pytest.mark.django_db
FULLWIDTH = "０１２３４５６７８９Ｘ"


@pytest.fixture
def county_registry(regions):
    from bangfu.synth.services import synthesize

    synthesize(county_code="340102", households=300, seed=5, progress=False)
    return registry_frame()


def frame_registry(n: int = 3000, seed: int = 1) -> pl.DataFrame:
    """A registry frame without the database: n persons of county 340102 with valid numbers
    (about one in eleven ending in X), names from the synthetic tables, 10 % minority names."""
    rng = random.Random(seed)
    rows = []
    for pid in range(1, n + 1):
        sex = rng.choice("MF")
        birth = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(0, 30000))
        first17 = f"340102{birth:%Y%m%d}{rng.randrange(0, 500) * 2 + (sex == 'M'):03d}"
        name = rng.choice(_SURNAME_CHARS[:40]) + "".join(rng.choice(_GIVEN[(sex, 1)]) for _ in range(2))
        rows.append((pid, first17 + check_char(first17), name, sex, birth, f"340102{rng.randrange(1, 9):03d}000"))
    frame = pl.DataFrame(rows, schema=REGISTRY_SCHEMA, orient="row").unique("id_number")
    return with_minority_names(frame, share=0.10, seed=seed)


def damaged(kind: str, rows: int = 300, **options) -> pl.DataFrame:
    frame = synth_list(kind="death", registry=frame_registry(), rows=rows, typos=1.0, seed=7, outside=0.0,
                       damage=(kind,), **options)
    # every row is damaged, so a row whose person does not fit the kind has no one to swap with:
    # it stays undamaged ("")
    assert set(frame[ERROR_COLUMN]) <= {kind, ""}
    frame = frame.filter(pl.col(ERROR_COLUMN) == kind)
    assert frame.height >= 20
    return frame


def originals(frame: pl.DataFrame) -> pl.DataFrame:
    """The list rows beside their registry persons."""
    return frame.with_columns(pl.col(TRUTH_COLUMN).cast(pl.Int64).alias("person_id")).join(
        frame_registry(), on="person_id", suffix="_reg")


def test_synth_list_truth_and_linkage(tmp_path, county_registry):
    out = tmp_path / "death.csv"
    call_command("synth_list", kind="death", from_registry=True, typos=0.5, seed=3, rows=400, damage="classic",
                 output=str(out), verbosity=0)
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.height == 400
    assert set(frame["错误类型"].fill_null("")) - {"", "outside"} <= set(CLASSIC)
    assert frame.filter(pl.col("错误类型") == "outside").height == 20
    parsed = parse_fast_csv(out, KINDS["death"], today=dt.date(2025, 6, 30))
    result = link(county_registry, parsed.frame)
    truth = pl.read_csv(out, infer_schema=False).with_row_index("row_no", offset=2).select(
        pl.col("row_no").cast(pl.Int64), pl.col("真实人员编号").cast(pl.Int64, strict=False).alias("truth"))
    figures = score(result.links, truth)
    assert figures["precision"] >= 0.995
    assert figures["recall_with_review"] >= 0.97


def test_same_seed_same_list(tmp_path, county_registry):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        call_command("synth_list", kind="disability", from_registry=True, typos=0.1, seed=9, rows=50, output=str(path), verbosity=0)
    assert a.read_bytes() == b.read_bytes()


def test_registry_order_does_not_change_the_list():
    """The doc used to say two runs differed: the registry's row order (as the database returns
    it) fed the draw. It is sorted by person id first now."""
    registry = frame_registry()
    shuffled = registry.sample(fraction=1.0, shuffle=True, seed=3)
    a = synth_list(kind="death", registry=registry, rows=500, typos=0.3, seed=4)
    b = synth_list(kind="death", registry=shuffled, rows=500, typos=0.3, seed=4)
    assert a.equals(b)
    assert not a.equals(synth_list(kind="death", registry=registry, rows=500, typos=0.3, seed=5))


def test_every_kind_drawn_uniformly():
    """Kinds that need something of the person (an X, a minority name) swap persons with plain
    rows, so each kind keeps its share while the damaged rows are a minority."""
    frame = synth_list(kind="death", registry=frame_registry(6000), rows=6000, typos=0.5, seed=2, outside=0.0)
    counts = dict(frame.filter(pl.col(ERROR_COLUMN) != "").group_by(ERROR_COLUMN).len().iter_rows())
    assert set(counts) == set(DAMAGES)
    expected = 3000 / len(DAMAGES)
    assert all(0.8 * expected <= n <= 1.2 * expected for n in counts.values()), counts


def test_typos_share_and_no_damage_on_outsiders():
    frame = synth_list(kind="death", registry=frame_registry(), rows=2000, typos=0.3, seed=2, outside=0.05)
    kinds = frame[ERROR_COLUMN].fill_null("")
    inside = frame.filter(pl.col(TRUTH_COLUMN).fill_null("") != "")
    share = inside.filter(pl.col(ERROR_COLUMN).fill_null("") != "").height / inside.height
    assert 0.26 <= share <= 0.34
    assert (kinds == "outside").sum() == 100


def test_outsiders_damaged_only_when_asked():
    frame = synth_list(kind="death", registry=frame_registry(), rows=2000, typos=0.5, seed=2, outside=0.2,
                       damage=("fullwidth", "homophone"), damage_outside=True)
    strangers = frame.filter(pl.col(TRUTH_COLUMN).fill_null("") == "")
    assert set(strangers[ERROR_COLUMN]) == {"outside", "outside:fullwidth", "outside:homophone"}
    wide = strangers.filter(pl.col(ERROR_COLUMN) == "outside:fullwidth")["身份证号"]
    assert all(all(ch in FULLWIDTH for ch in n) for n in wide)
    assert 0.4 <= strangers.filter(pl.col(ERROR_COLUMN) != "outside").height / strangers.height <= 0.6


def test_fullwidth_kind_gives_only_fullwidth_characters():
    rows = originals(damaged("fullwidth"))
    for given, real in zip(rows["身份证号"], rows["id_number"], strict=True):
        assert all(ch in FULLWIDTH for ch in given), given
        assert len(given) == 18
        assert given.translate(str.maketrans(FULLWIDTH, "0123456789X")) == real


def test_excel_float_kinds_parse_as_floats_and_keep_their_digits():
    short = originals(damaged("float_short"))
    for given, real in zip(short["身份证号"], short["id_number"], strict=True):
        assert re.fullmatch(r"\d(\.\d{1,5})?E\+17", given), given
        assert abs(float(given) - int(real)) <= 5e11  # six significant digits: the county survives
    fifteen = originals(damaged("float_15"))
    for given, real in zip(fifteen["身份证号"], fifteen["id_number"], strict=True):
        assert re.fullmatch(r"\d\.\d{1,14}E\+17", given), given
        # Excel keeps 15 digits: the area, the birth date and one more
        assert given.split("E")[0].replace(".", "").ljust(15, "0") == real[:15]
    assert excel_float("340121198905248185", 6) == "3.40121E+17"
    assert excel_float("340121198905248185", 15) == "3.40121198905248E+17"
    assert excel_float("340102196305269996", 15) == "3.40102196305269E+17"  # cut, not rounded
    assert excel_float("340100000000000000", 6) == "3.401E+17"


def test_excel_floats_never_from_numbers_ending_in_x():
    registry = frame_registry()
    x_people = set(registry.filter(pl.col("id_number").str.ends_with("X"))["person_id"].cast(pl.String))
    for kind in ("float_short", "float_15"):
        frame = damaged(kind, rows=1000)
        assert not x_people & set(frame[TRUTH_COLUMN])


def test_apostrophe_kind():
    rows = originals(damaged("apostrophe"))
    assert (rows["身份证号"] == ("'" + rows["id_number"])).all()


def test_lower_x_kind_only_for_numbers_ending_in_x():
    rows = originals(damaged("lower_x", rows=1000))
    assert rows["id_number"].str.ends_with("X").all()
    assert (rows["身份证号"] == rows["id_number"].str.slice(0, 17) + "x").all()


def test_spaces_kind_puts_blanks_inside():
    rows = originals(damaged("spaces"))
    for given, real in zip(rows["身份证号"], rows["id_number"], strict=True):
        assert re.search(r"\S[ \t]+\S", given), repr(given)
        assert given == given.strip()
        assert re.sub(r"[ \t]", "", given) == real
    assert any("\t" in g for g in rows["身份证号"]) and any(" " in g for g in rows["身份证号"])


def test_traditional_kind_writes_names_in_traditional_characters():
    rows = originals(damaged("traditional"))
    simplified = {t: s for s, t in TRADITIONAL.items()}
    for given, real, number, real_number in zip(rows["姓名"], rows["name"], rows["身份证号"], rows["id_number"], strict=True):
        assert given != real
        assert "".join(simplified.get(ch, ch) for ch in given) == real
        assert not any(ch in TRADITIONAL for ch in given)  # every convertible character converted
        assert number == real_number


def test_separator_kind_changes_the_middle_dot():
    rows = originals(damaged("separator", rows=200))
    for given, real in zip(rows["姓名"], rows["name"], strict=True):
        assert "·" in real and given != real
        stripped = "".join(ch for ch in given if ch not in SEPARATORS)
        assert stripped == real.replace("·", "")


def test_classic_kinds_still_do_what_they_say():
    for kind in ("transposition", "substitution", "bad_check"):
        rows = originals(damaged(kind, rows=100))
        for given, real in zip(rows["身份证号"], rows["id_number"], strict=True):
            assert len(given) == 18 and given != real
            assert sum(a != b for a, b in zip(given, real, strict=True)) in ((2,) if kind == "transposition" else (1,))
            if kind == "bad_check":
                assert given[:17] == real[:17]
    fifteen = originals(damaged("fifteen", rows=100))
    assert (fifteen["身份证号"] == fifteen["id_number"].str.slice(0, 6) + fifteen["id_number"].str.slice(8, 9)).all()
    missing = damaged("missing_id", rows=50)
    assert (missing["身份证号"].fill_null("") == "").all()
    for kind in ("homophone", "lookalike"):
        rows = originals(damaged(kind, rows=100))
        assert (rows["姓名"] != rows["name"]).all() and (rows["身份证号"] == rows["id_number"]).all()


def test_without_drops_the_columns_and_keeps_the_draw(tmp_path):
    registry = frame_registry()
    full = synth_list(kind="death", registry=registry, rows=300, typos=0.3, seed=4)
    bare = synth_list(kind="death", registry=registry, rows=300, typos=0.3, seed=4, without=("birth_date", "sex", "region"))
    assert {"出生日期", "性别", "区划代码"} <= set(full.columns)
    assert not {"出生日期", "性别", "区划代码"} & set(bare.columns)
    assert bare.equals(full.drop("出生日期", "性别", "区划代码"))
    out = tmp_path / "bare.csv"
    write_list(bare, out)
    parsed = parse_fast_csv(out, KINDS["death"], today=dt.date(2025, 6, 30))  # the truth columns are ignored
    assert parsed.frame["birth_date"].is_null().all() and "真实人员编号" not in parsed.mapping.values()


def test_xlsx_output_keeps_excel_floats_as_numbers(tmp_path):
    from python_calamine import CalamineWorkbook

    frame = synth_list(kind="death", registry=frame_registry(), rows=400, typos=1.0, seed=3, outside=0.0,
                       damage=("float_short", "float_15", "fullwidth"))
    out = tmp_path / "list.xlsx"
    write_list(frame, out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    col, err = rows[0].index("身份证号"), rows[0].index(ERROR_COLUMN)
    cells = {row[err]: row[col] for row in rows[1:]}
    assert isinstance(cells["float_short"], float) and isinstance(cells["float_15"], float)
    assert isinstance(cells["fullwidth"], str)
    for row, given in zip(rows[1:], frame["身份证号"], strict=True):
        assert row[col] == (float(given) if row[err] != "fullwidth" else given)


def test_command_damage_and_without_options(tmp_path, county_registry):
    out = tmp_path / "l.csv"
    call_command("synth_list", kind="death", from_registry=True, typos=1.0, seed=1, rows=100, outside=0.0,
                 damage="apostrophe,fullwidth", without="birth_date,sex", output=str(out), verbosity=0)
    frame = pl.read_csv(out, infer_schema=False)
    assert set(frame[ERROR_COLUMN]) == {"apostrophe", "fullwidth"}
    assert "出生日期" not in frame.columns and "性别" not in frame.columns and "区划代码" in frame.columns
    with pytest.raises(CommandError, match="未知的错误类型"):
        call_command("synth_list", kind="death", from_registry=True, damage="smudge", output=str(out), verbosity=0)
    with pytest.raises(CommandError, match="不能去掉"):
        call_command("synth_list", kind="death", from_registry=True, without="name", output=str(out), verbosity=0)


def test_findable_rows():
    """Lost digits leave a row findable only by a name unique among those sharing what survives."""
    registry = frame_registry()
    twin = registry.row(0, named=True)
    registry = pl.concat([registry, pl.DataFrame([{**twin, "person_id": 99999, "id_number": "340102199001010011"}],
                                                 schema=registry.schema)])
    list_ = pl.DataFrame({
        "身份证号": ["", "", "3.40102E+17", "x"],
        "姓名": [twin["name"], registry["name"][5], registry["name"][6], "某人"],
        "出生日期": ["", "", "", ""],
        TRUTH_COLUMN: [str(twin["person_id"]), str(registry["person_id"][5]), str(registry["person_id"][6]), ""],
        ERROR_COLUMN: ["missing_id", "missing_id", "float_short", "outside"],
    })
    got = findable(list_, registry).to_list()
    assert got[0] is False  # same name and birth date as the twin
    assert got[3] is False  # not in the registry
    unique = registry.group_by("name", "birth_date").len()
    for i in (1, 2):
        n = unique.filter((pl.col("name") == list_["姓名"][i]) & (pl.col("birth_date") == registry["birth_date"][i + 4]))["len"][0]
        assert got[i] is (n == 1)


def test_score_by_kind_counts_review_and_outsiders():
    truth = pl.DataFrame({"row_no": [1, 2, 3, 4, 5, 6], "truth": [10, 11, 12, None, 13, None],
                          "kind": ["fullwidth", "fullwidth", "", "outside:fullwidth", "fullwidth", "outside"],
                          "findable": [True, True, True, False, False, False]})
    links = pl.DataFrame({"row_no": [1, 2, 3, 4, 5, 6], "person_id": [10, 11, 12, 50, 99, None],
                          "link_status": ["accepted", "review", "accepted", "accepted", "accepted", "none"]})
    figures = score_by_kind(links, truth)
    assert figures["fullwidth"]["precision"] == 0.5  # row 5 links the wrong person
    assert figures["fullwidth"]["recall"] == 0.5 and figures["fullwidth"]["recall_with_review"] == 1.0
    assert figures["fullwidth"]["review_share"] == pytest.approx(1 / 3)
    assert figures["outside"]["autolinked"] == 0.5 and figures["clean"]["recall"] == 1.0
    assert figures["fullwidth"]["outsiders_autolinked"] == 1.0 and figures["clean"]["outsiders_autolinked"] == 0.0
    assert figures["all"]["rows"] == 3


def test_bad_arguments(tmp_path):
    with pytest.raises(CommandError):
        call_command("synth_list", kind="death", rows=0, output=str(tmp_path / "x.csv"), verbosity=0)
    with pytest.raises(SynthListError):
        parse_damage("fullwidth,nonsense")
    assert parse_damage("classic") == CLASSIC and parse_damage("") == DAMAGES

