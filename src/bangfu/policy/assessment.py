"""One registered household judged by the engine: load → assess → documents, in one place.

The household page (policy.determination and its panel), a case's determination (cases.assessment)
and matching's first judgement of a finding all call `household_assess`; outreach's follow-up
flags read the engine's tables for a region or some households through `households_assess`. The
overnight reassessment judges whole counties through the same loader and engine, so a household
alone and the same household in a batch cannot disagree (policy/tests/test_properties.py).

It raises only the errors named below, each a DomainError with a code (policy/error_codes.py) and
a message a user can read; callers catch `AssessmentError` (or one of its kinds) and show the
message. Anything else is a bug and is not hidden: it reaches the log and the error page.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from bangfu.common.errors import DomainError
from bangfu.registry import choices as c

from .current import current_parameter_set
from .engine import Assessment, SchemaError, assess, result_documents
from .error_codes import PolicyErrorCode
from .loader import load_frames, load_household
from .parameters import ParameterError


class AssessmentError(DomainError):
    """The household cannot be judged; `message` says why, in words for the user."""

    default_code = PolicyErrorCode.INVALID


class HouseholdMissing(AssessmentError):
    """No household to judge (e.g. a case not yet linked to one)."""

    default_code = PolicyErrorCode.HOUSEHOLD_MISSING


class HouseholdNotActive(AssessmentError):
    """The household is not on the register (cancelled, merged, …): it is not judged."""

    default_code = PolicyErrorCode.HOUSEHOLD_NOT_ACTIVE


class HouseholdIncomplete(AssessmentError):
    """The registered data cannot be judged: a value the engine needs is missing or wrong."""

    default_code = PolicyErrorCode.HOUSEHOLD_INCOMPLETE


class ParametersNotSet(AssessmentError):
    """No parameter value in force for the household's region on the day (or a stored one the
    engine cannot use)."""

    default_code = PolicyErrorCode.PARAMETERS_NOT_SET


@dataclass
class HouseholdAssessment:
    """The engine's determination of one household on one day, as JSON-ready dicts."""

    on: dt.date
    household: dict[str, Any]  # the result_documents row without "members"
    members: list[dict[str, Any]] = field(default_factory=list)  # one per member, "id" = Person pk


@contextmanager
def _named_errors():
    """The engine's own refusals, as the errors this module names."""
    try:
        yield
    except SchemaError as exc:
        raise HouseholdIncomplete(_("无法测评：%(reason)s") % {"reason": exc}, params={"reason": str(exc)}) from exc
    except ParameterError as exc:
        raise ParametersNotSet(_("无法测评：%(reason)s") % {"reason": exc}, params={"reason": str(exc)}) from exc


def households_assess(*, bounds: tuple[str, str] | None = None, household_ids: list[int] | None = None,
                      on: dt.date, explain: bool = True) -> Assessment | None:
    """The engine's Assessment (tables) of the registered households in a code range or with the
    given ids, on `on`; None when there is none. For callers that read the engine's tables rather
    than one household's documents (outreach's follow-up flags). Raises HouseholdIncomplete or
    ParametersNotSet, like `household_assess`."""
    with _named_errors():
        frames = load_frames(bounds=bounds, household_ids=household_ids)
        if frames.households.height == 0:
            return None
        return assess(frames, on, current_parameter_set(), explain=explain)


# The columns of an emergency event a case records (the registry keeps no events).
EVENT_COLUMNS = {"emergency_event": pl.String, "emergency_date": pl.Date, "emergency_loss_fen": pl.Int64}


def household_assess(*, household=None, household_id: int | None = None, on: dt.date,
                     event: dict[str, Any] | None = None, tekun_modes: dict[int, str] | None = None) -> HouseholdAssessment:
    """Judge one registered household on `on` with the parameters then in force (issue 3 "Output";
    R11–R16; 暂行办法 §47–48 for an `event`).

    Give `household` (a registry Household the caller may see) or its `household_id`. `event`:
    an emergency recorded on a temporary-assistance case — `emergency_event`, `emergency_date`,
    `emergency_loss_fen` — added to the household row before judging. `tekun_modes`: the support
    mode (dispersed / institutional) of members by Person pk, as a tekun case or benefit gives it
    (the registry does not keep it; issue 14), for the engine's `tekun_support_mode`.

    Raises HouseholdMissing, HouseholdNotActive, HouseholdIncomplete or ParametersNotSet (all
    AssessmentError); reads only.
    """
    if household is not None:
        household_id = household.pk
        if household.status != c.HouseholdStatus.ACTIVE:
            raise HouseholdNotActive(_("该户不是在册家庭（%(status)s），不作政策测评。") % {"status": household.get_status_display()})
    if household_id is None:
        raise HouseholdMissing(_("案件尚未关联家庭，无法测评"))
    with _named_errors():
        frames = load_household(household_id)
        if frames.households.height == 0:  # the loader reads households on the register only
            raise HouseholdNotActive(_("该户不是在册家庭，无法测评"))
        if event:
            frames = replace(frames, households=frames.households.with_columns(
                *(pl.lit(event.get(name), dtype).alias(name) for name, dtype in EVENT_COLUMNS.items())))
        if tekun_modes:
            frames = replace(frames, persons=frames.persons.with_columns(pl.col("person_id").replace_strict(
                {int(k): v for k, v in tekun_modes.items()}, default=None, return_dtype=pl.String).alias("tekun_support_mode")))
        docs = result_documents(assess(frames, on, current_parameter_set()))
    if not docs:
        raise HouseholdIncomplete(_("该户没有可测评的数据。"))
    doc = docs[0]
    members = doc.pop("members") or []
    return HouseholdAssessment(on=on, household=doc, members=[m for m in members if isinstance(m, dict)])
