"""Walk cases through the workflow in tests: each step by the right role, with valid data."""

from __future__ import annotations

import datetime as dt

from bangfu.cases import services
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import Case


class Flow:
    def __init__(self, staff):
        self.staff = staff

    def do(self, case: Case, action: str, who: str, today: dt.date, **data) -> Case:
        case.refresh_from_db()
        return services.case_perform(acting_user=self.staff[who], case_id=case.pk, action=action, version=case.version,
                                data=data, today=today)

    def create(self, household, case_type="dibao", today=None, who="village_a", **kw) -> Case:
        return services.case_create(acting_user=self.staff[who], case_type=case_type, household=household,
                                    today=today, **kw)

    def to_investigated(self, case: Case, today: dt.date) -> Case:
        self.do(case, "accept", "township_a", today)
        self.do(case, "start_investigation", "township_a", today)
        return self.do(case, "record_investigation", "township_a", today,
                       investigators=[self.staff["township_a"].pk, self.staff["township_a2"].pk],
                       visit_record="入户核实：家中无劳动收入。", economic_check="核对无存款、车辆、工商登记。")

    def to_awaiting_decision(self, case: Case, today: dt.date) -> Case:
        self.to_investigated(case, today)
        self.do(case, "propose_approval", "township_a", today, comment="符合条件，拟同意")
        if case.case_type == "temporary_expenditure":
            return case
        case.refresh_from_db()
        return self.do(case, "end_notice", "township_a", case.notice_end + dt.timedelta(days=1))


__all__ = ["Flow", "S"]
