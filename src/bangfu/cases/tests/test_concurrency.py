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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_document_numbers_at_once_are_distinct_and_consecutive(regions):
    """Six decisions of one office at the same moment, the first of the year among them (so the
    counter row does not exist yet): each transaction holds its number a while before it commits;
    the numbers are 1–6, none twice (notices.document_number_allocate)."""
    import time

    from django.db import transaction

    from bangfu.cases.models import DocumentCounter
    from bangfu.cases.notices import document_number_allocate

    barrier = threading.Barrier(6)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def allocate():
        try:
            barrier.wait()
            with transaction.atomic():
                n = document_number_allocate("340102000000", 2026)
                time.sleep(0.1)  # hold the lock: the others wait for it
            numbers.append(n)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    assert DocumentCounter.objects.get(office_code="340102000000", year=2026).last == 6
