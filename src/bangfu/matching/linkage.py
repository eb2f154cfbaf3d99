"""Record linkage of an external list against the registry (issue 5 "Linkage"). Pure: Polars
tables in, a Polars table out, no database.

1. Exact pass: rows whose ID number is valid (or a 15-digit number converted to 18) join the
   registry on the normalised string. An exact number is accepted with score 1 when the names
   agree at least in half their characters or in sound; otherwise it goes to review.
2. The remainder (wrong check character, one mistyped or transposed digit, 15-digit numbers not
   found, missing numbers, numbers of people not in the registry) gets candidates from three
   blocks, never from the whole registry:
   a. the valid numbers one substitution or one adjacent transposition away (idcheck);
   b. the same birth date and sex (from the list's columns, else from the digits of its number);
   c. for rows with no birth date at all: the same name in the same county.
3. Each candidate pair is scored (weights below) on the ID number, the name (characters and
   pinyin, so 张伟/章伟 and 单/善 meet), birth date, sex and region; pairs whose names share less
   than MIN_NAME are dropped. A row's best pair is accepted at ACCEPT or above when no other
   candidate comes within MARGIN; from REVIEW up it goes to the review queue.
4. Decisions remembered from earlier reviews (`accepted` / `rejected` pairs of row fingerprint
   and person) override the score: a rejected pair is never proposed again, an accepted one is
   taken with method "remembered".

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

from bangfu.regions.codes import COUNTY, prefix_col

from .choices import IdStatus, LinkMethod, LinkStatus
from .idcheck import one_edit_neighbours
from .names import pinyin_key

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
NAME_BLOCK_CAP = 200  # a name block bigger than this (王伟 in a province) gives no useful candidates

REGISTRY_SCHEMA = {"person_id": pl.Int64, "id_number": pl.String, "name": pl.String, "sex": pl.String,
                   "birth_date": pl.Date, "region_code": pl.String}
ROW_SCHEMA = {"row_no": pl.Int64, "id_clean": pl.String, "id_number": pl.String, "id_status": pl.String,
              "name": pl.String, "sex": pl.String, "birth_date": pl.Date, "region_code": pl.String}
OUT_SCHEMA = {"row_no": pl.Int64, "person_id": pl.Int64, "score": pl.Float64, "method": pl.String,
              "link_status": pl.String, "evidence": pl.String, "fingerprint": pl.String}


@dataclass
class LinkResult:
    links: pl.DataFrame  # OUT_SCHEMA, one row per input row
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def fingerprint(id_clean: str | None, name: str | None, birth: dt.date | None) -> str:
    """What identifies a list row across imports, for remembered review decisions."""
    text = f"{id_clean or ''}|{(name or '').strip()}|{birth.isoformat() if birth else ''}"
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


def _prepare_rows(rows: pl.DataFrame) -> pl.DataFrame:
    c = pl.col("id_clean").fill_null("")
    is18 = c.str.contains(r"^\d{17}[\dX]$")
    is15 = c.str.contains(r"^\d{15}$")
    id_birth = (pl.when(is18).then(c.str.slice(6, 8)).when(is15).then(pl.lit("19") + c.str.slice(6, 6))
                .otherwise(None).str.to_date("%Y%m%d", strict=False))
    sex_digit = pl.when(is18).then(c.str.slice(16, 1)).when(is15).then(c.str.slice(14, 1)).otherwise(None).cast(pl.Int32, strict=False)
    id_sex = pl.when(sex_digit.is_null()).then(None).when(sex_digit % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))
    area = prefix_col(pl.col("region_code").fill_null(""), COUNTY)
    return rows.with_columns(
        pl.coalesce(pl.col("birth_date"), id_birth).alias("birth_eff"),
        pl.coalesce(pl.col("sex"), id_sex).alias("sex_eff"),
        pl.when(area.str.len_chars() == 6).then(area).when(is18 | is15).then(c.str.slice(0, 6)).otherwise(None).alias("area6"),
        pl.col("name").fill_null("").str.replace_all(r"\s", "").alias("name"),
    )


def _with_fingerprint(frame: pl.DataFrame) -> pl.DataFrame:
    if not frame.height:
        return frame.with_columns(pl.lit(None, pl.String).alias("fingerprint"))
    values = [fingerprint(i, n, b) for i, n, b in zip(frame["id_clean"].to_list(), frame["name"].to_list(), frame["birth_eff"].to_list(), strict=True)]
    return frame.with_columns(pl.Series("fingerprint", values, dtype=pl.String))


def link(registry: pl.DataFrame, rows: pl.DataFrame, *, accepted: pl.DataFrame | None = None,
         rejected: pl.DataFrame | None = None) -> LinkResult:
    """Link `rows` (ROW_SCHEMA) to `registry` (REGISTRY_SCHEMA). `accepted` / `rejected`: remembered
    decisions, frames of (fingerprint, person_id)."""
    import time

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    registry = registry.select(list(REGISTRY_SCHEMA)).with_columns(prefix_col(pl.col("region_code"), COUNTY).alias("r_area6"))
    rows = _prepare_rows(rows.select(list(ROW_SCHEMA)))
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
    shaped = rest.filter(pl.col("id_clean").fill_null("").str.contains(r"^\d{17}[\dX]$") | (pl.col("id_status") == IdStatus.CONVERTED_15.value))
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
    no_birth = rest.filter(pl.col("birth_eff").is_null() & (pl.col("name") != ""))
    if no_birth.height:
        reg_names = registry.select("person_id", "name", "r_area6")
        by_area = no_birth.filter(pl.col("area6").is_not_null()).select("row_no", "name", pl.col("area6").alias("r_area6")).join(reg_names, on=["name", "r_area6"], how="inner")
        by_name = no_birth.filter(pl.col("area6").is_null()).select("row_no", "name").join(reg_names.drop("r_area6"), on="name", how="inner")
        named = pl.concat([by_area.select("row_no", "person_id"), by_name.select("row_no", "person_id")])
        named = named.filter(pl.len().over("row_no") <= NAME_BLOCK_CAP)
        candidates.append(named.with_columns(pl.lit(0, pl.Int8).alias("id_feat")))
    pairs = pl.concat(candidates).group_by("row_no", "person_id").agg(pl.col("id_feat").max())
    seconds["blocking"] = time.perf_counter() - t1

    # 3. features and score
    t2 = time.perf_counter()
    pairs = pairs.join(rest.select("row_no", "name", "birth_date", "sex", "birth_eff", "sex_eff", "area6", "fingerprint"), on="row_no").join(
        registry.select("person_id", pl.col("name").alias("r_name"), pl.col("birth_date").alias("r_birth"),
                        pl.col("sex").alias("r_sex"), "r_area6"), on="person_id")
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
        (pl.col("area6") == pl.col("r_area6")).fill_null(False).alias("area_ok"),
    )
    strong = (pl.col("id_feat") == 0) & pl.col("birth_ok") & (pl.col("name_sim") >= UNIQUE_NAME)
    pairs = pairs.with_columns(strong.alias("_strong")).with_columns(
        (pl.col("_strong") & (pl.col("_strong").cast(pl.Int32).sum().over("row_no") == 1)).alias("unique"))
    pairs = pairs.with_columns(pl.min_horizontal(pl.lit(1.0), (
        W_ID * pl.col("id_feat") + W_NAME * pl.col("name_sim") + W_BIRTH * pl.col("birth_ok").cast(pl.Float64)
        + W_SEX * pl.col("sex_feat") + W_AREA * pl.col("area_ok").cast(pl.Float64)
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
    ranked = pairs.sort(["row_no", "score", "person_id"], descending=[False, True, False]).with_columns(
        pl.col("person_id").shift(-1).over("row_no").alias("runner_up"),
        pl.col("score").shift(-1).over("row_no").alias("runner_up_score"),
    ).unique("row_no", keep="first", maintain_order=True)
    clear = pl.col("runner_up_score").is_null() | (pl.col("score") - pl.col("runner_up_score") >= MARGIN)
    status = (pl.when(pl.col("remembered").is_not_null()).then(pl.lit(LinkStatus.ACCEPTED.value))
              .when((pl.col("score") >= ACCEPT) & clear).then(pl.lit(LinkStatus.ACCEPTED.value))
              .when(pl.col("score") >= REVIEW).then(pl.lit(LinkStatus.REVIEW.value))
              .otherwise(pl.lit(LinkStatus.NONE.value)))
    method = (pl.when(pl.col("remembered").is_not_null()).then(pl.lit(LinkMethod.REMEMBERED.value))
              .when(pl.col("id_feat") == 1).then(pl.lit(LinkMethod.ID_ONE_EDIT.value))
              .when(pl.col("birth_ok")).then(pl.lit(LinkMethod.NAME_BIRTH.value))
              .otherwise(pl.lit(LinkMethod.NAME_AREA.value)))
    fuzzy = ranked.with_columns(status.alias("link_status"), method.alias("method"))
    evidence = pl.struct(
        pl.when(pl.col("id_feat") == 1).then(pl.lit("one_edit")).otherwise(pl.lit("none")).alias("id"),
        pl.col("name_sim").round(3).alias("name"), pl.col("name_chars").round(3).alias("name_chars"),
        pl.col("name_pinyin").round(3).alias("name_pinyin"), pl.col("birth_ok").alias("birth"),
        pl.col("sex_feat").alias("sex"), pl.col("area_ok").alias("area"), pl.col("unique"),
        pl.col("runner_up"), pl.col("runner_up_score").round(3),
    ).struct.json_encode()
    fuzzy = fuzzy.select(
        "row_no", pl.when(pl.col("link_status") == LinkStatus.NONE.value).then(None).otherwise(pl.col("person_id")).alias("person_id"),
        pl.col("score").round(4), "method", "link_status", evidence.alias("evidence"), "fingerprint")
    seconds["fuzzy"] = time.perf_counter() - t2

    found = pl.concat([exact_out.cast(OUT_SCHEMA), fuzzy.cast(OUT_SCHEMA)])
    unlinked = _with_fingerprint(rows.join(found.select("row_no"), on="row_no", how="anti")).select(
        "row_no", pl.lit(None, pl.Int64).alias("person_id"), pl.lit(None, pl.Float64).alias("score"),
        pl.lit(None, pl.String).alias("method"), pl.lit(LinkStatus.NONE.value).alias("link_status"),
        pl.lit(None, pl.String).alias("evidence"), "fingerprint")
    links = pl.concat([found, unlinked.cast(OUT_SCHEMA)]).sort("row_no")
    counts = dict(links.group_by("link_status").len().iter_rows())
    counts |= {f"method_{m}": n for m, n in links.filter(pl.col("method").is_not_null()).group_by("method").len().iter_rows()}
    counts["candidate_pairs"] = pairs.height
    return LinkResult(links=links, counts=counts, seconds=seconds)


def evidence_of(text: str | None) -> dict:
    return json.loads(text) if text else {}
