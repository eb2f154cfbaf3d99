"""Rules of enrolment, change, review and one-off payment, checked against cases computed by hand
from the articles cited (办法 = 《最低生活保障审核确认办法》, 民发〔2021〕57号)."""

import datetime as dt

import pytest

from bangfu.accounts.access import NotFound
from bangfu.benefits import selectors, services
from bangfu.benefits.choices import BenefitStatus, ChangeKind, Programme
from bangfu.benefits.models import Benefit
from bangfu.benefits.services import BenefitError
from bangfu.common.months import add_months

D = dt.date


def history(benefit):
    return [(a.kind, a.amount_fen, a.from_month, a.to_month) for a in benefit.amounts.order_by("id")]


# ----------------------------------------------------------------------------- grant


def test_grant_pays_from_the_month_after_approval(dibao_a, county):
    """办法 §21: approved 2026-01-15 → first paid month February 2026; class A → next review
    2027-01-15 (办法 §31, 12 months); the grant is the first history row."""
    assert dibao_a.start_month == D(2026, 2, 1)
    assert dibao_a.end_month is None
    assert dibao_a.status == BenefitStatus.ACTIVE
    assert dibao_a.next_review_date == D(2027, 1, 15)
    assert dibao_a.granted_case_id == 101
    assert history(dibao_a) == [(ChangeKind.GRANT, 60000, D(2026, 2, 1), None)]
    assert dibao_a.amounts.get().decided_by == county


def test_grant_approved_on_the_last_day_of_december_pays_from_january(county, household_a):
    """办法 §21 across a year end: approved 2026-12-31 → paid from 2027-01; class B → review 2027-06-30."""
    b = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=30000,
                       approved_on=D(2026, 12, 31), case_id=None, review_class="B")
    assert b.start_month == D(2027, 1, 1)
    assert b.next_review_date == D(2027, 6, 30)


def test_grant_takes_the_review_class_from_the_engine_else_a(county, household_a, household_b):
    """No class given and no determination → class A, yearly (办法 §31)."""
    b = services.benefit_grant(acting_user=county, household=household_b, programme=Programme.DIBAO, monthly_amount_fen=30000,
                       approved_on=D(2026, 3, 1), case_id=None)
    assert b.review_class == "A"
    assert b.next_review_date == D(2027, 3, 1)


def test_grant_takes_the_engines_class_for_dibao_but_a_for_tekun(county, household_a, regions):
    """The engine judged household A class B (办法 §31: half-yearly): dibao approved 2026-03-01 →
    review 2026-09-01; a tekun person of the same household is reviewed yearly (A) → 2027-03-01."""
    from bangfu.policy.models import AssessmentRun, Determination

    run = AssessmentRun.objects.create(started_by=county, region_code=regions["county"].code, on_date=D(2026, 2, 1))
    Determination.objects.create(run=run, household=household_a, region_code=household_a.region_code, review_class="B")
    dibao = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=30000,
                           approved_on=D(2026, 3, 1), case_id=None)
    tekun = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEKUN, monthly_amount_fen=30000,
                           approved_on=D(2026, 3, 1), case_id=None, person=household_a.members.get(name="李娜"))
    assert (dibao.review_class, dibao.next_review_date) == ("B", D(2026, 9, 1))
    assert (tekun.review_class, tekun.next_review_date) == ("A", D(2027, 3, 1))


def test_second_dibao_for_the_same_household_is_refused(dibao_a, county, household_a):
    with pytest.raises(BenefitError, match="已在享受低保"):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=10000,
                       approved_on=D(2026, 2, 1), case_id=None)
    assert Benefit.objects.filter(household=household_a).count() == 1


def test_individual_benefit_refused_while_the_household_has_one(dibao_a, county, household_a):
    """A household-wide dibao covers every member: no member's own dibao (R12) beside it."""
    member = household_a.members.get(name="李娜")
    with pytest.raises(BenefitError):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=10000,
                       approved_on=D(2026, 2, 1), case_id=None, person=member)


def test_two_members_may_each_have_tekun_but_not_twice(county, household_a):
    zhang, li = household_a.members.order_by("pk")
    services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEKUN, monthly_amount_fen=80000,
                   approved_on=D(2026, 1, 5), case_id=None, person=zhang)
    services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEKUN, monthly_amount_fen=80000,
                   approved_on=D(2026, 1, 5), case_id=None, person=li)
    with pytest.raises(BenefitError, match="张伟"):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEKUN, monthly_amount_fen=80000,
                       approved_on=D(2026, 2, 5), case_id=None, person=zhang)
    assert selectors.active_benefit(household_a, Programme.TEKUN, li).person == li
    assert selectors.active_benefit(household_a, Programme.TEKUN) is None


