"""Follow-up flags (R4) and the review class and next review date (R16, 办法 §31, 篇三（四）)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import polars as pl

from .. import vocab
from bangfu.common.texts import gettext_noop
from .expr import code_list, months_later
from .ptable import Params


@dataclass(frozen=True)
class Flag:
    code: str
    text: str  # what to do, for the worklist
    condition: Callable[[Params, dt.date], pl.Expr]
    source: str


def _school(P: Params, on: dt.date) -> pl.Expr:
    school_age = (pl.col("age") >= P["compulsory_school_age_min"]) & (pl.col("age") <= P["compulsory_school_age_max"])
    return school_age & (~pl.col("enrolled") | pl.col("dropped_out"))


def _no_certificate(P: Params, on: dt.date) -> pl.Expr:
    indicated = (pl.col("disability_suspected") | pl.col("has_mental_disorder")
                 | pl.col("disability_type").is_not_null() | pl.col("disability_grade").is_not_null())
    return indicated & ~pl.col("certified")


def cert_due_date(P: Params) -> pl.Expr:
    last = pl.coalesce(pl.col("disability_last_check"), pl.col("disability_issue_date"))
    return months_later(last, P["disability_cert_check_interval_months"])


def _check_overdue(P: Params, on: dt.date) -> pl.Expr:
    """Past the annual check: the due date (last check, or issue date, + interval) is before
    the assessment date; a certificate with neither date is flagged too."""
    due = cert_due_date(P)
    return pl.col("certified") & (due.is_null() | (due < on))


def _unsafe_housing(P: Params, on: dt.date) -> pl.Expr:
    lonely = pl.col("gugua") | pl.col("living_situation").is_in(["alone", "left_behind"])
    unsafe = pl.any_horizontal([P[f"unsafe_housing_values__{v}"] & (pl.col("housing_safety") == v) for v in vocab.HOUSING_SAFETY])
    return (pl.col("age") >= P["lonely_elderly_age"]) & lonely & unsafe


def _supporter_unknown(P: Params, on: dt.date) -> pl.Expr:
    return pl.col("supporter_unknown")


def _gugua_unknown(P: Params, on: dt.date) -> pl.Expr:
    """An elderly person living alone without stable income whose 孤寡 status is not known: the
    "老" rule for 孤寡 cannot be decided (groups.py)."""
    return ((pl.col("age") >= P["elderly_age_line"]) & (pl.col("living_situation") == "alone")
            & pl.col("gugua").is_null() & (pl.col("own_income_fen") < pl.col("standard_fen")))


FLAGS: tuple[Flag, ...] = (
    Flag("school_not_enrolled", gettext_noop("适龄儿童未入学或已辍学，与教育部门及时协调解决，确保接受九年义务教育"), _school,
         gettext_noop("困难群众帮扶工作方案 篇五 三、2")),
    Flag("disability_no_certificate", gettext_noop("事实残疾或精神障碍患者未办残疾证，单列整理，上报残联统一核对处理"), _no_certificate,
         gettext_noop("困难群众帮扶工作方案 篇五 三、2")),
    Flag("certificate_check_overdue", gettext_noop("残疾证超过年检周期未年审，督促其及时换新证"), _check_overdue,
         gettext_noop("困难群众帮扶工作方案 篇五 三、2")),
    Flag("elderly_unsafe_housing", gettext_noop("孤寡、留守老人住房有安全隐患，及时反馈村委，协调有关部门解决"), _unsafe_housing,
         gettext_noop("困难群众帮扶工作方案 篇五 三、2")),
    Flag("supporter_unknown", gettext_noop("户外法定赡养、抚养、扶养义务人情况未核实：请核实其子女、配偶等义务人及其履行能力后再认定特困"),
         _supporter_unknown, gettext_noop("《特困人员认定办法》（民发〔2021〕43号）第十条")),
    Flag("gugua_unknown", gettext_noop("独居老人是否孤寡未核实：请核实其有无配偶、子女及其他法定义务人，再确定是否纳入特困人员集中供养"),
         _gugua_unknown, gettext_noop("困难群众帮扶工作方案篇一、篇五 一、3（1）")),
)
FLAG_BY_CODE = {f.code: f for f in FLAGS}


def flags(p: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    """R4 follow-up flags, one `flag_<code>` column each, and the list `flags`."""
    p = p.with_columns([f.condition(P, on).fill_null(False).alias(f"flag_{f.code}") for f in FLAGS])
    return p.with_columns(flags=code_list([(f.code, pl.col(f"flag_{f.code}")) for f in FLAGS]))


def review_worker() -> pl.Expr:
    """A member who makes the household's situation unstable for review (办法 §31 "家庭成员有
    劳动能力"): of working age (`working_age_min` ≤ age < `working_age_max`), with full or
    partial labor capacity, and not an A-class person. The class is the supplement's own
    (`member_class`, person.supplement_class: seed 篇三（二）"a类人员"): a member who is A class
    (by default a certified grade 1–2 disability, age 80 or more, a major illness) keeps the
    household stable whatever their recorded labor capacity, so the supplement and the review
    read one classification and cannot disagree."""
    able = pl.col("working_age") & pl.col("labor_capacity").is_in(["full", "partial"])
    return able & (pl.col("member_class").fill_null("") != "A")


def review(h: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    """R16 / 办法 §31, seed 篇三（四）: review class and next review date for dibao households.

    B class ("收入来源不固定、家庭成员有劳动能力"): a review worker (`review_worker`: working
    age, labor capacity, not an A-class person) and income that is not all of the stable kinds
    (`review_stable_income_kinds`) — or no income at all. Otherwise A class ("生活状况相对稳定"):
    every member is an A-class person or without labor capacity, or all income is of stable
    kinds. `review_workers` is aggregated per household from the persons (run._finish_households).
    Next review = last review (or the assessment date when none is recorded) + 12 months (A) or
    6 months (B).
    """
    irregular = (pl.col("income_unstable_fen") > 0) | (pl.col("income_gross_fen") == 0)
    b_class = pl.col("review_workers") & irregular
    applies = pl.col("dibao_eligible") | pl.col("current_dibao")
    interval = pl.when(b_class).then(P["review_interval_b_months"]).otherwise(P["review_interval_a_months"])
    start = pl.coalesce(pl.col("last_review_date"), pl.lit(on))
    h = h.with_columns(
        review_class=pl.when(applies).then(pl.when(b_class).then(pl.lit("B")).otherwise(pl.lit("A"))),
        review_interval_months=pl.when(applies).then(interval),
    )
    return h.with_columns(
        next_review_date=pl.when(applies).then(months_later(start, pl.col("review_interval_months"))),
    ).with_columns(review_overdue=(pl.col("next_review_date") < on).fill_null(False))
