"""Bank files whose layout is data (issue 15 "The bank"): the payment file written from the
payroll's lines in each example layout, the bank's return file read back — as the bank writes it
and as real files arrive damaged — and the identities the reconciliation rests on: the file's total
is the sum of its lines, and what comes back paid plus failed is that total. Expected bytes and
totals are written out by hand."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from bangfu.common.money import MAX_FEN
from bangfu.payments.bankfiles import (
    DEFAULT_LAYOUTS_PATH,
    ReturnRow,
    layout_from_dict,
    load_default_layouts,
    read_return_file,
    write_bank_file,
)
from bangfu.payments.cards import luhn_check_digit

DEFAULTS = load_default_layouts()
RCB = layout_from_dict(DEFAULTS["rcb_gbk_pipe"])
PSBC = layout_from_dict(DEFAULTS["psbc_xlsx"])
CSV = layout_from_dict(DEFAULTS["city_utf8_csv"])


def card(n: int) -> str:
    body = f"621700{n:012d}"
    return body + luhn_check_digit(body)


def line(n: int, amount_fen: int, name: str = "张三", **extra) -> dict:
    return {"line_ref": f"P2025010{n:05d}", "name": name, "id_number": f"34012119800101{n % 10000:04d}",
            "account": card(n), "bank_name": "某农商银行某支行", "amount_fen": amount_fen, "month": "2025-01",
            "programme": "低保", "region_code": "341021001001", "region_name": "某镇某村", **extra}


LINES = [line(1, 123450, "张三"), line(2, 5, "李四"), line(3, 98_000, "王五")]
TOTAL = 123450 + 5 + 98_000  # 221455 fen = 2214.55 yuan


def xlsx_bytes(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def sheet_rows(data: bytes) -> list[list]:
    book = CalamineWorkbook.from_object(io.BytesIO(data))
    try:
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        book.close()


# --- the layouts -----------------------------------------------------------------------------


def test_default_layouts_are_examples_and_load():
    assert set(DEFAULTS) == {"rcb_gbk_pipe", "psbc_xlsx", "city_utf8_csv"}
    assert {RCB.format, PSBC.format, CSV.format} == {"delimited", "xlsx"}
    assert (RCB.encoding, CSV.encoding) == ("gbk", "utf-8-sig")
    text = DEFAULT_LAYOUTS_PATH.read_text(encoding="utf-8")
    assert "不是任何一家银行的官方接口规范" in text


def minimal(**changes) -> dict:
    d = {"code": "t", "name": "测试", "format": "delimited", "encoding": "gbk",
         "columns": [{"field": "account"}, {"field": "amount_fen", "format": "fen"}, {"field": "line_ref"}],
         "return": {"columns": {"line_ref": 3, "amount": 2, "status": 4}, "paid": ["S"], "failed": ["F"]}}
    d.update(changes)
    return d


@pytest.mark.parametrize("changes, key", [
    ({"colour": "red"}, "colour"),
    ({"encoding": "big5"}, "encoding"),
    ({"format": "pdf"}, "format"),
    ({"columns": [{"field": "account"}, {"field": "amount"}]}, "columns[2].field"),
    ({"columns": [{"field": "account"}, {"field": "amount_fen", "format": "cents"}]}, "columns[2].format"),
    ({"columns": [{"field": "account"}]}, "columns"),
    ({"columns": [{"field": "account"}, {"field": "amount_fen"}, {"field": "const"}]}, "columns[3].value"),
    ({"format": "fixed"}, "columns[1].width"),
    ({"header_row": "yes"}, "header_row"),
    ({"columns": [{"field": "account"}, {"field": "amount_fen"}, {"field": "const", "value": "救助|资金"}]}, "columns[3]"),
    ({"summary": {"fields": [{"field": "sum"}]}}, "summary.fields[1].field"),
    ({"return": {"columns": {"line_ref": 3, "amount": 2}, "paid": ["S"]}}, "return.columns.status"),
    ({"return": {"columns": {"amount": 2, "status": 4}, "paid": ["S"]}}, "return.columns.line_ref"),
    ({"return": {"columns": {"line_ref": 3, "amount": 2, "status": 4}, "paid": ["S"], "failed": ["s"]}}, "return.failed"),
    ({"return": {"columns": {"line_ref": 0, "amount": 2, "status": 4}, "paid": ["S"]}}, "return.columns.line_ref"),
    ({"return": {"columns": {"line_ref": 3, "amount": 2, "status": 4}, "paid": []}}, "return.paid"),
    ({"return": {"columns": {"line_ref": 3, "amount": 2, "status": 4, "bonus": 5}, "paid": ["S"]}}, "return.columns.bonus"),
    ({"return": {"columns": {"line_ref": 3, "amount": 2, "status": 4}, "paid": ["S"], "reasons": {"E1": ""}}}, "return.reasons.E1"),
])
def test_a_bad_layout_names_its_key(changes, key):
    with pytest.raises(ValueError) as caught:
        layout_from_dict(minimal(**changes))
    assert f"“{key}”" in str(caught.value)


def test_missing_return_part():
    d = minimal()
    del d["return"]
    with pytest.raises(ValueError, match="“return”"):
        layout_from_dict(d)


# --- writing ---------------------------------------------------------------------------------


def test_rcb_file_is_exactly_the_hand_written_bytes():
    """Summary first (3 lines, 1234.50 + 0.05 + 980.00 = 2214.55), GBK, pipes, CRLF, a pipe at
    each line's end, amounts in yuan with two decimals."""
    expected = ("3|2214.55|\r\n"
                f"1|{card(1)}|张三|1234.50|340121198001010001|P202501000001|\r\n"
                f"2|{card(2)}|李四|0.05|340121198001010002|P202501000002|\r\n"
                f"3|{card(3)}|王五|980.00|340121198001010003|P202501000003|\r\n").encode("gbk")
    assert write_bank_file(LINES, RCB) == expected


