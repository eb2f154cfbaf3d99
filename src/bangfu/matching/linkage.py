"""Record linkage of an external list against the registry (issue 5 "Linkage", issue 12
"damaged files"). Pure: Polars tables in, a Polars table out, no database.

0. Both sides are compared in normal form: ID numbers as idcheck leaves them (NFKC, no spaces or
   quotes, X upper-case), names by `names.name_key` (NFKC, no white space, no separators inside
   minority names: 王·买买提 = 王买买提). Names are kept as written for display elsewhere.
1. Exact pass: rows whose ID number is valid (or a 15-digit number converted to 18) join the
   registry on the normalised string. An exact number is accepted with score 1 when the names
   agree at least in half their characters or in sound; otherwise it goes to review.
2. The remainder (wrong check character, one mistyped or transposed digit, 15-digit numbers not
   found, numbers Excel damaged, missing numbers, numbers of people not in the registry) gets
   candidates from these blocks, never from the whole registry:
   a. the valid numbers one substitution or one adjacent transposition away (idcheck);
   b. the same birth date and sex (from the list's columns, else from the digits of its number,
      else from the digits that survive of a number Excel damaged: idcheck.surviving);
   c. for rows with no birth date at all: the same name (name key, or pinyin key) in the list's
      area — the county of the row's region code when it has one, else the county its (partial)
      ID number names, else the importing user's region (`area`).
3. Each candidate pair is scored (weights below) on the ID number, the name (characters and
   pinyin, so 张伟/章伟 and 单/善 meet), birth date, sex and region, and on the surviving digits
   of a damaged number (W_PREFIX when all of them agree); pairs whose names share less than
   MIN_NAME are dropped. A row's best pair is accepted at ACCEPT or above when no other candidate
   comes within MARGIN and the given names do not differ (`names.given_names_differ`: a surname
   alone never carries an auto-link); from REVIEW up it goes to the review queue, and so does a
   row whose only evidence is the same name in the list's area (block c), whatever its score.
4. Decisions remembered from earlier reviews (`accepted` / `rejected` pairs of row fingerprint
   and person) override the score: a rejected pair is never proposed again, an accepted one is
   taken with method "remembered".

"Nothing can identify it": a row with no valid, convertible, one-edit-shaped or partially
surviving ID number, no birth date (from its columns or its digits) and no same-name person in
the list's area. Such a row ends with link_status "none", method null and `identifiable` false;
a row that could be identified but found nobody (someone not in the registry) has `identifiable`
true. The import refuses the first kind with its reason and reports the second as not in the
registry.

Names are compared with rapidfuzz `process.cpdist` over the candidate pairs (vectorised, in
C++); pinyin keys are computed once per distinct name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bangfu.regions.codes import COUNTY, RegionCode, prefix_col

from .choices import IdStatus, LinkMethod, LinkStatus
from .idcheck import TRUNCATED, one_edit_neighbours, surviving
from .names import given_names_differ, name_key, name_key_col, pinyin_key

ACCEPT = 0.85
REVIEW = 0.60
MARGIN = 0.10
MIN_NAME = 0.60  # below this the names are different people's
EXACT_NAME_MIN = 0.50  # an exact ID number with names this far apart goes to review
EXACT_REVIEW_SCORE = 0.80
HOMOPHONE_FACTOR = 0.95  # same sound, other characters: a little less than the same characters
W_ID, W_NAME, W_BIRTH, W_SEX, W_AREA = 0.40, 0.35, 0.15, 0.05, 0.05
UNIQUE_BONUS = 0.25  # no ID evidence, but the only person of that birth date and sex with that name
UNIQUE_NAME = 0.85
W_PREFIX = 0.05  # every digit that survived of a number Excel damaged agrees (beyond birth date and county)
NAME_BLOCK_CAP = 200  # a name block bigger than this (王伟 in a province) gives no useful candidates
NAME_REVIEW_CAP = 20  # same-name candidates kept for a row in review, best first (a reviewer reads no more)

REGISTRY_SCHEMA = {"person_id": pl.Int64, "id_number": pl.String, "name": pl.String, "sex": pl.String,
                   "birth_date": pl.Date, "region_code": pl.String}
ROW_SCHEMA = {"row_no": pl.Int64, "id_clean": pl.String, "id_number": pl.String, "id_status": pl.String,
              "name": pl.String, "sex": pl.String, "birth_date": pl.Date, "region_code": pl.String}
OUT_SCHEMA = {"row_no": pl.Int64, "person_id": pl.Int64, "score": pl.Float64, "method": pl.String,
              "link_status": pl.String, "evidence": pl.String, "fingerprint": pl.String, "identifiable": pl.Boolean}


@dataclass
class LinkResult:
    links: pl.DataFrame  # OUT_SCHEMA, one row per input row
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def fingerprint(id_clean: str | None, name: str | None, birth: dt.date | None) -> str:
    """What identifies a list row across imports, for remembered review decisions."""
    text = f"{id_clean or ''}|{name_key(name)}|{birth.isoformat() if birth else ''}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _sim(left: list[str], right: list[str]) -> list[float]:
    if not left:
        return []
    return process.cpdist(left, right, scorer=Levenshtein.normalized_similarity, workers=-1).tolist()


def _name_scores(left: list[str], right: list[str]) -> tuple[list[float], list[float]]:
    chars = _sim(left, right)
    keys_l, keys_r = _pinyin_columns(pl.Series(left, dtype=pl.String), pl.Series(right, dtype=pl.String))
    return chars, _sim(keys_l, keys_r)


def _pinyin_columns(left: pl.Series, right: pl.Series) -> tuple[list[str], list[str]]:
    """Pinyin keys of two name columns, computed once per distinct name."""
    distinct = pl.concat([left, right]).unique()
    table = dict(zip(distinct.to_list(), [pinyin_key(n or "") for n in distinct.to_list()], strict=True))
    return (left.replace_strict(table, return_dtype=pl.String).to_list(),
            right.replace_strict(table, return_dtype=pl.String).to_list())


_LOST_SCHEMA = {"id_clean": pl.String, "lost_county": pl.String, "lost_county_alt": pl.String, "lost_birth": pl.Date,
                "lost_sex": pl.String, "lost_prefix": pl.String}


def _lost_evidence(rows: pl.DataFrame) -> pl.DataFrame:
    """What survives of each distinct number Excel damaged (few per list: computed in Python)."""
    damaged = (pl.col("id_status") == IdStatus.LOST_DIGITS.value) | pl.col("id_clean").fill_null("").str.contains(TRUNCATED.pattern)
    texts = rows.filter(damaged)["id_clean"].drop_nulls().unique().to_list()
    records = []
    for text in texts:
        ev = surviving(text)
        if ev is not None and ev.county:
            records.append((text, ev.county, ev.county_alt, ev.birth, ev.sex, ev.prefix))
    return pl.DataFrame(records, schema=_LOST_SCHEMA, orient="row")


def _area_bounds(codes: list[str | None], widen: bool) -> dict[str, tuple[str, str]]:
    """(low, high) of each code's subtree; a list row's own region counts at county level, since
    people on a list are often registered in another village of the same county."""
    out = {}
    for code in codes:
        if not code:
            continue
        try:
            region = RegionCode.parse(code) if len(code) != 6 else RegionCode.from_prefix(code)
        except ValueError:
            continue
        out[code] = (region.ancestor_or_self(COUNTY) if widen else region).bounds
    return out


def _prepare_rows(rows: pl.DataFrame, area: str | None) -> pl.DataFrame:
    c = pl.col("id_clean").fill_null("")
    lost = pl.col("id_status") == IdStatus.LOST_DIGITS.value
    is18 = c.str.contains(r"^[0-9]{17}[0-9X]$") & ~lost
    is15 = c.str.contains(r"^[0-9]{15}$") & ~lost
    id_birth = (pl.when(is18).then(c.str.slice(6, 8)).when(is15).then(pl.lit("19") + c.str.slice(6, 6))
                .otherwise(None).str.to_date("%Y%m%d", strict=False))
    # 18 digits ending in 000 that pass the check may still be what Excel left of another number:
    # their sex digit is not trusted (1 in 11 truncated numbers passes the check by chance)
    sex_digit = pl.when(c.str.contains(TRUNCATED.pattern)).then(None).when(is18).then(c.str.slice(16, 1)).when(is15).then(c.str.slice(14, 1)).otherwise(None).cast(pl.Int32, strict=False)
    id_sex = pl.when(sex_digit.is_null()).then(None).when(sex_digit % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))
    region_area = prefix_col(pl.col("region_code").fill_null(""), COUNTY)
    rows = rows.join(_lost_evidence(rows), on="id_clean", how="left")
    id_area = pl.when(is18 | is15).then(c.str.slice(0, 6)).otherwise(pl.col("lost_county"))
    rows = rows.with_columns(
        pl.coalesce(pl.col("birth_date"), id_birth, pl.col("lost_birth")).alias("birth_eff"),
        pl.coalesce(pl.col("sex"), id_sex, pl.col("lost_sex")).alias("sex_eff"),
        pl.when(region_area.str.len_chars() == 6).then(region_area).otherwise(id_area).alias("area6"),
        pl.when(region_area.str.len_chars() == 6).then(None).otherwise(pl.col("lost_county_alt")).alias("area6_alt"),
        name_key_col(pl.col("name")).alias("name"),
        (is18 | is15 | pl.col("lost_county").is_not_null()).alias("_id_evidence"),
    )
    # the list's area for the name block: the row's region (its county), else the county its
    # (partial) number names, else the importing user's region
    own = _area_bounds(rows["region_code"].drop_nulls().unique().to_list(), widen=True)
    named = _area_bounds(rows["area6"].drop_nulls().unique().to_list(), widen=False)
    batch = _area_bounds([area], widen=False).get(area or "")
    low = pl.coalesce(pl.col("region_code").replace_strict({k: v[0] for k, v in own.items()}, default=None, return_dtype=pl.String),
                      pl.col("area6").replace_strict({k: v[0] for k, v in named.items()}, default=None, return_dtype=pl.String),
                      pl.lit(batch[0] if batch else None, pl.String))
    high = pl.coalesce(pl.col("region_code").replace_strict({k: v[1] for k, v in own.items()}, default=None, return_dtype=pl.String),
                       pl.col("area6").replace_strict({k: v[1] for k, v in named.items()}, default=None, return_dtype=pl.String),
                       pl.lit(batch[1] if batch else None, pl.String))
    return rows.with_columns(low.alias("area_low"), high.alias("area_high"))


def _with_fingerprint(frame: pl.DataFrame) -> pl.DataFrame:
    if not frame.height:
        return frame.with_columns(pl.lit(None, pl.String).alias("fingerprint"))
    values = [fingerprint(i, n, b) for i, n, b in zip(frame["id_clean"].to_list(), frame["name"].to_list(), frame["birth_eff"].to_list(), strict=True)]
    return frame.with_columns(pl.Series("fingerprint", values, dtype=pl.String))


def _name_block(rows: pl.DataFrame, registry: pl.DataFrame) -> pl.DataFrame:
    """(row_no, person_id, named) for rows without a birth date: the people of the same name key
    or the same pinyin key in the row's area (`named` true: such a row goes to review at least),
    and, for rows with no area at all, the people of the same name anywhere when they are few."""
    schema = {"row_no": pl.Int64, "person_id": pl.Int64, "named": pl.Boolean}
    if not rows.height:
        return pl.DataFrame(schema=schema)
    reg = registry.select("person_id", "name", "region_code", pl.col("sex").alias("r_sex"))
    in_area = rows.filter(pl.col("area_low").is_not_null())
    found = []
    if in_area.height:
        lows, highs = in_area["area_low"].min(), in_area["area_high"].max()
        local = reg.filter(pl.col("region_code").is_between(pl.lit(lows), pl.lit(highs)))
        within = (pl.col("region_code") >= pl.col("area_low")) & (pl.col("region_code") <= pl.col("area_high"))
        left = in_area.select("row_no", "name", "area_low", "area_high", pl.col("region_code").alias("l_region"), "sex_eff")
        keep = ("row_no", "person_id", "l_region", "region_code", "sex_eff", "r_sex")
        found.append(left.join(local, on="name", how="inner").filter(within).select(*keep, pl.lit(0, pl.Int8).alias("_rank")))
        # homophones (章伟 for 张伟): pinyin keys of the names of the right length in these areas
        lengths = left["name"].str.len_chars().unique().to_list()
        local = local.filter(pl.col("name").str.len_chars().is_in(lengths))
        keys = _pinyin_table(pl.concat([left["name"], local["name"]]))
        left = left.with_columns(pl.col("name").replace_strict(keys, return_dtype=pl.String).alias("_py"))
        local = local.with_columns(pl.col("name").replace_strict(keys, return_dtype=pl.String).alias("_py")).drop("name")
        found.append(left.join(local, on="_py", how="inner").filter(within).select(*keep, pl.lit(1, pl.Int8).alias("_rank")))
    out = pl.concat(found) if found else pl.DataFrame(schema={"row_no": pl.Int64, "person_id": pl.Int64, "_rank": pl.Int8})
    # a big block (王伟 in a city) keeps its best NAME_REVIEW_CAP people, the same characters before
    # the same sound, then those in the list's village and of its sex: the row still goes to review
    if found:
        out = (out.with_columns(((pl.col("l_region") == pl.col("region_code")).fill_null(False)).alias("_place"),
                                ((pl.col("sex_eff") == pl.col("r_sex")).fill_null(False)).alias("_sex"))
               .sort("row_no", "_rank", "_place", "_sex", "person_id", descending=[False, False, True, True, False])
               .unique(["row_no", "person_id"], keep="first", maintain_order=True))
    out = (out.filter(pl.int_range(pl.len()).over("row_no") < NAME_REVIEW_CAP).select("row_no", "person_id", pl.lit(True).alias("named")))
    nowhere = rows.filter(pl.col("area_low").is_null()).select("row_no", "name")
    anywhere = nowhere.join(reg.select("person_id", "name"), on="name", how="inner").filter(pl.len().over("row_no") <= NAME_BLOCK_CAP)
    return pl.concat([out, anywhere.select("row_no", "person_id", pl.lit(False).alias("named"))]).cast(schema)


def _pinyin_table(names: pl.Series) -> dict[str, str]:
    distinct = names.unique().to_list()
    return dict(zip(distinct, [pinyin_key(n or "") for n in distinct], strict=True))


def link(registry: pl.DataFrame, rows: pl.DataFrame, *, accepted: pl.DataFrame | None = None,
         rejected: pl.DataFrame | None = None, area: str | None = None) -> LinkResult:
    """Link `rows` (ROW_SCHEMA) to `registry` (REGISTRY_SCHEMA). `accepted` / `rejected`: remembered
    decisions, frames of (fingerprint, person_id). `area`: the importing user's region code (12
    digits, any level), the list's area for rows that name none themselves."""
    import time

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    registry = registry.select(list(REGISTRY_SCHEMA)).with_columns(
        prefix_col(pl.col("region_code"), COUNTY).alias("r_area6"), name_key_col(pl.col("name")).alias("name"))
    rows = _prepare_rows(rows.select(list(ROW_SCHEMA)), area)
    # 1. exact pass on normalised ID strings
    exact = rows.filter(pl.col("id_number").is_not_null()).select("row_no", "id_number", "name").join(
        registry.select("id_number", "person_id", pl.col("name").alias("r_name")), on="id_number", how="inner")
    # names are compared only where they differ: the same characters score 1 without a call
    differ = exact.filter((pl.col("name") != pl.col("r_name")) & (pl.col("name") != ""))
    sims = pl.DataFrame({"row_no": differ["row_no"], "name_sim": _sim(differ["name"].to_list(), differ["r_name"].to_list())},
                        schema={"row_no": pl.Int64, "name_sim": pl.Float64})
    exact = exact.join(sims, on="row_no", how="left").with_columns(pl.col("name_sim").fill_null(1.0))
    doubtful = exact.filter((pl.col("name") != "") & (pl.col("name_sim") < EXACT_NAME_MIN))
    if doubtful.height:
        _c, py = _name_scores(doubtful["name"].to_list(), doubtful["r_name"].to_list())
        doubtful = doubtful.with_columns(pl.Series("py", py, dtype=pl.Float64)).filter(pl.col("py") < 0.8)
    exact_review = set(doubtful["row_no"].to_list())
    prints = _with_fingerprint(rows.filter(pl.col("row_no").is_in(list(exact_review)))).select("row_no", "fingerprint")
    exact = exact.join(prints, on="row_no", how="left")
    exact_out = exact.select(
        "row_no", "person_id",
        pl.when(pl.col("row_no").is_in(list(exact_review))).then(EXACT_REVIEW_SCORE).otherwise(1.0).alias("score"),
        pl.lit(LinkMethod.EXACT_ID.value).alias("method"),
        pl.when(pl.col("row_no").is_in(list(exact_review))).then(pl.lit(LinkStatus.REVIEW.value)).otherwise(pl.lit(LinkStatus.ACCEPTED.value)).alias("link_status"),
        pl.when(pl.col("row_no").is_in(list(exact_review)))
        .then(pl.format('{{"id":"exact","name":{}}}', pl.col("name_sim").round(3))).otherwise(None).alias("evidence"),
        "fingerprint",
    )
    seconds["exact"] = time.perf_counter() - t0

    # 2. candidates for the remainder
    t1 = time.perf_counter()
    rest = _with_fingerprint(rows.join(exact.select("row_no"), on="row_no", how="anti"))
    candidates = [pl.DataFrame(schema={"row_no": pl.Int64, "person_id": pl.Int64, "id_feat": pl.Int8})]
    shaped = rest.filter(pl.col("id_clean").fill_null("").str.contains(r"^[0-9]{17}[0-9X]$") & (pl.col("id_status") != IdStatus.LOST_DIGITS.value)
                         | (pl.col("id_status") == IdStatus.CONVERTED_15.value))
    if shaped.height:
        numbers = shaped.select(pl.coalesce(pl.col("id_number"), pl.col("id_clean")).alias("n"))["n"].to_list()
        conv = (shaped["id_status"] == IdStatus.CONVERTED_15.value).to_list()
        r_ids, variants = one_edit_neighbours(shaped["row_no"].to_list(), numbers, converted=conv)
        if variants:
            neighbours = pl.DataFrame({"row_no": r_ids, "id_number": variants}, schema={"row_no": pl.Int64, "id_number": pl.String})
            candidates.append(neighbours.join(registry.select("id_number", "person_id"), on="id_number", how="inner")
                              .select("row_no", "person_id", pl.lit(1, pl.Int8).alias("id_feat")))
    with_birth = rest.filter(pl.col("birth_eff").is_not_null())
    reg_birth = registry.select("person_id", pl.col("birth_date").alias("birth_eff"), pl.col("sex").alias("sex_eff"))
    candidates.append(with_birth.filter(pl.col("sex_eff").is_not_null()).select("row_no", "birth_eff", "sex_eff")
                      .join(reg_birth, on=["birth_eff", "sex_eff"], how="inner").select("row_no", "person_id", pl.lit(0, pl.Int8).alias("id_feat")))
    candidates.append(with_birth.filter(pl.col("sex_eff").is_null()).select("row_no", "birth_eff")
                      .join(reg_birth.drop("sex_eff"), on="birth_eff", how="inner").select("row_no", "person_id", pl.lit(0, pl.Int8).alias("id_feat")))
    named = _name_block(rest.filter(pl.col("birth_eff").is_null() & (pl.col("name") != "")), registry)
    candidates.append(named.select("row_no", "person_id", pl.lit(0, pl.Int8).alias("id_feat")))
    pairs = pl.concat(candidates).group_by("row_no", "person_id").agg(pl.col("id_feat").max())
    pairs = pairs.join(named.select("row_no", "person_id", "named"), on=["row_no", "person_id"], how="left").with_columns(
        pl.col("named").fill_null(False))
    seconds["blocking"] = time.perf_counter() - t1

    # 3. features and score
    t2 = time.perf_counter()
    pairs = pairs.join(rest.select("row_no", "name", "birth_date", "sex", "birth_eff", "sex_eff", "area6", "area6_alt", "lost_prefix",
                                   "region_code", "fingerprint"), on="row_no").join(
        registry.select("person_id", pl.col("name").alias("r_name"), pl.col("birth_date").alias("r_birth"),
                        pl.col("sex").alias("r_sex"), "r_area6", pl.col("id_number").alias("r_id"),
                        pl.col("region_code").alias("r_region")), on="person_id")
    chars = _sim(pairs["name"].to_list(), pairs["r_name"].to_list())
    keys_l, keys_r = _pinyin_columns(pairs["name"], pairs["r_name"])
    py = _sim(keys_l, keys_r)
    pairs = pairs.with_columns(pl.Series("name_chars", chars, dtype=pl.Float64), pl.Series("name_pinyin", py, dtype=pl.Float64))
    pairs = pairs.with_columns(pl.max_horizontal(pl.col("name_chars"), pl.col("name_pinyin") * HOMOPHONE_FACTOR).alias("name_sim"))
    pairs = pairs.filter(pl.col("name_sim") >= MIN_NAME)
    pairs = pairs.with_columns(
        # a number one digit away agrees on birth date and sex in every other digit: the list's own
        # columns, when it has them, are the independent evidence
        pl.when(pl.col("birth_date").is_not_null()).then(pl.col("birth_date") == pl.col("r_birth"))
        .when(pl.col("id_feat") == 1).then(True)
        .otherwise(pl.col("birth_eff") == pl.col("r_birth")).fill_null(False).alias("birth_ok"),
        pl.when(pl.col("sex").is_not_null()).then((pl.col("sex") == pl.col("r_sex")).cast(pl.Float64))
        .when(pl.col("id_feat") == 1).then(1.0)
        .when(pl.col("sex_eff").is_null()).then(0.5)
        .when(pl.col("sex_eff") == pl.col("r_sex")).then(1.0).otherwise(0.0).alias("sex_feat"),
        ((pl.col("area6") == pl.col("r_area6")) | (pl.col("area6_alt") == pl.col("r_area6"))).fill_null(False).alias("area_ok"),
        pl.col("r_id").str.starts_with(pl.col("lost_prefix")).fill_null(False).alias("prefix_ok"),
    )
    # a candidate whose number contradicts the digits Excel left is no rival for the one it matches
    strong = ((pl.col("id_feat") == 0) & pl.col("birth_ok") & (pl.col("name_sim") >= UNIQUE_NAME)
              & (pl.col("lost_prefix").is_null() | pl.col("prefix_ok")))
    pairs = pairs.with_columns(strong.alias("_strong")).with_columns(
        (pl.col("_strong") & (pl.col("_strong").cast(pl.Int32).sum().over("row_no") == 1)).alias("unique"))
    pairs = pairs.with_columns(pl.min_horizontal(pl.lit(1.0), (
        W_ID * pl.col("id_feat") + W_NAME * pl.col("name_sim") + W_BIRTH * pl.col("birth_ok").cast(pl.Float64)
        + W_SEX * pl.col("sex_feat") + W_AREA * pl.col("area_ok").cast(pl.Float64) + W_PREFIX * pl.col("prefix_ok").cast(pl.Float64)
        + pl.when(pl.col("unique")).then(UNIQUE_BONUS).otherwise(0.0))).alias("score"))
    pairs = pairs.with_columns(pl.lit(None, pl.String).alias("remembered"))
    if rejected is not None and rejected.height:
        pairs = pairs.join(rejected.select("fingerprint", "person_id"), on=["fingerprint", "person_id"], how="anti")
        exact_out = exact_out.join(rejected.select("fingerprint", "person_id"), on=["fingerprint", "person_id"], how="anti")
    if accepted is not None and accepted.height:
        hit = accepted.select("fingerprint", "person_id", pl.lit("yes").alias("_acc"))
        pairs = pairs.join(hit, on=["fingerprint", "person_id"], how="left").with_columns(
            pl.when(pl.col("_acc").is_not_null()).then(1.0).otherwise(pl.col("score")).alias("score"),
            pl.col("_acc").alias("remembered")).drop("_acc")
        exact_out = exact_out.join(hit, on=["fingerprint", "person_id"], how="left").with_columns(
            pl.when(pl.col("_acc").is_not_null()).then(1.0).otherwise(pl.col("score")).alias("score"),
            pl.when(pl.col("_acc").is_not_null()).then(pl.lit(LinkStatus.ACCEPTED.value)).otherwise(pl.col("link_status")).alias("link_status"),
            pl.when(pl.col("_acc").is_not_null()).then(pl.lit(LinkMethod.REMEMBERED.value)).otherwise(pl.col("method")).alias("method"),
        ).drop("_acc")

    # 4. the best candidate of each row
    # equal scores (namesakes) rank the one living where the list says first
    pairs = pairs.with_columns((pl.col("region_code") == pl.col("r_region")).fill_null(False).alias("same_place"))
    ranked = pairs.sort(["row_no", "score", "same_place", "person_id"], descending=[False, True, True, False]).with_columns(
        pl.col("person_id").shift(-1).over("row_no").alias("runner_up"),
        pl.col("score").shift(-1).over("row_no").alias("runner_up_score"),
    ).unique("row_no", keep="first", maintain_order=True)
    clear = pl.col("runner_up_score").is_null() | (pl.col("score") - pl.col("runner_up_score") >= MARGIN)
    # a surname alone carries no auto-link: given names with no character in common that sound
    # different (names.given_names_differ), judged for the pairs that would be accepted, once per
    # distinct pair of names
    distinct = ranked.filter((pl.col("score") >= ACCEPT) & clear & pl.col("remembered").is_null()).select("name", "r_name").unique()
    differ = distinct.with_columns(pl.Series("given_differ", [given_names_differ(a, b) for a, b in distinct.iter_rows()], dtype=pl.Boolean))
    ranked = ranked.join(differ, on=["name", "r_name"], how="left")
    status = (pl.when(pl.col("remembered").is_not_null()).then(pl.lit(LinkStatus.ACCEPTED.value))
              .when((pl.col("score") >= ACCEPT) & clear & ~pl.col("given_differ").fill_null(False)).then(pl.lit(LinkStatus.ACCEPTED.value))
              .when((pl.col("score") >= REVIEW) | pl.col("named")).then(pl.lit(LinkStatus.REVIEW.value))
              .otherwise(pl.lit(LinkStatus.NONE.value)))
    method = (pl.when(pl.col("remembered").is_not_null()).then(pl.lit(LinkMethod.REMEMBERED.value))
              .when(pl.col("id_feat") == 1).then(pl.lit(LinkMethod.ID_ONE_EDIT.value))
              .when(pl.col("birth_ok")).then(pl.lit(LinkMethod.NAME_BIRTH.value))
              .otherwise(pl.lit(LinkMethod.NAME_AREA.value)))
    fuzzy = ranked.with_columns(status.alias("link_status"), method.alias("method"))
    evidence = pl.struct(
        pl.when(pl.col("id_feat") == 1).then(pl.lit("one_edit")).when(pl.col("prefix_ok")).then(pl.lit("partial"))
        .otherwise(pl.lit("none")).alias("id"),
        pl.col("name_sim").round(3).alias("name"), pl.col("name_chars").round(3).alias("name_chars"),
        pl.col("name_pinyin").round(3).alias("name_pinyin"), pl.col("birth_ok").alias("birth"),
        pl.col("sex_feat").alias("sex"), pl.col("area_ok").alias("area"), pl.col("unique"),
        pl.col("given_differ"), pl.col("named").alias("same_name_in_area"),
        pl.col("runner_up"), pl.col("runner_up_score").round(3),
    ).struct.json_encode()
    fuzzy = fuzzy.select(
        "row_no", pl.when(pl.col("link_status") == LinkStatus.NONE.value).then(None).otherwise(pl.col("person_id")).alias("person_id"),
        pl.col("score").round(4), "method", "link_status", evidence.alias("evidence"), "fingerprint", pl.lit(None, pl.Boolean).alias("identifiable"))
    seconds["fuzzy"] = time.perf_counter() - t2

    exact_out = exact_out.with_columns(pl.lit(None, pl.Boolean).alias("identifiable"))
    found = pl.concat([exact_out.cast(OUT_SCHEMA), fuzzy.cast(OUT_SCHEMA)])
    unlinked = _with_fingerprint(rows.join(found.select("row_no"), on="row_no", how="anti")).select(
        "row_no", pl.lit(None, pl.Int64).alias("person_id"), pl.lit(None, pl.Float64).alias("score"),
        pl.lit(None, pl.String).alias("method"), pl.lit(LinkStatus.NONE.value).alias("link_status"),
        pl.lit(None, pl.String).alias("evidence"), "fingerprint", pl.lit(None, pl.Boolean).alias("identifiable"))
    # identifiable: some number, partial number or birth date to go by, or a candidate found
    clues = rows.select("row_no", (pl.col("_id_evidence") | pl.col("birth_eff").is_not_null()).alias("_clue"))
    links = pl.concat([found, unlinked.cast(OUT_SCHEMA)]).join(clues, on="row_no", how="left").with_columns(
        (pl.col("_clue").fill_null(False) | (pl.col("link_status") != LinkStatus.NONE.value)).alias("identifiable")).drop("_clue").sort("row_no")
    counts = dict(links.group_by("link_status").len().iter_rows())
    counts |= {f"method_{m}": n for m, n in links.filter(pl.col("method").is_not_null()).group_by("method").len().iter_rows()}
    counts["candidate_pairs"] = pairs.height
    return LinkResult(links=links, counts=counts, seconds=seconds)


def evidence_of(text: str | None) -> dict:
    return json.loads(text) if text else {}