def test_a_new_grant_is_allowed_after_a_stop(dibao_a, county, household_a):
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 4, 10), case_id=None)
    again = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=50000,
                           approved_on=D(2026, 9, 1), case_id=None)
    assert again.start_month == D(2026, 10, 1)


def test_grant_refuses_bad_input(county, household_a, household_b):
    with pytest.raises(BenefitError, match="大于零"):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=0,
                       approved_on=D(2026, 1, 1), case_id=None)
    with pytest.raises(BenefitError, match="一次性"):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEMPORARY, monthly_amount_fen=100,
                       approved_on=D(2026, 1, 1), case_id=None)
    with pytest.raises(BenefitError, match="本家庭成员"):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.TEKUN, monthly_amount_fen=100,
                       approved_on=D(2026, 1, 1), case_id=None, person=household_b.members.get())
    assert not Benefit.objects.exists()


def test_grant_outside_the_actors_region_answers_not_found(users, household_b):
    with pytest.raises(NotFound):
        services.benefit_grant(acting_user=users["village_a"], household=household_b, programme=Programme.DIBAO,
                       monthly_amount_fen=100, approved_on=D(2026, 1, 1), case_id=None)


# ----------------------------------------------------------------------------- change


def test_raise_applies_from_the_month_after_the_decision(dibao_a, county):
    """Raise decided 2026-05-20: 600.00 paid Feb–May, 750.00 from June (办法 §21 applied to a change)."""
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 5, 20), case_id=7,
                    monthly_amount_fen=75000)
    dibao_a.refresh_from_db()
    assert dibao_a.monthly_amount_fen == 75000
    assert history(dibao_a) == [
        (ChangeKind.GRANT, 60000, D(2026, 2, 1), D(2026, 5, 1)),
        (ChangeKind.RAISE, 75000, D(2026, 6, 1), None),
    ]


def test_lower_then_raise_keeps_the_full_history(dibao_a, county):
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.LOWER, decided_on=D(2026, 3, 3), case_id=None,
                    monthly_amount_fen=40000)
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 8, 31), case_id=None,
                    monthly_amount_fen=50000)
    assert history(dibao_a) == [
        (ChangeKind.GRANT, 60000, D(2026, 2, 1), D(2026, 3, 1)),
        (ChangeKind.LOWER, 40000, D(2026, 4, 1), D(2026, 8, 1)),
        (ChangeKind.RAISE, 50000, D(2026, 9, 1), None),
    ]


@pytest.mark.parametrize(("kind", "amount", "message"), [
    (ChangeKind.RAISE, 60000, "须高于"),
    (ChangeKind.RAISE, None, "请填写"),
    (ChangeKind.LOWER, 70000, "须低于"),
    (ChangeKind.LOWER, 0, "大于零"),
    (ChangeKind.UNCHANGED, 50000, "不能改变"),
    (ChangeKind.GRANT, None, "未知"),
])
def test_change_refuses_an_amount_that_does_not_fit_the_kind(dibao_a, county, kind, amount, message):
    with pytest.raises(BenefitError, match=message):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=kind, decided_on=D(2026, 5, 1), case_id=None,
                        monthly_amount_fen=amount)
    assert dibao_a.amounts.count() == 1


def test_unchanged_keeps_the_amount_and_records_the_review(dibao_b, county):
    """办法 §31: an unchanged review keeps the amount; class B → next review 6 months after it."""
    services.benefit_change(acting_user=county, benefit=dibao_b, kind=ChangeKind.UNCHANGED, decided_on=D(2026, 7, 8), case_id=9)
    dibao_b.refresh_from_db()
    assert dibao_b.monthly_amount_fen == 45000
    assert dibao_b.last_reviewed_on == D(2026, 7, 8)
    assert dibao_b.last_review_case_id == 9
    assert dibao_b.next_review_date == D(2027, 1, 8)
    assert history(dibao_b)[-1] == (ChangeKind.UNCHANGED, 45000, D(2026, 8, 1), None)


