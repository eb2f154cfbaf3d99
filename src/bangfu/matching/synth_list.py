"""Synthetic external lists with known truth (issue 5: `bangfu synth-list`; issue 12: the damage
real department files carry), for tests, demos and the benchmark.

Rows drawn from the registry carry, with probability `typos`, one damage each, drawn uniformly
among the enabled kinds (`damage`, default all of DAMAGES):

- the clerk's errors in the ID number: two adjacent digits transposed, one digit mistyped, a
  wrong check character, the old 15-digit form, the number left out;
- what Excel does to a number column: `3.40121E+17` (6 significant digits, as a General cell
  shows and a csv saves it) and `3.40121198905248E+17` (the 15 significant digits a numeric cell
  keeps; in xlsx output a real numeric cell) — IDs ending in X are text to Excel and never float;
- how other systems write the number: full-width digits (３４０…, Ｘ), Excel's text apostrophe
  ('340…), a lower-case x (IDs ending in X only), spaces or a tab inside;
- the name: a homophone (张伟 → 章伟), a similar-looking character (王 → 玉), traditional
  characters (陈国华 → 陳國華), another separator in a minority name (阿依古丽·买买提 with •, ・, .,
  ． or none).

A kind that needs something of the person (an X at the end, a name with a separator, a character
the name tables know, a birth year in 1900–1999 for the 15-digit form, a number Excel could hold)
is given to a person who has it: the persons of two rows are swapped, so the kinds stay uniform.
Only when no such person is left does the row take another kind that fits. The registry is
sorted by person id before anything is drawn, so a seed and a registry give the same list
whatever order the database returned the persons in.

A share `outside` of the rows are invented people who are not in the registry (damaged the same
way only with `damage_outside`).
`without` drops whole columns (birth_date, sex, region), as many real lists lack them.

The truth is written beside the data in two columns the reader ignores: 真实人员编号 (the registry
person's id, empty for people not in it) and 错误类型 (the damage kind, "" for none, "outside").
`findable` says which rows a careful clerk could link (docs/matching.md section 二 and 五);
`score_by_kind` scores a linkage per damage kind against it.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from pathlib import Path

import polars as pl

from bangfu.common.idnumber import check_char
from bangfu.regions.codes import COUNTY, prefix_col
from bangfu.synth.tables import _GIVEN, _SURNAME_CHARS

from .kinds import KINDS
from .names import char_reading

CLASSIC = ("transposition", "substitution", "bad_check", "fifteen", "homophone", "lookalike", "missing_id")
EXCEL_FLOAT = ("float_short", "float_15")
DAMAGES = CLASSIC + EXCEL_FLOAT + ("fullwidth", "apostrophe", "lower_x", "spaces", "traditional", "separator")
ERRORS = DAMAGES  # the name issue 5's tests use
LOST_DIGITS = ("missing_id", "float_short", "float_15")  # the number cannot be read back
WITHOUT = {"birth_date": "出生日期", "sex": "性别", "region": "区划代码"}
LOOKALIKE = dict(pair for a, b in (("王", "玉"), ("己", "已"), ("未", "末"), ("土", "士"), ("日", "曰"), ("人", "入"), ("天", "夭"),
                                     ("大", "太"), ("辛", "幸"), ("杨", "扬"), ("刘", "浏"), ("明", "朋"), ("丽", "莉"), ("燕", "艳"),
                                     ("红", "虹"), ("军", "车"), ("春", "椿"), ("兰", "蓝"), ("华", "桦"), ("国", "图"), ("林", "材"))
                  for pair in ((a, b), (b, a)))
# Simplified → traditional for the characters of the synthetic name tables (synth.tables) and the
# common ones beyond them: surnames, then given-name characters.
TRADITIONAL = dict(zip(
    "刘陈杨黄赵吴孙马罗郑谢许韩冯邓蒋叶苏吕卢钟谭陆贾韦邹闫龙贺顾龚万钱严汤欧阳张"
    "国军华贵宝荣兴庆长发兰凤云莲爱伟强涛辉刚杰鹏飞东剑锋丽静艳红颖洁轩泽铭诗语诺"
    "齐纪费乔聂单庞蓝缪阎邬关闵",
    "劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蔣葉蘇呂盧鍾譚陸賈韋鄒閆龍賀顧龔萬錢嚴湯歐陽張"
    "國軍華貴寶榮興慶長發蘭鳳雲蓮愛偉強濤輝剛傑鵬飛東劍鋒麗靜艷紅穎潔軒澤銘詩語諾"
    "齊紀費喬聶單龐藍繆閻鄔關閔", strict=True))
SEPARATORS = ("·", "•", "・", ".", "．")  # a minority name's middle dot as lists write it; or none
_FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
# Minority (Uyghur) names as the registry writes them: given name · father's name.
_MINORITY_GIVEN = {"M": ("艾力", "买买提", "阿不都", "吐尔逊", "艾合买提", "依明", "热合曼", "努尔", "肉孜", "亚森", "阿里木", "玉素甫"),
                   "F": ("阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "阿依努尔", "米热", "祖丽菲亚", "迪丽娜尔", "努尔曼古丽", "阿娜尔")}
_MINORITY_FATHER = ("买买提", "吐尔逊", "艾合买提", "依明", "热合曼", "肉孜", "亚森", "阿不都热依木", "玉素甫", "艾山", "卡德尔", "司马义")
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


def excel_float(number: str, digits: int) -> str:
    """The text Excel leaves of an all-digit ID number kept as a number: `digits` significant
    digits in scientific notation, as `3.40121E+17` (6) or `3.40121198905248E+17` (15). Excel
    keeps the first 15 digits and turns the rest into zeros; a General cell shows that rounded."""
    stored = float(number[:15] + "0" * (len(number) - 15))
    value = float(f"{stored:.{digits - 1}E}")
    mantissa, exponent = f"{value:.{digits - 1}E}".split("E")
    mantissa = re.sub(r"\.?0+$", "", mantissa) if "." in mantissa else mantissa  # 3.40100 → 3.401
    return f"{mantissa}E+{int(exponent):02d}"


def _spaces(rng: random.Random, number: str) -> str:
    form = rng.randrange(3)
    if form == 0:  # grouped as printed on the card: area, birth date, sequence and check
        sep = rng.choice((" ", "  ", "\t"))
        return sep.join((number[:6], number[6:14], number[14:]))
    p = rng.randrange(1, 18)
    return number[:p] + (" " if form == 1 else "\t") + number[p:]


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
    if error == "missing_id":
        return ""
    if error == "float_short":
        return excel_float(number, 6)
    if error == "float_15":
        return excel_float(number, 15)
    if error == "fullwidth":
        return number.translate(_FULLWIDTH)
    if error == "apostrophe":
        return "'" + number
    if error == "lower_x":
        return number[:17] + "x"
    if error == "spaces":
        return _spaces(rng, number)
    return number


def _mutate_name(rng: random.Random, name: str, error: str, homophones: dict[str, list[str]]) -> str | None:
    if error == "traditional":
        changed = "".join(TRADITIONAL.get(ch, ch) for ch in name)
        return changed if changed != name else None
    if error == "separator":
        present = [s for s in SEPARATORS if s in name]
        if not present:
            return None
        return name.replace(present[0], rng.choice([s for s in SEPARATORS if s != present[0]] + [""]))
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


NAME_DAMAGES = ("homophone", "lookalike", "traditional", "separator")


def _fits(error: str, number: str, name: str, birth: dt.date, homophones: dict[str, list[str]]) -> bool:
    """Whether damage `error` can be done to this person's record."""
    if error == "lower_x":
        return number.endswith("X")
    if error in EXCEL_FLOAT:
        return number.isdigit()  # an X at the end makes the cell text to Excel
    if error == "fifteen":
        return 1900 <= birth.year <= 1999
    if error == "transposition":
        return any(number[p] != number[p + 1] for p in range(6, 16))
    if error == "traditional":
        return any(ch in TRADITIONAL for ch in name)
    if error == "separator":
        return any(s in name for s in SEPARATORS)
    if error == "lookalike":
        return any(ch in LOOKALIKE for ch in name)
    if error == "homophone":
        return any(len(homophones.get(char_reading(ch), ())) > 1 for ch in name)
    return True


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


