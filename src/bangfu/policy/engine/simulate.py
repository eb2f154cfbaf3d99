"""What-if comparison (issue 3 `bangfu simulate`, R13, R17, R20): the same households judged with
today's parameters and with a reform (`ParameterSet.with_overrides`), compared per household and
summed per township. Pure: the DB side loads the frames once and calls `simulate`."""

from __future__ import annotations

import datetime as dt

import polars as pl

from bangfu.regions.codes import TOWNSHIP, prefix_col

from ..parameters import ParameterSet
from .run import Assessment, assess
from .schema import Frames

CHANGES = ("gains", "loses", "up", "down", "same")


def compare(before: Assessment, after: Assessment) -> pl.DataFrame:
    """One row per household: eligibility and total monthly dibao (household + single-person)
    before and after, the change, and the township (first 9 digits of the region code)."""
    cols = ["household_id", "region_code", "dibao_eligible", "dibao_total_fen"]
    b = before.households.select(cols)
    a = after.households.select("household_id", pl.col("dibao_eligible").alias("eligible_after"),
                                pl.col("dibao_total_fen").alias("amount_after_fen"))
    out = b.rename({"dibao_eligible": "eligible_before", "dibao_total_fen": "amount_before_fen"}).join(
        a, on="household_id", how="left", maintain_order="left")
    has_b, has_a = pl.col("amount_before_fen") > 0, pl.col("amount_after_fen") > 0
    return out.with_columns(
        township=prefix_col(pl.col("region_code"), TOWNSHIP),
        delta_fen=pl.col("amount_after_fen") - pl.col("amount_before_fen"),
        change=pl.when(~has_b & has_a).then(pl.lit("gains")).when(has_b & ~has_a).then(pl.lit("loses"))
        .when(pl.col("amount_after_fen") > pl.col("amount_before_fen")).then(pl.lit("up"))
        .when(pl.col("amount_after_fen") < pl.col("amount_before_fen")).then(pl.lit("down"))
        .when(has_b).then(pl.lit("same")),
    )


def summary(diff: pl.DataFrame, by: str = "township") -> pl.DataFrame:
    """Per township (or any column of `compare`): households gaining and losing, monthly and
    annual cost before, after and the change (fen; annual = 12 × monthly)."""
    return (
        diff.group_by(by).agg(
            households=pl.len(),
            gains=(pl.col("change") == "gains").sum(),
            loses=(pl.col("change") == "loses").sum(),
            up=(pl.col("change") == "up").sum(),
            down=(pl.col("change") == "down").sum(),
            monthly_before_fen=pl.col("amount_before_fen").sum(),
            monthly_after_fen=pl.col("amount_after_fen").sum(),
        ).with_columns(
            monthly_change_fen=pl.col("monthly_after_fen") - pl.col("monthly_before_fen"),
        ).with_columns(annual_change_fen=pl.col("monthly_change_fen") * 12).sort(by)
    )


def simulate(frames: Frames, on: dt.date, params: ParameterSet, changes: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Judge `frames` with `params` and with `params.with_overrides(changes)`; return
    (per-household comparison, per-township summary)."""
    before = assess(frames, on, params, explain=False)
    after = assess(frames, on, params.with_overrides(changes), explain=False)
    diff = compare(before, after)
    return diff, summary(diff)