def test_csv_file_is_exactly_the_hand_written_bytes():
    lines = [line(1, 123450, "张三"), line(2, 5, "欧阳,娜娜")]  # a comma in a name is quoted, not a new column
    expected = ("\ufeff流水号,收款账号,收款人,证件号码,金额（分）,所属月份,所属地区,用途\r\n"
                f"P202501000001,{card(1)},张三,340121198001010001,123450,2025-01,某镇某村,社会救助资金\r\n"
                f"P202501000002,{card(2)},\"欧阳,娜娜\",340121198001010002,5,2025-01,某镇某村,社会救助资金\r\n").encode("utf-8")
    assert write_bank_file(lines, CSV) == expected


def test_xlsx_keeps_ids_and_accounts_as_text_and_amounts_exact():
    awkward = [line(1, 29, "赵一"), line(2, 1_234_567_89, "钱二"), line(3, MAX_FEN - 1, "孙三"), line(4, 7, "李四")]
    rows = sheet_rows(write_bank_file(awkward, PSBC))
    assert rows[0] == ["序号", "姓名", "身份证号码", "账号", "金额（元）", "发放月份", "项目", "备注"]
    for written, src in zip(rows[1:], awkward, strict=True):
        assert written[2] == src["id_number"] and written[3] == src["account"]  # text, not 6.2E+18
        assert isinstance(written[3], str)
        # 0.29 yuan is 28.999999999999996 when multiplied as a float; read back through Decimal it is 29 fen
        assert int(Decimal(repr(written[4])) * 100) == src["amount_fen"]
        assert written[5] == "202501"
    assert len(rows) == 1 + len(awkward)


def test_gbk_refuses_a_rare_character_and_names_the_line():
    lines = [line(1, 100), line(2, 200, "吉𠮷")]
    with pytest.raises(ValueError) as caught:
        write_bank_file(lines, RCB)
    message = str(caught.value)
    assert "第2笔" in message and "P202501000002" in message and "𠮷" in message and "GBK" in message


def test_gb18030_and_utf8_hold_the_rare_character():
    lines = [line(1, 100), line(2, 200, "吉𠮷")]
    d = dict(DEFAULTS["rcb_gbk_pipe"], encoding="gb18030")
    data = write_bank_file(lines, layout_from_dict(d))
    assert "吉𠮷" in data.decode("gb18030")
    assert "吉𠮷" in write_bank_file(lines, CSV).decode("utf-8-sig")


@pytest.mark.parametrize("amount, message", [
    (0, "大于0"), (-100, "大于0"), (MAX_FEN + 1, "过大"), (12.5, "整数"), (Decimal("12.50"), "整数"), (True, "整数"),
])
def test_amounts_the_file_cannot_carry(amount, message):
    with pytest.raises(ValueError, match=message):
        write_bank_file([line(1, 100), line(2, amount)], RCB)


def test_the_largest_amount_is_written_exactly():
    data = write_bank_file([line(1, MAX_FEN)], RCB).decode("gbk")
    assert data.startswith("1|1000000000.00|\r\n")
    assert "|1000000000.00|" in data.splitlines()[1]


