"""Two officers approve the same case at the same moment (issue 4 "Reliability"): one succeeds,
the other is told the case changed; exactly one benefit results. PostgreSQL only: SQLite
serialises writers for the whole database, so it cannot show the race."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from bangfu.benefits.models import Benefit
from bangfu.cases import services
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_approvals_at_once_make_one_benefit(flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case.refresh_from_db()
    version = case.version
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def approve(who):
        try:
            barrier.wait()
            services.case_perform(acting_user=staff[who], case_id=case.pk, action="approve", version=version,
                             today=dt.date(2025, 6, 17))
            results[who] = "ok"
        except CaseError as exc:
            results[who] = exc.message
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=approve, args=(w,)) for w in ("county", "county2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["ok", "案件已被他人更新，请刷新后重试"], results
    assert Benefit.objects.filter(household=household_a).count() == 1