def parse_damage(text: str | None) -> tuple[str, ...]:
    """`--damage` as given: comma-separated kinds, "all" (the default) or "classic" (issue 5's)."""
    if not text or text == "all":
        return DAMAGES
    if text == "classic":
        return CLASSIC
    kinds = tuple(dict.fromkeys(k.strip() for k in text.split(",") if k.strip()))
    unknown = [k for k in kinds if k not in DAMAGES]
    if unknown or not kinds:
        raise SynthListError(f"未知的错误类型“{'、'.join(unknown)}”，可用：{'、'.join(DAMAGES)}")
    return kinds


def parse_without(text: str | None) -> tuple[str, ...]:
    """`--without` as given: comma-separated columns among birth_date, sex, region."""
    names = tuple(dict.fromkeys(k.strip() for k in (text or "").split(",") if k.strip()))
    unknown = [k for k in names if k not in WITHOUT]
    if unknown:
        raise SynthListError(f"不能去掉“{'、'.join(unknown)}”列，可去掉：{'、'.join(WITHOUT)}")
    return names


def with_minority_names(registry: pl.DataFrame, *, share: float, seed) -> pl.DataFrame:
    """`registry` with a share of its persons (drawn by `seed`) renamed to minority names written
    with the middle dot (阿依古丽·买买提), for separator damage: the synthetic registry has none."""
    registry = registry.sort("person_id")
    rng = random.Random(f"minority-{seed}")
    names = registry["name"].to_list()
    for i, sex in enumerate(registry["sex"].to_list()):
        if rng.random() < share:
            names[i] = rng.choice(_MINORITY_GIVEN["M" if sex == "M" else "F"]) + "·" + rng.choice(_MINORITY_FATHER)
    return registry.with_columns(pl.Series("name", names, dtype=pl.String))


