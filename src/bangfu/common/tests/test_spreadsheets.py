"""Bad files are refused before python-calamine builds anything (issue 13 "A 1.8 KB xlsx takes
2 GB"): a sheet whose only cells are A1 and CV400000, a cell at XFD1048576, a zip holding a 50 MB
shared string, a csv of nothing but line breaks. The list reader (matching) and the survey reader
(registry) both go through common.spreadsheets.

Memory is judged without timing: calamine is replaced by a stub that fails the test if reached (the
refusal comes first), and tracemalloc's peak shows the check itself holds no more than a few
megabytes whatever the file declares."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
import xlsxwriter

from bangfu.common.spreadsheets import Limits, SpreadsheetRefused, check_workbook, column_letters

LIMITS = Limits(max_rows=200_000, max_cols=200)


def xlsx(cells: dict[str, object], *, sheet: str = "名单") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    ws = book.add_worksheet(sheet)
    for ref, value in cells.items():
        ws.write(ref, value)
    book.close()
    return buffer.getvalue()


def shared_string_bomb(megabytes: int = 50) -> bytes:
    """A valid-looking xlsx whose sharedStrings.xml is one string of `megabytes` MB."""
    base = zipfile.ZipFile(io.BytesIO(xlsx({"A1": "姓名", "B1": "身份证号"})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in base.infolist():
            data = base.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                        b'count="1" uniqueCount="1"><si><t>' + b"A" * (megabytes * 1024 * 1024) + b"</t></si></sst>")
            bomb.writestr(info.filename, data)
    return out.getvalue()


def raw_sheet_xlsx(sheet_xml: bytes) -> bytes:
    """An xlsx whose first worksheet is `sheet_xml` as given (cells without r attributes…)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx({"A1": 1})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in base.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else base.read(info)
            book.writestr(info.filename, data)
    return out.getvalue()


def peak_bytes(fn, *args) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - the caller inspects it
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def no_calamine(monkeypatch):
    """calamine must not be reached: the refusal comes before it builds anything."""
    from bangfu.matching import reader as list_reader
    from bangfu.registry.survey import reader as survey_reader

    class Unreachable:
        @classmethod
        def from_object(cls, *args, **kwargs):
            raise AssertionError("calamine was handed a file that should have been refused")

    monkeypatch.setattr(list_reader, "CalamineWorkbook", Unreachable)
    monkeypatch.setattr(survey_reader, "CalamineWorkbook", Unreachable)


def test_column_letters():
    assert [column_letters(n) for n in (1, 26, 27, 100, 16384)] == ["A", "Z", "AA", "CV", "XFD"]


def test_a_far_cell_is_refused_by_rows_before_any_grid_is_built():
    data = xlsx({"A1": "姓名", "CV400000": "x"})
    assert len(data) < 10_000  # a few kilobytes on the wire …
    result, peak = peak_bytes(check_workbook, data, LIMITS)
    assert isinstance(result, SpreadsheetRefused)  # … refused instead of a 100 × 400,000 grid
    assert str(result) == "工作表有400000行（含空行），超过上限200000行；请删除多余的行，或按地区拆分后分批导入"
    assert peak < 8 * 1024 * 1024


def test_the_last_cell_of_excel_is_refused_by_columns():
    result, peak = peak_bytes(check_workbook, xlsx({"A1": "姓名", "XFD1048576": "x"}), Limits(max_rows=2_000_000, max_cols=200))
    assert isinstance(result, SpreadsheetRefused)
    assert str(result) == "工作表用到了第16384列（XFD列），超过上限200列；请删除模板以外的列"
    assert peak < 8 * 1024 * 1024


def test_a_wide_and_long_but_allowed_frame_is_refused_by_cells():
    limits = Limits(max_rows=200_000, max_cols=200, max_cells=1_000_000)
    with pytest.raises(SpreadsheetRefused, match=r"工作表的范围（150000行 × 100列）过大"):
        check_workbook(xlsx({"A1": "姓名", "CV150000": "x"}), limits)


def test_a_shared_string_bomb_is_refused_by_its_ratio_early():
    data = shared_string_bomb(50)
    assert len(data) < 200_000
    result, peak = peak_bytes(check_workbook, data, LIMITS)
    assert isinstance(result, SpreadsheetRefused)
    assert str(result).startswith("文件压缩比异常")
    assert peak < 8 * 1024 * 1024  # refused after about a megabyte of the 50 inflated


def test_the_inflated_total_is_bounded_too():
    with pytest.raises(SpreadsheetRefused, match="文件解压后超过2.0 MB"):
        check_workbook(shared_string_bomb(3), Limits(max_rows=10, max_cols=10, max_ratio=10_000, max_uncompressed=2 * 1024 * 1024))


def test_cells_without_positions_are_placed_as_calamine_places_them():
    row = b"<row>" + b"<c t=\"inlineStr\"><is><t>x</t></is></c>" * 7 + b"</row>"
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + row * 3 + b'<row r="9"><c r="B9"><v>1</v></c><c><v>2</v></c></row></sheetData></worksheet>')
    grids = check_workbook(raw_sheet_xlsx(sheet), LIMITS)
    grid = grids["xl/worksheets/sheet1.xml"]
    assert (grid.rows, grid.cols) == (9, 7)
    # calamine itself places them so
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_object(io.BytesIO(raw_sheet_xlsx(sheet))).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert (len(rows), max(len(r) for r in rows)) == (9, 7)
    with pytest.raises(SpreadsheetRefused, match="第7列"):
        check_workbook(raw_sheet_xlsx(sheet), Limits(max_rows=100, max_cols=6))


