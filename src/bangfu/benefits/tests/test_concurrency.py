"""Two officers granting the same household's dibao at the same moment (PostgreSQL, two
connections): the household row lock (and the partial unique constraint behind it) lets exactly
one benefit through; the other is told the household already has one."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)")
def test_two_simultaneous_grants_make_one_benefit(users, household_a):
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme
    from bangfu.benefits.models import Benefit

    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(amount: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.benefit_grant(acting_user=users["county"], household=household_a, programme=Programme.DIBAO,
                           monthly_amount_fen=amount, approved_on=dt.date(2026, 1, 15), case_id=None)
            results.append("ok")
        except services.BenefitError as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(amount,)) for amount in (50000, 60000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok"
    assert len(results) == 2 and results.count("ok") == 1
    assert "不能重复批准" in [r for r in results if r != "ok"][0]
    assert Benefit.objects.filter(household=household_a).count() == 1
