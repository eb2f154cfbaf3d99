"""The engine's determination attached to a case (issue 4: "the engine's determination attached
with its reasons"; 暂行办法 §47–48: temporary assistance amounts from the engine's grades).

The same service as the household page (policy.assessment.household_assess): the household's
registry data, judged on the given day with the parameters in force. An emergency-type temporary assistance
case adds the event recorded on the case (type, date, loss) to the household row, since the
registry does not keep events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bangfu.policy.assessment import household_assess

# Kept from the engine's household document (the rest is recomputed on the household page).
KEEP = ("members", "standard_fen", "per_capita_income_fen", "income_counted_fen", "assets_ok", "dibao_eligible",
        "dibao_basis", "dibao_amount_fen", "dibao_total_fen", "individual_dibao_fen", "near_dibao", "low_income",
        "expenditure_poverty", "review_class", "ta_type", "ta_need_fen", "ta_grade", "ta_grade_label",
        "ta_amount_fen", "ta_township_may_approve", "reasons")
KEEP_PERSON = ("id", "individual_eligible", "individual_basis", "individual_amount_fen", "tekun_eligible",
               "care_level", "reasons")


def assess_case(case, on: dt.date) -> dict[str, Any]:
    """The determination of the case's household on `on`, as a JSON-ready dict with reasons.

    Raises policy's AssessmentError (kinds: no household linked yet, not on the register, data
    incomplete, parameters not set) with a message for the user."""
    event = None
    if case.emergency_event and case.emergency_date:
        event = {"emergency_event": case.emergency_event, "emergency_date": case.emergency_date,
                 "emergency_loss_fen": int(case.emergency_loss_fen or 0)}
    judged = household_assess(household_id=case.household_id, on=on, event=event)
    doc = {**judged.household, "members": judged.members}
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