def _assign(rng: random.Random, people: list[tuple], damages: tuple[str, ...], typos: float,
            homophones: dict[str, list[str]]) -> list[str]:
    """One damage kind (or "") per row, drawn uniformly; a kind the row's person does not fit
    swaps persons with a row whose kind fits anyone (or no damage), else becomes a kind that fits."""
    kinds = [rng.choice(damages) if rng.random() < typos else "" for _ in people]

    def fits(k: str, i: int) -> bool:
        _pid, number, name, _sex, birth, _region = people[i]
        return _fits(k, number, name, birth, homophones)

    free = {"", "substitution", "bad_check", "missing_id", "fullwidth", "apostrophe", "spaces"}  # fit everyone
    for want in [k for k in DAMAGES if k in damages and k not in free]:
        donors = [i for i, k in enumerate(kinds) if k in free and fits(want, i)]
        for i, k in enumerate(kinds):
            if k == want and not fits(want, i):
                while donors:
                    j = donors.pop()
                    if fits(want, j) and kinds[j] in free:
                        people[i], people[j] = people[j], people[i]
                        break
    for i, k in enumerate(kinds):
        if k and not fits(k, i):
            options = [d for d in damages if fits(d, i)]
            kinds[i] = rng.choice(options) if options else ""
    return kinds


