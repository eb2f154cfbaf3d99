"""Village goals (R7: collective income and per-capita income both grow), compared with last year."""

from __future__ import annotations

from .models import VillageGoal


def goal_rows(viewer, year: int) -> list[dict]:
    this = {g.region_code: g for g in VillageGoal.objects.filter(year=year).select_related("village").visible_to(viewer)}
    last = {g.region_code: g for g in VillageGoal.objects.filter(year=year - 1).visible_to(viewer)}
    rows = []
    for code, goal in sorted(this.items()):
        before = last.get(code)
        row = {"goal": goal, "last": before, "collective_change_fen": None, "per_capita_change_fen": None, "both_grew": None}
        if before is not None:
            row["collective_change_fen"] = goal.collective_income_fen - before.collective_income_fen
            row["per_capita_change_fen"] = goal.per_capita_income_fen - before.per_capita_income_fen
            row["both_grew"] = row["collective_change_fen"] > 0 and row["per_capita_change_fen"] > 0
        rows.append(row)
    return rows
