"""`bangfu synth-list` (issue 5 "Done when"): a list with known truth whose errors the linkage
recovers, and the same seed giving the same list."""

import datetime as dt

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from bangfu.matching.kinds import KINDS
from bangfu.matching.linkage import link
from bangfu.matching.reader import parse_fast_csv
from bangfu.matching.selectors import registry_frame
from bangfu.matching.synth_list import ERRORS, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_registry(regions):
    from bangfu.synth.services import synthesize

    synthesize(county_code="340102", households=300, seed=5, progress=False)
    return registry_frame()


def test_synth_list_truth_and_linkage(tmp_path, county_registry):
    out = tmp_path / "death.csv"
    call_command("synth_list", kind="death", from_registry=True, typos=0.5, seed=3, rows=400, output=str(out), verbosity=0)
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.height == 400
    assert set(frame["错误类型"].fill_null("")) - {"", "outside"} <= set(ERRORS)
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


def test_bad_arguments(tmp_path):
    with pytest.raises(CommandError):
        call_command("synth_list", kind="death", rows=0, output=str(tmp_path / "x.csv"), verbosity=0)
