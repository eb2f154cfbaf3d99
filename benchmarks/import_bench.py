"""Survey import benchmark (issue 2 item 6): a synthetic sheet of N person rows for one county,
imported all-or-nothing, against the peer pandas.read_excel(engine="openpyxl", dtype=str) merely
reading the same file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        PYTHONPATH=src .venv/bin/python benchmarks/import_bench.py 100000

Runs in a scratch database of its own (created and dropped here), so it never touches the data
of the configured database. pandas and openpyxl are the "bench" extra; only this file imports them.
Prints `BENCH import.rows_<n>_s <seconds> s` and `BENCH import.ratio_vs_pandas_openpyxl <x> x`,
the ratio being pandas' read time over our whole import (above 1: we import faster than pandas
reads).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
RELATIONS = ("配偶", "子女", "子女", "父母", "孙子女")


def _id_number(i: int) -> str:
    from bangfu.common.idnumber import check_char

    birth = dt.date(1940, 1, 1) + dt.timedelta(days=i // 500)
    order = (i % 500) * 2 + (i % 2)
    first17 = f"340102{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def build_rows(rows: int, villages: list[str]) -> list[dict]:
    """Valid rows in households of one to five members, every column of the sheet in use."""
    out: list[dict] = []
    i = household = 0
    while i < rows:
        household += 1
        size = min(1 + household % 5, rows - i)
        village = villages[household % len(villages)]
        for m in range(size):
            head = m == 0
            row = {
                "户编号": f"H{household}", "姓名": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
                "身份证号码": _id_number(i), "与户主关系": "户主" if head else RELATIONS[m % len(RELATIONS)],
                "联系电话": f"139{i:08d}", "户籍所在地": "安徽省合肥市瑶海区", "居住状况": "与家人同住",
                "劳动能力": ("有劳动能力", "部分丧失劳动能力", "无劳动能力")[i % 3],
                "能自主吃饭": "是", "能自主穿衣": "是", "能自主上下床": "是", "能自主如厕": "是", "能室内行走": "是",
                "能自主洗澡": "否" if i % 11 == 0 else "是", "文化程度": "初中", "在校": "否", "辍学": "否",
                "疑似残疾未办证": "否", "孤儿": "否", "事实无人抚养儿童": "否", "精神障碍": "否",
            }
            if head:
                row.update({"村（社区）代码": village, "住址": f"{village[-3:]}组{household}号", "户籍性质": "农村",
                            "住房安全": "安全", "类别": "低保" if household % 3 else "低保、建档立卡", "致困原因": "因病"})
            if i % 7 == 0:
                row["重大疾病"] = "恶性肿瘤"
            if i % 13 == 0:
                row.update({"残疾证号": f"{_id_number(i)}11", "残疾类别": "肢体", "残疾等级": "三级",
                            "发证日期": "2020-03-01", "最近年审日期": "2024-03-01"})
            if i % 3 == 0:
                row.update({"月收入（元）": f"{800 + i % 1000}.50", "收入类型": "工资性收入"})
            out.append(row)
            i += 1
    return out


def write_sheet(path: Path, rows: list[dict]) -> None:
    import xlsxwriter

    from bangfu.registry.survey.columns import COLUMNS

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("摸底表")
    for j, col in enumerate(COLUMNS):
        sheet.write_string(0, j, col.header)
    for r, row in enumerate(rows, 1):
        for j, col in enumerate(COLUMNS):
            value = row.get(col.header)
            if value is not None:
                sheet.write_string(r, j, value)
    workbook.close()


def bench_import(rows: int, *, user, villages: list[str] | None = None, repeat: int = 1, fresh_db=None) -> dict:
    """Build and write a sheet of `rows` person rows, import it all-or-nothing as `user`, and time
    pandas+openpyxl reading the same file. With `repeat` > 1 the import runs that many times, each
    into an empty registry prepared by `fresh_db()` (which returns the user to import as), and
    the best time counts, as usual for benchmarks on a shared machine."""
    import pandas

    from bangfu.registry.survey.importer import ALL_OR_NOTHING, survey_import

    villages = villages or [user.region.code]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"survey_{rows}.xlsx"
        clock = time.perf_counter()
        write_sheet(path, build_rows(rows, villages))
        build_s = time.perf_counter() - clock

        runs = []
        for attempt in range(repeat):
            if attempt:
                user = fresh_db()
            clock, cpu = time.perf_counter(), time.process_time()
            report = survey_import(acting_user=user, source=path, mode=ALL_OR_NOTHING)
            runs.append((time.perf_counter() - clock, time.process_time() - cpu, report.seconds))
            if not (report.ok and report.written and report.new_persons == rows):
                raise RuntimeError(f"import failed: {report.summary()} {[str(e) for e in report.errors[:5]]}")

        clock = time.perf_counter()
        frame = pandas.read_excel(path, engine="openpyxl", dtype=str)
        pandas_s = time.perf_counter() - clock
        assert len(frame) == rows
    best = min(runs, key=lambda r: r[0])
    return {
        "rows": rows, "households": report.households, "build_s": round(build_s, 3), "import_s": round(best[0], 3),
        "import_cpu_s": round(best[1], 3), "phases_s": best[2], "all_import_s": [round(r[0], 2) for r in runs],
        "pandas_openpyxl_read_s": round(pandas_s, 3), "ratio_vs_pandas_openpyxl": round(pandas_s / best[0], 3),
    }


def _setup() -> None:
    support = str(Path(__file__).resolve().parent.parent / "tests_support")  # bangfu_testing.factories
    if support not in sys.path:
        sys.path.insert(0, support)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    # not BANGFU_DEBUG: debug mode records every query and would be measured too
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    import django

    django.setup()


def _villages(county):
    from bangfu_testing.factories import region

    codes = []
    for t in range(1, 11):
        township = region(f"{county.code_value.short}{t:03d}", f"镇{t}", county)
        for v in range(1, 11):
            codes.append(region(f"{township.code_value.prefix}{v:03d}", f"村{t}-{v}", township).code)
    return codes


def main(argv: list[str]) -> None:
    """import_bench.py [ROWS ...] [--repeat N]: default 100000 rows, best of N (default 1)."""
    _setup()
    from django.conf import settings
    from django.db import connection

    from bangfu_testing.factories import Role, make_user, region_tree

    args = list(argv[1:])
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    counts = [int(a) for a in args] or [100_000]
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "bangfu_bench_import" if connection.vendor == "postgresql" else str(Path(tempfile.gettempdir()) / "bangfu_bench_import.sqlite3")
    )
    state = {"old": None}

    def fresh_db():
        """An empty scratch database with the region tree and a county officer of its own."""
        if state["old"] is not None:
            connection.creation.destroy_test_db(state["old"], verbosity=0)
        state["old"] = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        tree = region_tree()
        _villages(tree["county"])
        return make_user("bench", Role.COUNTY_OFFICER, tree["county"])

    try:
        for rows in counts:
            user = fresh_db()
            result = bench_import(rows, user=user, villages=_villages(user.region), repeat=repeat, fresh_db=fresh_db)
            label = f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)
            print(f"BENCH import.rows_{label}_s {result['import_s']:.2f} s")
            print(f"BENCH import.pandas_openpyxl_read_rows_{label}_s {result['pandas_openpyxl_read_s']:.2f} s")
            print(f"BENCH import.ratio_vs_pandas_openpyxl {result['ratio_vs_pandas_openpyxl']:.2f} x")
            print(f"# {connection.vendor}; best of {repeat}: {result['all_import_s']} s; our CPU {result['import_cpu_s']} s; "
                  f"phases {result['phases_s']}; {result['households']} households; sheet built in {result['build_s']} s; "
                  f"load average {os.getloadavg()[0]:.1f}")
    finally:
        if state["old"] is not None:
            connection.creation.destroy_test_db(state["old"], verbosity=0)


if __name__ == "__main__":
    main(sys.argv)