def test_stop_pays_through_the_decision_month(dibao_a, county):
    """Stop decided 2026-06-12: paid through June, nothing from July; no more review."""
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 6, 12), case_id=None)
    dibao_a.refresh_from_db()
    assert dibao_a.status == BenefitStatus.STOPPED
    assert dibao_a.end_month == D(2026, 6, 1)
    assert dibao_a.next_review_date is None
    assert history(dibao_a) == [
        (ChangeKind.GRANT, 60000, D(2026, 2, 1), D(2026, 6, 1)),
        (ChangeKind.STOP, 0, D(2026, 7, 1), None),
    ]
    with pytest.raises(BenefitError, match="已停发"):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 7, 1), case_id=None,
                        monthly_amount_fen=90000)


def test_stop_after_a_death_stops_from_the_month_after_death(dibao_a, county):
    """Issue 5: a recipient who died 2026-04-03 is paid through April, not after; the stop decided
    in June leaves the raise decided in May (from June) never applied."""
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 5, 2), case_id=None,
                    monthly_amount_fen=70000)
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 6, 20), case_id=None,
                    paid_through=D(2026, 4, 3))
    dibao_a.refresh_from_db()
    assert dibao_a.end_month == D(2026, 4, 1)
    assert history(dibao_a) == [
        (ChangeKind.GRANT, 60000, D(2026, 2, 1), D(2026, 4, 1)),
        (ChangeKind.RAISE, 70000, D(2026, 6, 1), D(2026, 5, 1)),  # to before from: never applied
        (ChangeKind.STOP, 0, D(2026, 5, 1), None),
    ]


def test_stop_before_the_first_payment_means_never_paid(county, household_a):
    b = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=60000,
                       approved_on=D(2026, 1, 15), case_id=None)
    services.benefit_change(acting_user=county, benefit=b, kind=ChangeKind.STOP, decided_on=D(2026, 1, 20), case_id=None)
    b.refresh_from_db()
    assert b.end_month == D(2026, 1, 1) and b.start_month == D(2026, 2, 1)
    assert not b.pays_in(D(2026, 2, 1))


def test_stop_cannot_pay_beyond_the_decision_month(dibao_a, county):
    with pytest.raises(BenefitError, match="不能晚于"):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 6, 1), case_id=None,
                        paid_through=D(2026, 8, 1))


@pytest.mark.parametrize(("months", "last_paid"), [(1, D(2026, 6, 1)), (6, D(2026, 11, 1))])
def test_gradual_exit_keeps_the_amount_for_the_months_after_the_decision(dibao_a, county, months, last_paid):
    """办法 §33: gradual exit decided 2026-05-10 for n months → 600.00 kept June … May+n, then stops."""
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 5, 10), case_id=None,
                    exit_months=months)
    dibao_a.refresh_from_db()
    assert dibao_a.status == BenefitStatus.GRADUAL_EXIT
    assert dibao_a.end_month == last_paid
    assert dibao_a.pays_in(last_paid) and not dibao_a.pays_in(add_months(last_paid, 1))
    assert history(dibao_a) == [
        (ChangeKind.GRANT, 60000, D(2026, 2, 1), D(2026, 5, 1)),
        (ChangeKind.GRADUAL_EXIT, 60000, D(2026, 6, 1), last_paid),
        (ChangeKind.STOP, 0, add_months(last_paid, 1), None),
    ]


@pytest.mark.parametrize("months", [0, 7, 12])
def test_gradual_exit_of_more_than_six_months_is_refused(dibao_a, county, months):
    """办法 §33: the gradual exit lasts at most 6 months; 7 is refused (and 0 is no exit)."""
    with pytest.raises(BenefitError, match="1至6个月"):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 5, 10),
                        case_id=None, exit_months=months)


def test_in_gradual_exit_only_a_stop_is_allowed_and_it_pays_no_longer(dibao_a, county, household_a):
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 5, 10), case_id=None,
                    exit_months=3)
    with pytest.raises(BenefitError, match="渐退期"):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 6, 1), case_id=None,
                        monthly_amount_fen=90000)
    # a new dibao during the exit is refused; after its last month (August) it is allowed
    with pytest.raises(BenefitError):
        services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=10000,
                       approved_on=D(2026, 6, 1), case_id=None)
    again = services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=10000,
                           approved_on=D(2026, 8, 20), case_id=None)
    dibao_a.refresh_from_db()
    assert dibao_a.status == BenefitStatus.STOPPED and again.start_month == D(2026, 9, 1)


