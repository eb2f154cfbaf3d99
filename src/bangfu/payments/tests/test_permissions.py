"""The payments app's role × action × region matrix, generated from payments/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside household A's region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.payments import permissions as p
from bangfu.payments import funds, recovery, services
from bangfu_testing import matrix

from .conftest import give_account

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(county, users, dibao_a):
    """February's payroll (A paid into A's own account) checked by township A; March's with A's line
    held (the account was then put in the spouse's name with no agent)."""
    from bangfu.payments.models import PaymentAccount

    account = give_account(county, dibao_a)
    february, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    services.payroll_check(acting_user=users["township_a"], payroll=february)
    PaymentAccount.objects.filter(pk=account.pk).update(holder_name="李娜")
    march, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    from bangfu.payments.models import Receivable

    household = dibao_a.household
    receivable = Receivable.objects.create(region_code=household.region_code, household=household, person=household.head,
                                           programme="dibao", reason="fraud", months=["2026-01"], amount_fen=90000,
                                           recorded_by=county, write_off_reason="无可追回", write_off_requested_by=county)
    return {"february": february, "march": march, "held": march.lines.get(), "benefit": dibao_a, "receivable": receivable}


def _view(user, world):
    """The payroll page: outside the region household A's head (张伟) is not listed (False)."""
    response = matrix.page(lambda w: reverse("payments:payroll", args=[w["february"].pk]))(user, world)
    if response.status_code != 200:
        return response
    return "张伟" in response.content.decode() or False


ENTRIES = {
    p.VIEW_PAYMENTS: _view,
    p.MANAGE_PAYMENT_ACCOUNTS: lambda user, w: give_account(user, w["benefit"], number="6222020200087654329"),
    p.BUILD_PAYROLL: lambda user, w: services.payroll_build(acting_user=user, county_code="340102", month=D(2026, 4, 1)),
    p.CHECK_PAYROLL: lambda user, w: services.payroll_check(acting_user=user, payroll=w["march"]),
    p.RELEASE_PAYROLL_LINE: lambda user, w: services.line_release(acting_user=user, line=w["held"], reason="核实：配偶代领，补登代理人"),
    p.APPROVE_PAYROLL: lambda user, w: services.payroll_approve(acting_user=user, payroll=w["february"]),
    # the funds ledger of household A's county (瑶海区): outside the county NotFound
    p.VIEW_FUNDS: lambda user, w: funds.ledger(user, "340102", 2026),
    p.RECORD_FUNDS: lambda user, w: funds.entry_add(acting_user=user, county_code="340102", programme="dibao", year=2026,
                                                   date=D(2026, 3, 1), kind="received", source="central", amount_fen=100,
                                                   document="拨款通知"),
    # recovery: a receivable of household A (its write-off asked by `county`, not the matrix's users)
    p.VIEW_RECOVERY: lambda user, w: recovery.receivable_for(user, w["receivable"].pk),
    p.MANAGE_RECOVERY: lambda user, w: recovery.repayment_record(acting_user=user, receivable=w["receivable"],
                                                                 date=D(2026, 3, 1), amount_fen=100, receipt_number=f"R{user.pk}"),
    p.APPROVE_WRITE_OFF: lambda user, w: recovery.write_off_approve(acting_user=user, receivable=w["receivable"]),
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("payments", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("payments"))
def test_role_action_region(action, role, regions, world):
    inside, outside = matrix.actors(regions, role)
    matrix.check("payments", action, role, ENTRIES, world, inside, outside)