@pytest.mark.parametrize("bad, message", [
    ({"name": "张|三"}, "分隔符"), ({"name": "张\n三"}, "换行"), ({"account": "6222 0212"}, "纯数字"),
    ({"month": "2025-1"}, "YYYY-MM"), ({"month": "2025-13"}, "YYYY-MM"),
])
def test_lines_the_file_cannot_carry(bad, message):
    with pytest.raises(ValueError, match=message):
        write_bank_file([line(1, 100, **bad)], RCB if "month" not in bad else PSBC)


def test_missing_key_names_the_line():
    broken = line(1, 100)
    del broken["id_number"]
    with pytest.raises(ValueError, match="第1笔.*身份证号"):
        write_bank_file([broken], RCB)


def test_lines_may_be_any_iterable():
    assert write_bank_file(iter(LINES), RCB) == write_bank_file(LINES, RCB)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=MAX_FEN), min_size=1, max_size=30))
def test_the_summary_total_is_the_sum_of_the_lines(amounts):
    data = write_bank_file([line(i, a) for i, a in enumerate(amounts, start=1)], RCB).decode("gbk").splitlines()
    count, total, _ = data[0].split("|")
    lines_total = sum(Decimal(row.split("|")[3]) for row in data[1:])
    assert int(count) == len(amounts) == len(data) - 1
    assert Decimal(total) == lines_total == Decimal(sum(amounts)) / 100


# --- round trips: write → the bank's return built from it → read ---------------------------


def rcb_return(payment: bytes, failed: set[str]) -> bytes:
    """The rural commercial bank's return: the summary line, then each line with its result and
    reason code appended."""
    rows = payment.decode("gbk").split("\r\n")
    out = [rows[0]]
    for row in rows[1:]:
        if row:
            ref = row.split("|")[5]
            out.append(row + ("1|E03|" if ref in failed else "0||"))
    return ("\r\n".join(out) + "\r\n").encode("gbk")


def psbc_return(payment: bytes, failed: set[str]) -> bytes:
    rows = sheet_rows(payment)
    body = [rows[0] + ["处理状态", "失败原因"]]
    for row in rows[1:]:
        body.append(row + (["失败", "户名不符"] if row[7] in failed else ["成功", None]))
    body.append(["合计", None, None, None, sum(r[4] for r in rows[1:]), None, None, None, None, None])
    return xlsx_bytes(body)


def csv_return(payment: bytes, failed: set[str]) -> bytes:
    rows = payment.decode("utf-8-sig").split("\r\n")
    out = ["流水号,收款账号,金额（分）,状态码"]
    for row in rows[1:]:
        if row:
            cells = row.split(",")
            out.append(f"{cells[0]},{cells[1]},{cells[4]},{'03' if cells[0] in failed else '00'}")
    return ("\r\n".join(out) + "\r\n").encode("utf-8-sig")


@pytest.mark.parametrize("layout, make, reason_code", [
    (RCB, rcb_return, "E03"), (PSBC, psbc_return, "户名不符"), (CSV, csv_return, "03"),
])
def test_round_trip(layout, make, reason_code):
    payment = write_bank_file(LINES, layout)
    read = read_return_file(make(payment, {"P202501000002"}), "回盘.txt", layout)
    assert read.problems == []
    by_ref = {r.line_ref: r for r in read.rows}
    assert set(by_ref) == {ln["line_ref"] for ln in LINES}
    for src in LINES:
        got = by_ref[src["line_ref"]]
        assert (got.account, got.amount_fen) == (src["account"], src["amount_fen"])
    failed = by_ref["P202501000002"]
    assert (failed.paid, failed.reason_code, failed.reason) == (False, reason_code, "户名不符")
    assert by_ref["P202501000001"].paid and by_ref["P202501000001"].reason == ""
    assert read.paid_fen + read.failed_fen == TOTAL
    assert read.failed_fen == 5


def test_rows_carry_their_row_number():
    read = read_return_file(rcb_return(write_bank_file(LINES, RCB), set()), "r.txt", RCB)
    assert [r.row for r in read.rows] == [2, 3, 4]
    assert read.rows[0] == ReturnRow("P202501000001", card(1), 123450, True, "", "", 2)


# --- damaged return files --------------------------------------------------------------------


def rcb_text(*rows: str, summary: str = "2|1234.55|") -> str:
    return "\r\n".join([summary, *rows]) + "\r\n"


