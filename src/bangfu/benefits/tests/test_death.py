"""Death of a benefit's holder (issue 14): a personal benefit (tekun, individual dibao) stops from
the month after death on its own; what the ledger paid after the month of death up to the month
the death is recorded becomes an overpayment to recover; a household benefit is reviewed within 3
months (issue 4) unless nobody of the household is left, when it stops too.

Rule: paid through the month of death, nothing from the next month (the same principle as
《最低生活保障审核确认办法》第二十一条: a change takes effect from the next month; issue 5 错保)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits import services
from bangfu.benefits.models import Benefit, BenefitAmount, Overpayment

D = dt.date
pytestmark = pytest.mark.django_db


def _personal(county, household, programme, amount, approved_on):
    person = household.members.order_by("pk")[0]
    return services.benefit_grant(acting_user=county, household=household, programme=programme, monthly_amount_fen=amount,
                                  approved_on=approved_on, case_id=None, person=person), person


def test_tekun_holder_dies_stop_from_next_month_and_two_months_to_recover(county, household_a):
    """Tekun 1,144 元 a month, approved 2025-01-15 → paid from February. Died 2025-04-03, recorded
    2025-06-12: paid through April; May and June were paid after the death: 2 × 1,144 = 2,288 元."""
    benefit, person = _personal(county, household_a, "tekun", 114400, D(2025, 1, 15))
    stopped = services.benefit_stop_on_death(person=person, died_on=D(2025, 4, 3), acting_user=county, today=D(2025, 6, 12))
    assert [b.pk for b in stopped] == [benefit.pk]
    benefit.refresh_from_db()
    assert benefit.status == "stopped" and benefit.end_month == D(2025, 4, 1)
    stop = BenefitAmount.objects.get(benefit=benefit, kind="stop")
    assert stop.from_month == D(2025, 5, 1) and stop.amount_fen == 0
    owed = Overpayment.objects.get()
    assert owed.months == ["2025-05", "2025-06"] and owed.amount_fen == 228800
    assert owed.person == person and owed.reason == "death" and owed.state == "open" and owed.event_date == D(2025, 4, 3)
    assert owed.region_code == benefit.region_code


def test_overpayment_follows_the_amounts_of_each_month(county, household_a):
    """Individual dibao 500 元 from February 2025, lowered to 400 元 from May (decided 2025-04-20).
    Died 2025-03-31, recorded 2025-06-05: April 500 + May 400 + June 400 = 1,300 元 to recover."""
    benefit, person = _personal(county, household_a, "dibao", 50000, D(2025, 1, 15))
    services.benefit_change(acting_user=county, benefit=benefit, kind="lower", decided_on=D(2025, 4, 20), case_id=None,
                            monthly_amount_fen=40000)
    services.benefit_stop_on_death(person=person, died_on=D(2025, 3, 31), acting_user=county, today=D(2025, 6, 5))
    owed = Overpayment.objects.get()
    assert owed.months == ["2025-04", "2025-05", "2025-06"] and owed.amount_fen == 130000


def test_death_recorded_in_its_month_owes_nothing(county, household_a):
    """Died and recorded in June 2025: June is still due (the month of death), nothing after."""
    benefit, person = _personal(county, household_a, "tekun", 114400, D(2025, 1, 15))
    services.benefit_stop_on_death(person=person, died_on=D(2025, 6, 2), acting_user=county, today=D(2025, 6, 20))
    benefit.refresh_from_db()
    assert benefit.end_month == D(2025, 6, 1) and not Overpayment.objects.exists()


def test_household_benefit_is_reviewed_not_stopped_while_members_live(county, household_a, users, monkeypatch):
    """Household A (two members) on a household dibao; the spouse dies, recorded 2026-04-30 in the
    registry: the household benefit stays, due for review by 2026-07-30 (3 months); the spouse's
    own tekun stops after April; nothing to recover (recorded in the month of death)."""
    from django.utils import timezone

    from bangfu.registry.services import person_update

    household_dibao = services.benefit_grant(acting_user=county, household=household_a, programme="dibao",
                                             monthly_amount_fen=60000, approved_on=D(2026, 1, 15), case_id=None)
    li = household_a.members.get(name="李娜")
    tekun = services.benefit_grant(acting_user=county, household=household_a, programme="tekun", monthly_amount_fen=114400,
                                   approved_on=D(2026, 1, 15), case_id=None, person=li)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 4, 30))
    person_update(acting_user=users["village_a"], person_id=li.pk, data={"status": "deceased"})
    household_dibao.refresh_from_db()
    tekun.refresh_from_db()
    assert household_dibao.status == "active" and household_dibao.next_review_date == D(2026, 7, 30)
    assert tekun.status == "stopped" and tekun.end_month == D(2026, 4, 1)
    assert not Overpayment.objects.exists()


def test_household_benefit_stops_when_no_member_is_left(county, household_b):
    """Household B has one member; she dies 2025-02-10, recorded 2025-03-15: the household dibao
    (450 元 from February) stops after February; March was paid after the death: 450 元."""
    benefit = services.benefit_grant(acting_user=county, household=household_b, programme="dibao", monthly_amount_fen=45000,
                                     approved_on=D(2025, 1, 10), case_id=None)
    person = household_b.members.get()
    person.status = "deceased"
    person.save()
    services.benefit_stop_on_death(person=person, died_on=D(2025, 2, 10), acting_user=county, today=D(2025, 3, 15))
    benefit.refresh_from_db()
    assert benefit.status == "stopped" and benefit.end_month == D(2025, 2, 1)
    assert Overpayment.objects.get().amount_fen == 45000


def test_a_second_death_record_changes_nothing(county, household_a):
    benefit, person = _personal(county, household_a, "tekun", 114400, D(2025, 1, 15))
    services.benefit_stop_on_death(person=person, died_on=D(2025, 4, 3), acting_user=county, today=D(2025, 6, 12))
    assert services.benefit_stop_on_death(person=person, died_on=D(2025, 4, 3), acting_user=county, today=D(2025, 6, 12)) == []
    assert Overpayment.objects.count() == 1 and Benefit.objects.get().status == "stopped"
