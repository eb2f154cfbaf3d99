"""The engine's determination attached to a case (issue 4: "the engine's determination attached
with its reasons"; 暂行办法 §47–48: temporary assistance amounts from the engine's grades).

The same loader and engine as the household page (policy.determination): the household's registry
data, judged on the given day with the parameters in force. An emergency-type temporary assistance
case adds the event recorded on the case (type, date, loss) to the household row, since the
registry does not keep events.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from bangfu.policy.current import current_parameter_set
from bangfu.policy.engine import SchemaError, assess, result_documents
from bangfu.policy.loader import load_household
from bangfu.policy.parameters import ParameterError

logger = logging.getLogger(__name__)

# Kept from the engine's household document (the rest is recomputed on the household page).
KEEP = ("members", "standard_fen", "per_capita_income_fen", "income_counted_fen", "assets_ok", "dibao_eligible",
        "dibao_basis", "dibao_amount_fen", "dibao_total_fen", "individual_dibao_fen", "near_dibao", "low_income",
        "expenditure_poverty", "review_class", "ta_type", "ta_need_fen", "ta_grade", "ta_grade_label",
        "ta_amount_fen", "ta_township_may_approve", "reasons")
KEEP_PERSON = ("id", "individual_eligible", "individual_basis", "individual_amount_fen", "tekun_eligible",
               "care_level", "reasons")


class AssessmentError(Exception):
    pass


def assess_case(case, on: dt.date) -> dict[str, Any]:
    """The determination of the case's household on `on`, as a JSON-ready dict with reasons."""
    if case.household_id is None:
        raise AssessmentError(_("案件尚未关联家庭，无法测评"))
    try:
        frames = load_household(case.household_id)
        if frames.households.height == 0:
            raise AssessmentError(_("该户不是在册家庭，无法测评"))
        if case.emergency_event and case.emergency_date:
            frames = replace(frames, households=frames.households.with_columns(
                emergency_event=pl.lit(case.emergency_event), emergency_date=pl.lit(case.emergency_date),
                emergency_loss_fen=pl.lit(int(case.emergency_loss_fen or 0), pl.Int64),
            ))
        docs = result_documents(assess(frames, on, current_parameter_set()))
    except AssessmentError:
        raise
    except (SchemaError, ParameterError) as exc:
        raise AssessmentError(_("无法测评：%(reason)s") % {"reason": exc}) from None
    except Exception:
        logger.exception("case assessment failed for household %s", case.household_id)
        raise AssessmentError(_("测评时出错，请检查该户登记的数据。")) from None
    if not docs:
        raise AssessmentError(_("该户没有可测评的数据。"))
    doc = docs[0]
    out = {k: doc.get(k) for k in KEEP}
    out["on"] = on.isoformat()
    out["members"] = len(doc.get("members") or [])
    out["persons"] = [{k: m.get(k) for k in KEEP_PERSON} for m in (doc.get("members") or []) if isinstance(m, dict)]
    return out


def proposed_amount(case_type: str, doc: dict[str, Any], person_id: int | None) -> int | None:
    """The amount the engine proposes for this kind of case (fen), or None."""
    from .choices import CaseType as T

    if case_type in (T.DIBAO, T.REVIEW, T.BENEFIT_CHANGE):
        return doc.get("dibao_amount_fen") if doc.get("dibao_eligible") else 0
    if case_type == T.DIBAO_INDIVIDUAL:
        for p in doc.get("persons", []):
            if p.get("id") == person_id:
                return p.get("individual_amount_fen") if p.get("individual_eligible") else 0
        return None
    if case_type in (T.TEMPORARY_EMERGENCY, T.TEMPORARY_EXPENDITURE):
        return doc.get("ta_amount_fen")
    return None