ROW1 = f"1|{card(1)}|张三|1234.50|340121198001010001|P202501000001|0||"
ROW2 = f"2|{card(2)}|李四|0.05|340121198001010002|P202501000002|1|E01|"


def read_rcb(text: str | bytes, filename: str = "回盘.txt"):
    data = text if isinstance(text, bytes) else text.encode("gbk")
    return read_return_file(data, filename, RCB)


def test_gbk_utf8_and_bom_all_read_alike():
    text = rcb_text(ROW1, ROW2)
    for data in (text.encode("gbk"), text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gb18030")):
        read = read_rcb(data)
        assert read.problems == []
        assert [(r.line_ref, r.paid, r.reason) for r in read.rows] == [
            ("P202501000001", True, ""), ("P202501000002", False, "账户已销户")]


def test_spaces_full_width_digits_blank_lines_and_separators():
    row1 = f" 1 | {card(1)[:4]} {card(1)[4:]} |张三| 1,234.50 |340121198001010001| P202501000001 | 0 | |"
    full = "２｜" + "".join(chr(ord(c) + 0xFEE0) for c in card(2)) + "｜李四｜０.０５｜x｜Ｐ２０２５０１０００００２｜１｜Ｅ０１｜"
    read = read_rcb(rcb_text(row1, "", "   ", full) + "\r\n\r\n\n")
    assert read.problems == []
    assert [(r.line_ref, r.account, r.amount_fen, r.paid, r.reason_code) for r in read.rows] == [
        ("P202501000001", card(1), 123450, True, ""), ("P202501000002", card(2), 5, False, "E01")]


def test_amount_spellings():
    amounts = {"1234.5": 123450, "1,234.50": 123450, "1234": 123400, "0.05": 5, "￥12.30": 1230, "1，000.00": 100000}
    rows = [f"{i}|{card(i)}|某|{text}|x|P{i:03d}|0||" for i, text in enumerate(amounts, start=1)]
    read = read_rcb(rcb_text(*rows))
    assert read.problems == []
    assert [r.amount_fen for r in read.rows] == list(amounts.values())


@pytest.mark.parametrize("row, message", [
    (f"1|{card(1)}|张三|1234.50|x|P1|9||", "状态“9”无法识别"),
    (f"1|{card(1)}|张三|1234.50|x|P1|||", "状态“空”无法识别"),
    (f"1|{card(1)}|张三|12.345|x|P1|0||", "两位小数"),
    (f"1|{card(1)}|张三|abc|x|P1|0||", "不是数字"),
    (f"1|{card(1)}|张三||x|P1|0||", "没有金额"),
    (f"1|{card(1)}|张三|-5.00|x|P1|0||", "负数"),
    (f"1|{card(1)}|张三|1000000000.01|x|P1|0||", "过大"),
    (f"1|{card(1)}|张三|1.00|x||0||", "没有流水号"),
    ("1|6222O21234567894|张三|1.00|x|P1|0||", "不是纯数字"),
    (f"1|{card(1)}|张三|1234.50", "只有4列"),
])
def test_a_row_that_cannot_be_read_is_a_problem_not_a_crash(row, message):
    read = read_rcb(rcb_text(ROW1, row, ROW2))
    assert [r.line_ref for r in read.rows] == ["P202501000001", "P202501000002"]
    assert len(read.problems) == 1
    number, text = read.problems[0]
    assert number == 3 and f"第3行" in text and message in text


def test_a_line_reported_twice_is_a_problem():
    read = read_rcb(rcb_text(ROW1, ROW1.replace("|0||", "|1|E02|")))
    assert len(read.rows) == 1 and read.rows[0].paid
    assert read.problems == [(3, "第3行：流水号“P202501000001”与第2行重复")]


def test_unknown_reason_code_keeps_the_banks_code():
    read = read_rcb(rcb_text(ROW2.replace("E01", "X99")))
    assert (read.rows[0].reason_code, read.rows[0].reason) == ("X99", "X99")
    read = read_rcb(rcb_text(ROW2.replace("E01", "")))
    assert read.rows[0].reason == "银行未说明原因"


@pytest.mark.parametrize("data, filename, message", [
    (b"", "r.txt", "空的"),
    (b"\x00\x01\x02binary\x00", "r.dat", "不是文本文件"),
    (b"PK\x03\x04 not really a zip", "r.xlsx", "无法读取"),
    ("1|2|3".encode("gbk"), "回盘.xlsx", "内容不是"),
])
def test_a_file_that_cannot_be_read_is_one_problem_on_row_0(data, filename, message):
    read = read_return_file(data, filename, RCB)
    assert read.rows == []
    assert len(read.problems) == 1 and read.problems[0][0] == 0 and message in read.problems[0][1]


def test_xlsx_return_with_numeric_cells():
    """Banks' spreadsheets hold amounts, passbook accounts and even references as numbers."""
    d = minimal(format="xlsx", columns=[{"field": "account"}, {"field": "amount_fen"}, {"field": "line_ref"}],
                **{"return": {"columns": {"line_ref": 1, "account": 2, "amount": 3, "status": 4, "reason": 5},
                              "skip_rows": 1, "paid": ["0"], "failed": ["1"], "reasons": {"2": "账户冻结"}}})
    layout = layout_from_dict(d)
    data = xlsx_bytes([
        ["流水号", "账号", "金额", "状态", "原因"],
        [20250100001, 107312345678901, 1234.5, 0, None],  # a 15-digit passbook account as a number is exact
        ["20250100002", "6217001234567890122", 0.29, 1, 2],  # 0.29 is not 29/100 as a double
        [20250100003, 6217001234567890122, 12, 0, None],  # a 19-digit account as a number has lost digits
        [20250100004, "6217001234567890122", 0.125, 0, None],  # not whole cents
    ])
    read = read_return_file(data, "回盘.xlsx", layout)
    assert [(r.line_ref, r.account, r.amount_fen, r.paid, r.reason) for r in read.rows] == [
        ("20250100001", "107312345678901", 123450, True, ""), ("20250100002", "6217001234567890122", 29, False, "账户冻结")]
    assert [n for n, _ in read.problems] == [4, 5]
    assert "账号被存成了数字" in read.problems[0][1] and "不是整分" in read.problems[1][1]


def test_xlsx_header_not_found():
    read = read_return_file(xlsx_bytes([["a", "b"], [1, 2]]), "r.xlsx", PSBC)
    assert read.rows == [] and read.problems[0][0] == 0 and "找不到回盘文件的表头" in read.problems[0][1]


def test_xlsx_far_cell_is_refused_before_calamine_builds_it():
    read = read_return_file(_far_cell(), "r.xlsx", PSBC)
    assert read.rows == [] and read.problems[0][0] == 0 and "超过上限" in read.problems[0][1]


def _far_cell() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write("A1", "备注")
    sheet.write(1_048_000, 0, "x")
    sheet.write(0, 16000, "y")
    book.close()
    return buffer.getvalue()


# --- fixed width -----------------------------------------------------------------------------


FIXED = layout_from_dict({
    "code": "fixed", "name": "定长", "format": "fixed", "encoding": "gbk", "line_ending": "crlf",
    "summary": {"fields": [{"field": "count", "width": 6}, {"field": "total", "width": 15, "format": "fen"}]},
    "columns": [{"field": "line_ref", "width": 14}, {"field": "account", "width": 19}, {"field": "name", "width": 10},
                {"field": "amount_fen", "width": 12, "format": "fen"}],
    "return": {"skip_rows": 1, "encoding": "gbk", "amount_format": "fen",
               "columns": {"line_ref": [1, 14], "account": [15, 19], "amount": [44, 12], "status": [56, 1]},
               "paid": ["Y"], "failed": ["N"]},
})


def test_fixed_width_counts_gbk_bytes_and_round_trips():
    data = write_bank_file(LINES[:2], FIXED)
    # 张三 is 4 bytes in GBK, so 6 spaces fill its 10-byte column
    assert data.split(b"\r\n")[:2] == [b"000002000000000123455",
                                       b"P202501000001 " + card(1).encode() + "张三".encode("gbk") + b" " * 6 + b"000000123450"]
    returned = b"\r\n".join([row + (b"Y" if i == 1 else b"N") if i else row for i, row in enumerate(data.split(b"\r\n")[:3])]) + b"\r\n"
    read = read_return_file(returned, "r.txt", FIXED)
    assert read.problems == []
    assert [(r.line_ref, r.account, r.amount_fen, r.paid) for r in read.rows] == [
        ("P202501000001", card(1), 123450, True), ("P202501000002", card(2), 5, False)]


def test_fixed_width_refuses_a_value_too_wide():
    with pytest.raises(ValueError, match="第1笔.*超过该列的宽度10字节"):
        write_bank_file([line(1, 100, "欧阳娜娜娜娜")], FIXED)


def test_a_paid_row_may_leave_off_the_empty_reason():
    read = read_rcb(rcb_text(f"1|{card(1)}|张三|1234.50|x|P1|0", ROW2))
    assert read.problems == [] and [r.paid for r in read.rows] == [True, False]


def test_xlsx_is_a_workbook_other_readers_accept():
    """The sheet data is written by bankfiles itself (xlsxwriter builds the package): openpyxl, a
    second reader, sees text ids and accounts, number amounts, the summary row, and names with
    XML's special characters as typed; the upload check of common.spreadsheets passes it."""
    import openpyxl

    from bangfu.common.spreadsheets import Limits, check_workbook

    d = dict(DEFAULTS["psbc_xlsx"], summary={"fields": [{"field": "count"}, {"field": "total", "format": "yuan_2dp"}]})
    lines = [line(1, 123450, "A&B<C>"), line(2, 5, " 前后空格 ")]
    data = write_bank_file(lines, layout_from_dict(d))
    grids = check_workbook(data, Limits(max_rows=10, max_cols=10))
    assert [(g.rows, g.cols) for g in grids.values()] == [(4, 8)]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == [2, 1234.55]
    assert rows[1][3] == "账号"
    assert rows[2][1] == "A&B<C>" and rows[3][1] == " 前后空格 "
    assert rows[2][3] == card(1) and sheet.cell(3, 4).data_type == "s" and sheet.cell(3, 4).number_format == "@"
    assert rows[2][4] == 1234.5 and sheet.cell(3, 5).number_format == "0.00"
    assert sheet.title == "代发明细"


NAMES = st.text(alphabet="王李张刘陈杨黄赵吴周秀英桂兰玉梅建国·&<> 欧阳", min_size=1, max_size=8)


@pytest.mark.parametrize("layout, make", [(RCB, rcb_return), (PSBC, psbc_return), (CSV, csv_return)])
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.lists(st.tuples(st.integers(min_value=1, max_value=MAX_FEN), NAMES), min_size=1, max_size=12),
       failed=st.sets(st.integers(min_value=1, max_value=12)))