def test_a_decision_dated_before_the_last_one_is_refused(dibao_a, county):
    with pytest.raises(BenefitError, match="不能早于"):
        services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 1, 1), case_id=None)


def test_change_is_audited(dibao_a, county):
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.LOWER, decided_on=D(2026, 3, 3), case_id=None,
                    monthly_amount_fen=40000)
    latest = dibao_a.history.order_by("-history_id").first()
    assert latest.monthly_amount_fen == 40000 and latest.history_user == county


# ----------------------------------------------------------------------------- review


def test_benefit_review_record_sets_the_next_date_from_the_class(dibao_a, dibao_b, county):
    """办法 §31 / seed 篇三: A yearly, B half-yearly; 2026-08-31 + 6 months = 2027-02-28 (clamped)."""
    services.benefit_review_record(acting_user=county, benefit=dibao_a, reviewed_on=D(2026, 8, 31), case_id=3)
    services.benefit_review_record(acting_user=county, benefit=dibao_b, reviewed_on=D(2026, 8, 31), case_id=4)
    dibao_a.refresh_from_db()
    dibao_b.refresh_from_db()
    assert dibao_a.next_review_date == D(2027, 8, 31)
    assert dibao_b.next_review_date == D(2027, 2, 28)
    assert dibao_b.last_reviewed_on == D(2026, 8, 31)


def test_benefit_review_record_can_reclassify(dibao_a, county):
    services.benefit_review_record(acting_user=county, benefit=dibao_a, reviewed_on=D(2026, 3, 1), case_id=None, review_class="B")
    dibao_a.refresh_from_db()
    assert (dibao_a.review_class, dibao_a.next_review_date) == ("B", D(2026, 9, 1))


def test_review_interval_comes_from_the_policy_parameters(dibao_a, regions, users):
    """A county that reviews class A every 10 months (a parameter row) gets 10, not the default 12."""
    from bangfu.policy import current
    from bangfu.policy.services import parameter_value_create

    parameter_value_create(acting_user=users["admin"], name="review_interval_a_months", region_code=regions["county"].code,
                           valid_from=D(2020, 1, 1), valid_to=None, value=10, citation_document="测试")
    current.clear()
    assert services.review_interval_months("A", dibao_a.region_code, D(2026, 3, 1)) == 10
    assert services.review_interval_months("B", dibao_a.region_code, D(2026, 3, 1)) == 6


# ----------------------------------------------------------------------------- death


def test_a_death_brings_the_review_within_three_months(dibao_a, county, users):
    """Issue 4: a member dies 2026-03-10 → review due by 2026-06-10, earlier than the yearly 2027-01-15."""
    li = dibao_a.household.members.get(name="李娜")
    services.death_review_schedule(person=li, died_on=D(2026, 3, 10))
    dibao_a.refresh_from_db()
    assert dibao_a.next_review_date == D(2026, 6, 10)
    assert "死亡" in dibao_a.review_reason


def test_a_death_never_postpones_a_review_already_due_earlier(dibao_b, county):
    """min(current, death + 3 months): due 2026-07-10 (class B) stays when the death is 2026-06-01."""
    services.death_review_schedule(person=dibao_b.household.members.get(), died_on=D(2026, 6, 1))
    dibao_b.refresh_from_db()
    assert dibao_b.next_review_date == D(2026, 7, 10)


def test_recording_a_death_in_the_registry_triggers_the_review(dibao_a, users, monkeypatch):
    """The registry's death path (person_update to status "deceased") calls death_review_schedule with the day it is recorded."""
    from django.utils import timezone

    from bangfu.registry.services import person_update

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 4, 30))
    li = dibao_a.household.members.get(name="李娜")
    person_update(acting_user=users["village_a"], person_id=li.pk, data={"status": "deceased"})
    dibao_a.refresh_from_db()
    assert dibao_a.next_review_date == D(2026, 7, 30)
    # saving the same person again does not move it
    person_update(acting_user=users["village_a"], person_id=li.pk, data={"phone": "13800000000"})
    dibao_a.refresh_from_db()
    assert dibao_a.next_review_date == D(2026, 7, 30)


# ----------------------------------------------------------------------------- one-off