def synth_list(*, kind: str, registry: pl.DataFrame, rows: int, typos: float, seed, outside: float = 0.05,
               today: dt.date = dt.date(2025, 6, 30), damage: tuple[str, ...] = DAMAGES,
               without: tuple[str, ...] = (), damage_outside: bool = False) -> pl.DataFrame:
    """A list of `rows` rows of `kind` as a Polars table of text columns (headers in Chinese) with
    the truth columns. `registry`: person_id, id_number, name, sex, birth_date, region_code.
    `damage`: the kinds drawn from; `without`: columns left out (keys of WITHOUT);
    `damage_outside`: outsiders are damaged too, at the same rate (错误类型 "outside:<kind>"), so
    that a damaged stranger's record meeting a registry person can be measured."""
    if kind not in KINDS:
        raise SynthListError(f"未知的名单种类“{kind}”，可用：{'、'.join(KINDS)}")
    if not 0 <= typos <= 1 or not 0 <= outside <= 1:
        raise SynthListError("错误率和名单外人员比例应在 0 到 1 之间")
    if registry.height == 0 and outside < 1:
        raise SynthListError("困难群众数据库中没有人员，请先用 bangfu synth 生成，或使用 --outside 1")
    damage = tuple(damage) or DAMAGES
    if set(damage) - set(DAMAGES):
        raise SynthListError(f"未知的错误类型，可用：{'、'.join(DAMAGES)}")
    if set(without) - set(WITHOUT):
        raise SynthListError(f"只能去掉这些列：{'、'.join(WITHOUT)}")
    registry = registry.sort("person_id")  # the database's row order is not fixed; the draw must be
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

    people = list(picked.select("person_id", "id_number", "name", "sex", "birth_date", "region_code").iter_rows())
    kinds = _assign(rng, people, damage, typos, homophones)
    for (pid, number, name, sex, birth, region), error in zip(people, kinds, strict=True):
        if error in NAME_DAMAGES:
            name = _mutate_name(rng, name, error, homophones)
        elif error:
            number = _mutate_id(rng, number, error)
        emit(number, name, sex, birth, region, str(pid), error)
    surnames = _SURNAME_CHARS[:60]
    for _ in range(n_out):
        number, sex, birth = _stranger_id(rng, area, taken)
        given = _GIVEN[(sex, 1)]
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        error = "outside"
        if damage_outside and rng.random() < typos:
            options = [d for d in damage if _fits(d, number, name, birth, homophones)]
            if options:
                chosen = rng.choice(options)
                error = f"outside:{chosen}"
                if chosen in NAME_DAMAGES:
                    name = _mutate_name(rng, name, chosen, homophones)
                else:
                    number = _mutate_id(rng, number, chosen)
        emit(number, name, sex, birth, "", "", error)
    frame = pl.DataFrame(dict(out))
    frame = frame.sample(fraction=1.0, shuffle=True, seed=rng.randrange(1 << 30))
    return frame.drop([WITHOUT[w] for w in without])


