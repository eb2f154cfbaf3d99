"""Writing the bank's payment file and reading its return file (issue 15 "Performance": bank file
< 5 s and return file < 10 s for a county with 300,000 paying benefits).

    python benchmarks/bankfiles.py [--size quick|full] [--lines N]

Prints, for the example layouts of payments/banks.yaml:
    BENCH payments.bank_file_s                  writing the GBK pipe-delimited file (rcb_gbk_pipe)
    BENCH payments.bank_file_xlsx_s             writing the xlsx file (psbc_xlsx)
    BENCH payments.bank_file_csv_s              writing the UTF-8 CSV (city_utf8_csv)
    BENCH payments.return_rows_per_s            reading the GBK return file, rows per second
    BENCH payments.return_s                     the same, seconds
    BENCH payments.return_xlsx_rows_per_s       reading the xlsx return file (common.spreadsheets check + calamine)
    BENCH payments.bank_file.ratio_vs_plain_join  a bare "|".join of the same cells over the GBK file's
                                                time (below 1: what the layout, checks and encoding cost)
    BENCH payments.<figure>_cpu_s               the process's CPU seconds for the GBK, xlsx and CSV files
                                                and the GBK return (on a shared machine the wall
                                                time above also counts other processes' turns)
No database is needed."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests_support"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
os.environ.setdefault("BANGFU_TESTING", "1")

SIZES = {"quick": 30_000, "full": 300_000}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰玉梅建国志强丽娟海燕明华红霞淑珍德明"


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.6g} {unit}", flush=True)


def make_lines(n: int) -> list[dict]:
    from bangfu.payments.cards import luhn_check_digit

    lines = []
    for i in range(n):
        body = f"621700{i:012d}"
        lines.append({
            "line_ref": f"P202501{i:08d}", "name": SURNAMES[i % 20] + GIVEN[i % 19] + GIVEN[(i // 19) % 19],
            "id_number": f"341021{1940 + i % 60}0101{i % 1000:03d}{i % 10}", "account": body + luhn_check_digit(body),
            "bank_name": "某农商银行某支行", "amount_fen": 30_000 + (i * 37) % 90_000, "month": "2025-01",
            "programme": "低保", "region_code": f"341021{i % 20:03d}{i % 300:03d}", "region_name": "某镇某村",
        })
    return lines


def gbk_return(payment: bytes) -> bytes:
    """The bank's return: every 50th line failed (账户已销户)."""
    rows = payment.split(b"\r\n")
    out = [rows[0]]
    for i, row in enumerate(rows[1:]):
        if row:
            out.append(row + (b"1|E01|" if i % 50 == 0 else b"0||"))
    return b"\r\n".join(out) + b"\r\n"


def xlsx_return(lines: list[dict]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, title in enumerate(["序号", "姓名", "账号", "金额（元）", "备注", "处理状态", "失败原因"]):
        sheet.write_string(0, c, title)
    for r, ln in enumerate(lines, start=1):
        sheet.write_number(r, 0, r)
        sheet.write_string(r, 1, ln["name"])
        sheet.write_string(r, 2, ln["account"])
        sheet.write_number(r, 3, ln["amount_fen"] / 100)
        sheet.write_string(r, 4, ln["line_ref"])
        sheet.write_string(r, 5, "失败" if r % 50 == 0 else "成功")
        if r % 50 == 0:
            sheet.write_string(r, 6, "销户")
    book.close()
    return buffer.getvalue()


class Timed:
    """Wall and CPU seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="quick")
    parser.add_argument("--lines", type=int, default=None)
    args = parser.parse_args()
    n = args.lines or SIZES[args.size]

    import django

    django.setup()
    from bangfu.payments.bankfiles import layout_from_dict, load_default_layouts, read_return_file, write_bank_file

    layouts = {code: layout_from_dict(d) for code, d in load_default_layouts().items()}
    lines = make_lines(n)
    print(f"# {n:,} lines", flush=True)

    with Timed() as t:
        payment = write_bank_file(lines, layouts["rcb_gbk_pipe"])
    gbk_s = t.wall
    bench("payments.bank_file_s", t.wall, "s")
    bench("payments.bank_file_cpu_s", t.cpu, "s")

    start = time.perf_counter()
    plain = ("\r\n".join("|".join((str(i), ln["account"], ln["name"], str(ln["amount_fen"]), ln["id_number"], ln["line_ref"]))
                         for i, ln in enumerate(lines, start=1)) + "\r\n").encode("gbk")
    plain_s = time.perf_counter() - start
    assert len(plain) > 0

    for code, name in (("psbc_xlsx", "payments.bank_file_xlsx"), ("city_utf8_csv", "payments.bank_file_csv")):
        with Timed() as t:
            write_bank_file(lines, layouts[code])
        bench(f"{name}_s", t.wall, "s")
        bench(f"{name}_cpu_s", t.cpu, "s")

    returned = gbk_return(payment)
    with Timed() as t:
        read = read_return_file(returned, "回盘.txt", layouts["rcb_gbk_pipe"])
    if read.problems or len(read.rows) != n or read.paid_fen + read.failed_fen != sum(ln["amount_fen"] for ln in lines):
        raise SystemExit(f"the return did not read back whole: {read.problems[:3]}")
    bench("payments.return_rows_per_s", n / t.wall, "rows/s")
    bench("payments.return_s", t.wall, "s")
    bench("payments.return_cpu_s", t.cpu, "s")

    data = xlsx_return(lines)
    start = time.perf_counter()
    read = read_return_file(data, "回盘.xlsx", layouts["psbc_xlsx"])
    elapsed = time.perf_counter() - start
    if read.problems or len(read.rows) != n:
        raise SystemExit(f"the xlsx return did not read back whole: {read.problems[:3]}")
    bench("payments.return_xlsx_rows_per_s", n / elapsed, "rows/s")
    bench("payments.bank_file.ratio_vs_plain_join", plain_s / gbk_s, "x")  # the join's time over ours: above 1 = ahead


if __name__ == "__main__":
    main()
