"""Synthetic external lists with known truth (issue 5: `bangfu synth-list`), for tests, demos and
the benchmark.

Rows drawn from the registry carry, with probability `typos`, one realistic error each, in equal
shares: two adjacent digits transposed, one digit mistyped, a wrong check character, the old
15-digit form, a homophone in the name (张伟 → 章伟), a similar-looking character (王 → 玉), or the
ID number left out. Every row also has sex, birth date and region columns, as departments' lists
usually do. A share `outside` of the rows are invented people who are not in the registry.

The truth is written beside the data in two columns the reader ignores: 真实人员编号 (the registry
person's id, empty for people not in it) and 错误类型. Every registry row is one a careful clerk
could link (see docs/matching.md): each error leaves either the name with the birth date, or a
number one edit from the right one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import polars as pl

from bangfu.common.idnumber import check_char
from bangfu.synth.tables import _GIVEN, _SURNAME_CHARS

from .kinds import KINDS
from .names import char_reading

ERRORS = ("transposition", "substitution", "bad_check", "fifteen", "homophone", "lookalike", "missing_id")
LOOKALIKE = dict(pair for a, b in (("王", "玉"), ("己", "已"), ("未", "末"), ("土", "士"), ("日", "曰"), ("人", "入"), ("天", "夭"),
                                     ("大", "太"), ("辛", "幸"), ("杨", "扬"), ("刘", "浏"), ("明", "朋"), ("丽", "莉"), ("燕", "艳"),
                                     ("红", "虹"), ("军", "车"), ("春", "椿"), ("兰", "蓝"), ("华", "桦"), ("国", "图"), ("林", "材"))
                  for pair in ((a, b), (b, a)))
TRUTH_COLUMN, ERROR_COLUMN = "真实人员编号", "错误类型"


class SynthListError(ValueError):
    pass


def _homophones(names: list[str]) -> dict[str, list[str]]:
    by_reading: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for ch in name:
            by_reading[char_reading(ch)].add(ch)
    extra = "章彰樟璋漳伟玮苇炜纬卫为维芳方仿访坊放丽力立历利莉励强墙蔷樯明鸣铭名敏民珉闵军君均钧峻华化话桦花"
    for ch in extra:
        by_reading[char_reading(ch)].add(ch)
    return {r: sorted(chars) for r, chars in by_reading.items() if len(chars) > 1}


def _mutate_id(rng: random.Random, number: str, error: str) -> str:
    if error == "transposition":
        choices = [p for p in range(6, 16) if number[p] != number[p + 1]]
        p = rng.choice(choices)
        return number[:p] + number[p + 1] + number[p] + number[p + 2:]
    if error == "substitution":
        p = rng.randrange(6, 17)
        digit = rng.choice([d for d in "0123456789" if d != number[p]])
        return number[:p] + digit + number[p + 1:]
    if error == "bad_check":
        return number[:17] + rng.choice([c for c in "0123456789X" if c != number[17]])
    if error == "fifteen":
        return number[:6] + number[8:17]
    return number


def _mutate_name(rng: random.Random, name: str, error: str, homophones: dict[str, list[str]]) -> str | None:
    positions = list(range(len(name)))
    rng.shuffle(positions)
    for p in positions:
        ch = name[p]
        if error == "lookalike" and ch in LOOKALIKE:
            return name[:p] + LOOKALIKE[ch] + name[p + 1:]
        if error == "homophone":
            options = [c for c in homophones.get(char_reading(ch), ()) if c != ch]
            if options:
                return name[:p] + rng.choice(options) + name[p + 1:]
    return None


def _kind_values(rng: random.Random, kind: str, today: dt.date) -> dict[str, str]:
    if kind == "death":
        return {"死亡日期": (today - dt.timedelta(days=rng.randrange(1, 365))).isoformat()}
    if kind == "disability":
        t = rng.choice(["视力", "听力", "言语", "肢体", "智力", "精神", "多重"])
        issue = today - dt.timedelta(days=rng.randrange(400, 4000))
        return {"残疾证号": "", "残疾类别": t, "残疾等级": rng.choice(["一级", "二级", "三级", "四级"]), "发证日期": issue.isoformat(),
                "最近年审日期": (today - dt.timedelta(days=rng.randrange(30, 800))).isoformat()}
    if kind == "education":
        return {"学籍状态": "辍学" if rng.random() < 0.05 else "在读", "学校": "第一中学"}
    if kind == "vehicle":
        return {"号牌号码": f"皖A{rng.randrange(10000, 99999)}", "车辆价值": str(rng.randrange(2000, 150000))}
    if kind == "public_employee":
        return {"工作单位": rng.choice(["某局", "某中学", "某医院", "某街道办"])}
    if kind == "other_assistance":
        return {"救助类别": rng.choice(["低保", "特困"]), "享受地": "外地"}
    return {col.header: "" for col in KINDS[kind].columns}


def _stranger_id(rng: random.Random, area: str, taken: set[str]) -> tuple[str, str, dt.date]:
    while True:
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 33000))
        sex = rng.choice("MF")
        seq = rng.randrange(700, 999)
        seq = seq - (seq % 2) + (1 if sex == "M" else 0)
        seq = min(seq, 999 if sex == "M" else 998)
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        if number not in taken:
            taken.add(number)
            return number, sex, birth


def synth_list(*, kind: str, registry: pl.DataFrame, rows: int, typos: float, seed, outside: float = 0.05,
               today: dt.date = dt.date(2025, 6, 30)) -> pl.DataFrame:
    """A list of `rows` rows of `kind` as a Polars table of text columns (headers in Chinese) with
    the truth columns. `registry`: person_id, id_number, name, sex, birth_date, region_code."""
    if kind not in KINDS:
        raise SynthListError(f"未知的名单种类“{kind}”，可用：{'、'.join(KINDS)}")
    if not 0 <= typos <= 1 or not 0 <= outside <= 1:
        raise SynthListError("错误率和名单外人员比例应在 0 到 1 之间")
    if registry.height == 0 and outside < 1:
        raise SynthListError("困难群众数据库中没有人员，请先用 bangfu synth 生成，或使用 --outside 1")
    rng = random.Random(seed)
    n_out = round(rows * outside) if registry.height else rows
    n_in = min(rows - n_out, registry.height)
    picked = registry.sample(n=n_in, seed=rng.randrange(1 << 30), shuffle=True) if n_in else registry.head(0)
    homophones = _homophones(picked["name"].head(20000).to_list())
    area = picked["id_number"][0][:6] if n_in else "340102"
    taken = set(registry["id_number"].to_list()) if n_out else set()
    extra_headers = [col.header for col in KINDS[kind].columns]
    out: dict[str, list] = defaultdict(list)

    def emit(number, name, sex, birth, region, truth, error):
        out["身份证号"].append(number)
        out["姓名"].append(name)
        out["性别"].append("男" if sex == "M" else "女")
        out["出生日期"].append(birth.isoformat())
        out["区划代码"].append(region)
        values = _kind_values(rng, kind, today)
        for h in extra_headers:
            out[h].append(values.get(h, ""))
        out[TRUTH_COLUMN].append(truth)
        out[ERROR_COLUMN].append(error)

    for pid, number, name, sex, birth, region in picked.select("person_id", "id_number", "name", "sex", "birth_date", "region_code").iter_rows():
        error = ""
        if rng.random() < typos:
            error = rng.choice(ERRORS)
            if error in ("homophone", "lookalike"):
                changed = _mutate_name(rng, name, error, homophones)
                if changed is None:
                    error = "missing_id"
                else:
                    name = changed
            if error == "fifteen" and not (1900 <= birth.year <= 1999):
                error = "bad_check"
            if error == "missing_id":
                number = ""
            else:
                number = _mutate_id(rng, number, error)
        emit(number, name, sex, birth, region, str(pid), error)
    surnames = _SURNAME_CHARS[:60]
    for _ in range(n_out):
        number, sex, birth = _stranger_id(rng, area, taken)
        given = _GIVEN[(sex, 1)]
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        emit(number, name, sex, birth, "", "", "outside")
    frame = pl.DataFrame(dict(out))
    return frame.sample(fraction=1.0, shuffle=True, seed=rng.randrange(1 << 30))


def write_list(frame: pl.DataFrame, path: str | Path) -> None:
    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame.write_csv(path)
    elif path.suffix.lower() == ".xlsx":
        import xlsxwriter

        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet("名单")
        for col, name in enumerate(frame.columns):
            sheet.write_string(0, col, name)
        for r, row in enumerate(frame.iter_rows(), start=1):
            for col, value in enumerate(row):
                sheet.write_string(r, col, "" if value is None else str(value))
        workbook.close()
    else:
        raise SynthListError("输出文件须为 .csv 或 .xlsx")


def score(links: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Precision and recall of accepted links against the truth (row_no, truth person id).
    Every registry row is linkable by a careful clerk, so recall counts against all of them."""
    joined = truth.join(links.select("row_no", "person_id", "link_status"), on="row_no", how="left")
    accepted = joined.filter(pl.col("link_status") == "accepted")
    correct = accepted.filter(pl.col("person_id") == pl.col("truth")).height
    linkable = joined.filter(pl.col("truth").is_not_null()).height
    review = joined.filter(pl.col("link_status") == "review")
    review_correct = review.filter(pl.col("person_id") == pl.col("truth")).height
    return {
        "precision": correct / accepted.height if accepted.height else 1.0,
        "recall": correct / linkable if linkable else 1.0,
        "recall_with_review": (correct + review_correct) / linkable if linkable else 1.0,
        "accepted": accepted.height, "review": review.height, "linkable": linkable,
    }
