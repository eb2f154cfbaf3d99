"""The cost of checking an upload before calamine reads it (issue 13 "bad files").

    python benchmarks/spreadsheets.py [--rows 100000] [--cols 20]

Prints
    BENCH spreadsheets.check_<rows>x<cols>_s      seconds to check a normal sheet (common.spreadsheets)
    BENCH spreadsheets.calamine_<rows>x<cols>_s   seconds calamine takes to read it (for comparison)
    BENCH spreadsheets.far_cell_refusal_ms        refusing the 1.8 KB A1 + CV400000 file
    BENCH spreadsheets.far_cell_peak_kb           Python memory peak (tracemalloc) of that refusal
    BENCH spreadsheets.bomb_refusal_ms            refusing an xlsx holding a 50 MB shared string
    BENCH spreadsheets.bomb_peak_kb               its Python memory peak
No database is needed."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests_support"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
os.environ.setdefault("BANGFU_TESTING", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from bangfu.common.spreadsheets import Limits, SpreadsheetRefused, check_workbook
    from bangfu.common.tests.test_spreadsheets import shared_string_bomb, xlsx

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for r in range(args.rows):
        for c in range(args.cols):
            sheet.write(r, c, f"v{r % 97}-{c}" if c % 2 else r * 7)
    book.close()
    data = buffer.getvalue()
    limits = Limits(max_rows=max(args.rows, 200_000), max_cols=200, max_cells=args.rows * args.cols + 1)
    size = f"{args.rows}x{args.cols}"

    start = time.perf_counter()
    check_workbook(data, limits)
    print(f"BENCH spreadsheets.check_{size}_s {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    workbook = CalamineWorkbook.from_object(io.BytesIO(data))
    workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    workbook.close()
    print(f"BENCH spreadsheets.calamine_{size}_s {time.perf_counter() - start:.2f} s")

    for name, bad in (("far_cell", xlsx({"A1": "姓名", "CV400000": "x"})), ("bomb", shared_string_bomb(50))):
        tracemalloc.start()
        start = time.perf_counter()
        try:
            check_workbook(bad, Limits(max_rows=200_000, max_cols=200))
        except SpreadsheetRefused:
            pass
        else:
            raise SystemExit(f"{name} was not refused")
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"BENCH spreadsheets.{name}_refusal_ms {elapsed * 1000:.1f} ms")
        print(f"BENCH spreadsheets.{name}_peak_kb {peak / 1024:.0f} kB")


if __name__ == "__main__":
    main()
