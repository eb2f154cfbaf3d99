"""The live determination of one registered household, for its page (issue 3 "Output").

One household is a batch of one: the same loader and engine as the overnight reassessment
(`loader.load_household` → `engine.assess`), with the parameter set in force (`current`), so
the page and the batch cannot disagree. A past date is judged with the values then in force.
Reads only; the caller has already checked that the viewer may see the household.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bangfu.registry import choices as c

from .current import current_parameter_set
from .engine import SchemaError, assess, result_documents
from .loader import load_household
from .parameters import ParameterError

logger = logging.getLogger(__name__)

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
    """Judge `household` (a registry Household the viewer may see) on `on`.

    `names` maps person id → name for the member rows (the page has them already); missing
    names are read in one query. Never raises for bad data: the panel shows `error` instead.
    """
    out = Determination(on=on)
    if household.status != c.HouseholdStatus.ACTIVE:
        out.error = _("该户不是在册家庭（%(status)s），不作政策测评。") % {"status": household.get_status_display()}
        return out
    try:
        frames = load_household(household.pk)
        result = assess(frames, on, current_parameter_set())
        docs = result_documents(result)
    except (SchemaError, ParameterError) as exc:
        out.error = _("无法测评：%(reason)s") % {"reason": exc}
        return out
    except Exception:  # the page must still open; the log has the traceback (no personal data in it)
        logger.exception("policy assessment failed for household %s on %s", household.pk, on)
        out.error = _("测评时出错，请检查该户登记的数据，或联系系统管理员。")
        return out
    if not docs:
        out.error = _("该户没有可测评的数据。")
        return out
    doc = docs[0]
    members = doc.pop("members")
    if names is None or any(m["id"] not in names for m in members):
        from bangfu.registry.models import Person

        names = dict(Person.objects.filter(pk__in=[m["id"] for m in members]).values_list("pk", "name"))
    for member in members:
        member["name"] = names.get(member["id"], "—")
    out.household, out.members = doc, members
    return out