def write_list(frame: pl.DataFrame, path: str | Path) -> None:
    """csv (all text), or xlsx where the Excel-float kinds' ID cells are numbers, as Excel keeps them."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame.write_csv(path)
    elif path.suffix.lower() == ".xlsx":
        import xlsxwriter

        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet("名单")
        for col, name in enumerate(frame.columns):
            sheet.write_string(0, col, name)
        id_col = frame.columns.index("身份证号") if "身份证号" in frame.columns else -1
        errors = frame[ERROR_COLUMN].to_list() if ERROR_COLUMN in frame.columns else [""] * frame.height
        for r, (row, error) in enumerate(zip(frame.iter_rows(), errors, strict=True), start=1):
            for col, value in enumerate(row):
                if col == id_col and error in EXCEL_FLOAT:
                    sheet.write_number(r, col, float(value))
                else:
                    sheet.write_string(r, col, "" if value is None else str(value))
        workbook.close()
    else:
        raise SynthListError("输出文件须为 .csv 或 .xlsx")


def findable(frame: pl.DataFrame, registry: pl.DataFrame) -> pl.Series:
    """Per row of a synth list: could a careful clerk link it? The person is in the registry and
    the record carries one damage (synth_list never gives more). A row whose number survives (in
    any spelling, or one edit away) is findable. A row whose digits are lost (missing, or Excel's
    float) is findable only by its name with what survives: the birth date (the list's column, or
    the 15 significant digits, which keep it) when the name is unique among the registry's people
    born that day, else the county (the region column, the float's first six digits, or the list's
    area) when the name is unique in the county."""
    truth = frame[TRUTH_COLUMN].cast(pl.Int64, strict=False)
    kinds = frame[ERROR_COLUMN].fill_null("")
    has_birth = WITHOUT["birth_date"] in frame.columns
    reg = registry.select("person_id", "name", "birth_date",
                          prefix_col(pl.col("region_code"), COUNTY).alias("county"))
    by_birth = reg.group_by("name", "birth_date").len().rename({"len": "n_birth"})
    by_county = reg.group_by("name", "county").len().rename({"len": "n_county"})
    people = reg.join(by_birth, on=["name", "birth_date"]).join(by_county, on=["name", "county"]).select("person_id", "n_birth", "n_county")
    rows = pl.DataFrame({"truth": truth, "kind": kinds}).with_row_index("i").join(
        people, left_on="truth", right_on="person_id", how="left").sort("i")
    lost = pl.col("kind").is_in(LOST_DIGITS)
    birth_known = pl.lit(has_birth) | (pl.col("kind") == "float_15")
    unique = pl.when(birth_known).then(pl.col("n_birth") == 1).otherwise(pl.col("n_county") == 1)
    ok = pl.col("truth").is_not_null() & pl.col("n_birth").is_not_null() & (~lost | unique)
    return rows.select(ok.fill_null(False).alias("findable"))["findable"]


def score_by_kind(links: pl.DataFrame, truth: pl.DataFrame) -> dict[str, dict[str, float]]:
    """Per damage kind ("" → "clean", and "outside"), and "all" over the damaged rows: precision of
    the accepted links, recall over the findable rows (accepted and right), recall counting review
    rows whose first candidate is right, the share of the kind's rows sent to review, and for
    outsiders the share auto-linked (all of them under "outside", and by the damage they carry as
    "outsiders_autolinked" of each kind). `truth`: row_no, truth, kind, findable."""
    joined = truth.join(links.select("row_no", "person_id", "link_status"), on="row_no", how="left").with_columns(
        pl.col("kind").fill_null("").str.strip_prefix("outside:").replace({"outside": "clean", "": "clean"}).alias("damage"),
        pl.when(pl.col("kind").fill_null("").str.starts_with("outside")).then(pl.lit("outside"))
        .otherwise(pl.col("kind").fill_null("").replace("", "clean")).alias("kind"),
        (pl.col("person_id") == pl.col("truth")).fill_null(False).alias("right"),
        (pl.col("link_status") == "accepted").fill_null(False).alias("acc"),
        (pl.col("link_status") == "review").fill_null(False).alias("rev"))
    damaged = joined.filter(~pl.col("kind").is_in(["clean", "outside"])).with_columns(pl.lit("all").alias("kind"))
    out: dict[str, dict[str, float]] = {}
    for kind, group in pl.concat([joined, damaged]).group_by("kind", maintain_order=True):
        kind = kind[0]
        accepted = group.filter(pl.col("acc"))
        found = group.filter(pl.col("findable"))
        right = found.filter(pl.col("acc") & pl.col("right")).height
        right_review = found.filter(pl.col("rev") & pl.col("right")).height
        out[kind] = {
            "rows": group.height, "findable": found.height, "accepted": accepted.height,
            "precision": accepted.filter(pl.col("right")).height / accepted.height if accepted.height else 1.0,
            "recall": right / found.height if found.height else 1.0,
            "recall_with_review": (right + right_review) / found.height if found.height else 1.0,
            "review_share": group.filter(pl.col("rev")).height / group.height if group.height else 0.0,
            "autolinked": accepted.height / group.height if group.height else 0.0,
        }
    # outsiders by the damage they carry: which damage makes a stranger meet a registry person
    strangers = joined.filter(pl.col("kind") == "outside")
    for damage, group in strangers.group_by("damage", maintain_order=True):
        if damage[0] in out:
            out[damage[0]]["outsiders"] = group.height
            out[damage[0]]["outsiders_autolinked"] = group.filter(pl.col("acc")).height / group.height
    return out


def score(links: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Precision and recall of accepted links against the truth (row_no, truth person id).
    With issue 5's errors (CLASSIC) and every column, every registry row is linkable by a careful
    clerk, so recall counts against all of them; for the other damage kinds, or lists without a
    column, use `findable` and `score_by_kind`."""
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