def test_round_trip_law(layout, make, data, failed):
    """For any amounts and names: every line comes back once with its amount, paid + failed is
    the file's total, and the failed are exactly the lines the bank failed."""
    lines = [line(i, amount, name.strip() or "王") for i, (amount, name) in enumerate(data, start=1)]
    failed_refs = {ln["line_ref"] for i, ln in enumerate(lines, start=1) if i in failed}
    read = read_return_file(make(write_bank_file(lines, layout), failed_refs), "r", layout)
    assert read.problems == []
    assert sorted((r.line_ref, r.amount_fen) for r in read.rows) == sorted((ln["line_ref"], ln["amount_fen"]) for ln in lines)
    assert read.paid_fen + read.failed_fen == sum(ln["amount_fen"] for ln in lines)
    assert {r.line_ref for r in read.rows if not r.paid} == failed_refs


def test_a_broken_csv_is_one_problem():
    data = ('流水号,收款账号,金额（分）,状态码\r\n"P1,' + "x" * 200_000 + "\r\n").encode("utf-8")
    read = read_return_file(data, "r.csv", CSV)
    assert read.rows == [] and read.problems[0][0] == 0 and "CSV" in read.problems[0][1]


def test_a_lone_surrogate_is_refused_not_a_crash():
    with pytest.raises(ValueError):
        write_bank_file([line(1, 100, "张\ud800")], PSBC)
    with pytest.raises(ValueError, match="第1笔"):
        write_bank_file([line(1, 100, "张\ud800")], CSV)


def test_fixed_width_return_uploaded_as_xlsx_is_one_problem():
    read = read_return_file(xlsx_bytes([["P1", card(1), 100, "Y"]]), "r.xlsx", FIXED)
    assert read.rows == [] and read.problems[0][0] == 0 and "定长" in read.problems[0][1]


@pytest.mark.parametrize("layout", [RCB, PSBC, CSV, FIXED])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.one_of(st.binary(max_size=300),
                      st.lists(st.text(alphabet="0123456789.,|\" E失败成功合计０１ \t", max_size=40), max_size=8)
                      .map(lambda rows: "\r\n".join(rows).encode("gb18030"))))
def test_any_bytes_read_without_raising(layout, data):
    """Whatever arrives as a return file, reading it answers rows and problems, never an
    exception; and no row both reads and is a problem."""
    read = read_return_file(data, "r.txt", layout)
    assert {r.row for r in read.rows}.isdisjoint(n for n, _ in read.problems)
