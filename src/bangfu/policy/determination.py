"""The live determination of one registered household, for its page (issue 3 "Output").

One household is a batch of one: `assessment.household_assess`, the same loader and engine as
the overnight reassessment, with the parameter set in force (`current`), so the page and the
batch cannot disagree. A past date is judged with the values then in force.
Reads only; the caller has already checked that the viewer may see the household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .assessment import AssessmentError, household_assess

# Dates the panel accepts: the parameters start in 2021; far dates are typing mistakes.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


@dataclass
class Determination:
    on: dt.date
    household: dict[str, Any] | None = None  # result_documents row, without members
    members: list[dict[str, Any]] = field(default_factory=list)  # each with "name"
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.household is not None and not self.error


def parse_day(raw: str | None, today: dt.date) -> tuple[dt.date, str]:
    """The assessment date from a query string: (date, error). Empty → today."""
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return today, _("测评日期“%(raw)s”应为 YYYY-MM-DD 格式，已按今天测评") % {"raw": raw[:20]}
    if not EARLIEST <= day <= LATEST:
        return today, _("测评日期应在 %(a)s 至 %(b)s 之间，已按今天测评") % {"a": EARLIEST, "b": LATEST}
    return day, ""


def household_determination(household, *, on: dt.date, names: dict[int, str] | None = None) -> Determination:
    """Judge `household` (a registry Household the viewer may see) on `on` (assessment.household_assess).

    `names` maps person id → name for the member rows (the page has them already); missing
    names are read in one query. A household that cannot be judged (assessment.AssessmentError)
    gives `error`, which the panel shows instead.
    """
    out = Determination(on=on)
    try:
        judged = household_assess(household=household, on=on)
    except AssessmentError as exc:
        out.error = exc.message
        return out
    members = judged.members
    if names is None or any(m["id"] not in names for m in members):
        from bangfu.registry.models import Person

        names = dict(Person.objects.filter(pk__in=[m["id"] for m in members]).values_list("pk", "name"))
    for member in members:
        member["name"] = names.get(member["id"], "—")
    out.household, out.members = judged.household, members
    return out
