"""Two builds, or two approvals, of the same payroll at the same moment (PostgreSQL, two
connections): one payroll, its lines once, one approval."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from .conftest import give_account

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)")]


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test compares)
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_simultaneous_builds_make_one_payroll(county, dibao_a, dibao_b):
    from bangfu.payments import services
    from bangfu.payments.models import Payroll, PayrollLine

    build = lambda: services.payroll_build(acting_user=county, county_code="340102", month=dt.date(2026, 2, 1))  # noqa: E731
    results = _together(build, build)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(built for _payroll, built in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Payroll.objects.count() == 1
    assert sorted(PayrollLine.objects.values_list("benefit_id", flat=True)) == sorted([dibao_a.pk, dibao_b.pk])


def test_two_simultaneous_approvals_approve_once(county, county2, regions, users, dibao_a):
    from bangfu.accounts.choices import Role
    from bangfu.payments import services
    from bangfu.payments.models import PayrollEvent
    from bangfu_testing.factories import make_user

    county3 = make_user("county3", Role.COUNTY_OFFICER, regions["county"])
    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=dt.date(2026, 2, 1))
    services.payroll_check(acting_user=users["township_a"], payroll=payroll)
    results = _together(lambda: services.payroll_approve(acting_user=county2, payroll=payroll),
                        lambda: services.payroll_approve(acting_user=county3, payroll=payroll))
    assert sum(1 for r in results if isinstance(r, services.PaymentError)) == 1, results
    assert PayrollEvent.objects.filter(payroll=payroll, action="approved").count() == 1