def test_a_normal_sheet_passes_with_its_real_size():
    cells = {f"{column_letters(c)}{r}": f"v{r}{c}" for r in range(1, 51) for c in range(1, 21)}
    grids = check_workbook(xlsx(cells), LIMITS)
    assert [(g.rows, g.cols) for g in grids.values()] == [(50, 20)]


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "无法读取该文件"),
])
def test_broken_zips_are_refused_with_a_message(data, message):
    with pytest.raises(SpreadsheetRefused, match=message):
        check_workbook(data, LIMITS)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("content.xml", "<office:document/>")
    with pytest.raises(SpreadsheetRefused, match=r"不是 Excel（.xlsx）文件"):
        check_workbook(out.getvalue(), LIMITS)


# ----------------------------------------------------------------------------- through the readers


def test_list_reader_refuses_the_far_cell_before_calamine(no_calamine):
    from bangfu.matching.reader import ListFileError, read_table

    with pytest.raises(ListFileError, match="工作表有400000行（含空行）"):
        read_table(io.BytesIO(xlsx({"A1": "姓名", "CV400000": "x"})), filename="名单.xlsx")


def test_list_reader_refuses_the_shared_string_bomb_before_calamine(no_calamine):
    from bangfu.matching.reader import ListFileError, read_table

    with pytest.raises(ListFileError, match="文件压缩比异常"):
        read_table(io.BytesIO(shared_string_bomb(50)), filename="名单.xlsx")


def test_survey_reader_refuses_the_far_cell_and_extra_columns_before_calamine(no_calamine):
    from bangfu.registry.survey.reader import MAX_COLUMNS, SurveyFileError, read_survey

    with pytest.raises(SurveyFileError, match="工作表有400000行（含空行）"):
        read_survey(io.BytesIO(xlsx({"A1": "户编号", "CV400000": "x"})), filename="摸底表.xlsx")
    far = column_letters(MAX_COLUMNS + 1)
    with pytest.raises(SurveyFileError, match=f"（{far}列），超过上限{MAX_COLUMNS}列"):
        read_survey(io.BytesIO(xlsx({"A1": "户编号", f"{far}2": "x"})), filename="摸底表.xlsx")


def test_readers_still_read_a_good_file():
    from bangfu.matching.reader import read_table

    rows = read_table(io.BytesIO(xlsx({"A1": "姓名", "B1": "身份证号", "A2": "张三", "B3": "x"})), filename="名单.xlsx")
    assert rows == [["姓名", "身份证号"], ["张三", ""], ["", "x"]]


def test_a_csv_of_line_breaks_is_refused_by_rows(settings):
    from bangfu.matching.reader import ListFileError, read_table
    from bangfu.registry.survey.reader import SurveyFileError, read_survey

    settings.BANGFU_IMPORT_MAX_ROWS = 1000
    data = "姓名,身份证号\n".encode() + b"\n" * 5000
    with pytest.raises(ListFileError, match="表格超过1000行"):
        read_table(io.BytesIO(data), filename="名单.csv")
    with pytest.raises(SurveyFileError, match="表格超过1000行"):
        read_survey(io.BytesIO(data), filename="摸底表.csv")
    with pytest.raises(ListFileError, match="第1行有201列，超过上限200列"):
        read_table(io.BytesIO(b"," * 200), filename="名单.csv")


@pytest.mark.django_db
def test_upload_forms_refuse_a_file_over_the_limit(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.matching.forms import UploadForm
    from bangfu.registry.survey.views import SurveyImportForm

    settings.BANGFU_UPLOAD_MAX_BYTES = 1024
    big = b"a,b\n" * 1000
    form = SurveyImportForm(data={"mode": "all_or_nothing"}, files={"file": SimpleUploadedFile("s.csv", big)})
    assert not form.is_valid()
    assert form.errors["file"] == ["文件大小为3.9 KB，超过上限1.0 KB；请按地区拆分后分批导入"]
    form = UploadForm(data={}, files={"file": SimpleUploadedFile("l.csv", big)})
    assert not form.is_valid()
    assert "超过上限" in form.errors["file"][0]


def test_refusals_are_translated():
    from django.utils import translation

    from bangfu.common.dates import birth_date_problem, day_problem
    from bangfu.common.money import yuan_to_fen
    from bangfu_testing.english import assert_no_cjk
    import datetime as dt

    with translation.override("en"):
        with pytest.raises(SpreadsheetRefused) as far:
            check_workbook(xlsx({"A1": "x", "CV400000": "y"}), LIMITS)
        with pytest.raises(SpreadsheetRefused) as bomb:
            check_workbook(shared_string_bomb(3), LIMITS)
        with pytest.raises(Exception) as money:
            yuan_to_fen("1" + "0" * 16)
        for text in (str(far.value), str(bomb.value), str(money.value), day_problem(dt.date(9999, 1, 1)),
                     birth_date_problem(dt.date(1, 1, 1))):
            assert_no_cjk(text)
        assert str(far.value).startswith("The sheet has 400000 rows")