def test_one_off_payment_create_records_a_temporary_assistance_payment(county, household_a):
    p = services.one_off_payment_create(acting_user=county, household=household_a, amount_fen=150000, approved_on=D(2026, 3, 18), case_id=5,
                          kind="emergency")
    assert (p.month, p.programme, p.region_code) == (D(2026, 3, 1), Programme.TEMPORARY, household_a.region_code)
    with pytest.raises(BenefitError, match="急难型或支出型"):
        services.one_off_payment_create(acting_user=county, household=household_a, amount_fen=1, approved_on=D(2026, 3, 18), case_id=5, kind="x")
    with pytest.raises(BenefitError, match="大于零"):
        services.one_off_payment_create(acting_user=county, household=household_a, amount_fen=-5, approved_on=D(2026, 3, 18), case_id=5,
                          kind="expenditure")


# ----------------------------------------------------------------------------- selectors


def test_reviews_due_is_scoped_and_oldest_first(dibao_a, dibao_b, users):
    """dibao_b (class B, due 2026-07-10) before dibao_a (A, due 2027-01-15); village A's worker sees only A."""
    as_of = D(2027, 1, 1)
    assert list(selectors.reviews_due(users["county"], as_of=as_of, within_days=30)) == [dibao_b, dibao_a]
    assert list(selectors.reviews_due(users["county"], as_of=as_of, within_days=0)) == [dibao_b]
    assert list(selectors.reviews_due(users["village_a"], as_of=as_of, within_days=30)) == [dibao_a]
    assert list(selectors.reviews_due(users["village_b"], as_of=D(2026, 1, 1))) == []
    assert list(selectors.reviews_due_within("340102002", as_of=as_of)) == [dibao_b]


def test_reviews_due_leaves_out_stopped_benefits(dibao_b, county):
    services.benefit_change(acting_user=county, benefit=dibao_b, kind=ChangeKind.STOP, decided_on=D(2026, 3, 1), case_id=None)
    assert not selectors.reviews_due(county, as_of=D(2027, 1, 1)).exists()



# ----------------------------------------------------------------------------- registry categories


def categories(household):
    from bangfu.registry.models import Classification

    return [(r.code, r.monthly_amount_fen, r.start_date, r.end_date)
            for r in Classification.objects.filter(household=household, kind="category").order_by("start_date", "pk")]


def test_registry_category_rows_follow_the_decisions(dibao_a, county, household_a):
    """The engine reads current dibao from dated category rows: grant from Feb (600.00), lower
    decided 2026-03-03 (400.00 from April), stop decided 2026-06-12 (nothing from July)."""
    assert categories(household_a) == [("dibao", 60000, D(2026, 2, 1), None)]
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.LOWER, decided_on=D(2026, 3, 3), case_id=None,
                    monthly_amount_fen=40000)
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 6, 12), case_id=None)
    assert categories(household_a) == [
        ("dibao", 60000, D(2026, 2, 1), D(2026, 4, 1)),
        ("dibao", 40000, D(2026, 4, 1), D(2026, 7, 1)),
    ]


def test_a_grant_ends_an_imported_category_row(county, household_a, users):
    """A household recorded on dibao before (survey import, 500.00 since 2024) gets one current row only."""
    from bangfu.registry.services import item_add

    item_add(acting_user=users["village_a"], household_id=household_a.pk, kind="classification",
             data={"kind": "category", "code": "dibao", "monthly_amount_fen": 50000, "start_date": D(2024, 1, 1)})
    services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=60000,
                   approved_on=D(2026, 1, 15), case_id=None)
    assert categories(household_a) == [
        ("dibao", 50000, D(2024, 1, 1), D(2026, 2, 1)),
        ("dibao", 60000, D(2026, 2, 1), None),
    ]


def test_gradual_exit_ends_the_category_after_the_exit(dibao_a, county, household_a):
    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 5, 10), case_id=None,
                    exit_months=2)
    assert categories(household_a) == [("dibao", 60000, D(2026, 2, 1), D(2026, 8, 1))]


def test_a_finished_gradual_exit_is_no_longer_the_active_benefit(dibao_a, county, household_a, monkeypatch):
    """Exit decided 2026-05-10 for 2 months: paid June and July; on 2026-07-31 still open, on 2026-08-01 over."""
    from django.utils import timezone

    services.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 5, 10), case_id=None,
                    exit_months=2)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 7, 31))
    assert selectors.active_benefit(household_a, Programme.DIBAO) == dibao_a
    dibao_a.refresh_from_db()
    assert dibao_a.status_now == BenefitStatus.GRADUAL_EXIT
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 8, 1))
    assert selectors.active_benefit(household_a, Programme.DIBAO) is None
    assert dibao_a.status_now == BenefitStatus.STOPPED
