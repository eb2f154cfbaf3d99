"""A small county by hand (issue 16): 瑶海区 with two townships and three villages.

Households (members as of March 2026; ages at 2026-03-31):
- H1 胜利社区 (township A), urban: head born 1950 (76, elderly), spouse born 1980 with a disability
  certificate. Dibao approved 2026-01-15 at 600.00 → paid from February; raised on 2026-03-10 to
  700.00 → from April.
- H2 长淮社区 (township A), rural: head born 1985 (other), child born 2015 (minor), member born 1990
  with a disability certificate. Dibao approved 2026-02-20 at 750.00 → new in March.
  Temporary assistance, emergency, approved 2026-03-10: 500.00 (3 person-times).
- H3 大兴村 (township B), rural: head born 1960 (elderly). Dibao approved 2025-12-10 at 400.00 →
  paid January and February, stopped 2026-02-15 (last paid February) → exited in March.
  Temporary assistance, expenditure, approved 2026-03-20: 1,200.00 (1 person-time).
- H4 大兴村, rural: tekun, institutional, approved 2026-01-05 at 1,000.00 = basic 700.00 + care 300.00.
- H5 胜利社区, urban: tekun, dispersed, approved 2026-01-05 at 800.00 = basic 800.00 + care 0.

March 2026 payroll of the county (built by the payments service): H1 600.00, H2 750.00 (FAILED at
the bank), H4 700.00 + 300.00, H5 800.00, one-offs 500.00 and 1,200.00 — all paid but H2's line.
No payroll for February.

Cases (region, applied, accepted, decided, state, time limit):
- C1 dibao 胜利社区 03-02, 03-03, 03-20 approved (13 working days: 4–6, 9–13, 16–20 March);
- C2 dibao 大兴村 03-02, 03-02, 03-06 refused (4 working days);
- C3 tekun 长淮社区 01-05, 01-06, undecided, limit 02-03 → pending and overdue at the end of March;
- C4 temporary (emergency) 大兴村 03-25, undecided, limit 04-20 → received, pending;
- C5 dibao 胜利社区 03-10, decided 04-02 (after March), limit 04-08 → received, pending in March.
"""

import datetime as dt

import pytest

D = dt.date
CERT = {"disability_cert_number": "34010219800517123X41", "disability_grade": 2, "disability_type": "physical"}


def _household(user, village, members, hukou):
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import person_data

    return household_create(acting_user=user, region_id=village.pk, hukou_type=hukou, start_date=D(2025, 1, 1),
                            members=[person_data(name, rel, birth=birth, **extra) for name, rel, birth, extra in members])


@pytest.fixture
def county(users):
    return users["county"]


@pytest.fixture
def book(users, regions):
    from bangfu.benefits import services as b
    from bangfu.cases.models import Case
    from bangfu.payments import services as pay
    from bangfu.payments.models import PayrollLine

    county = users["county"]
    h1 = _household(county, regions["village_a"], [("张伟", "head", D(1950, 1, 1), {}), ("李娜", "spouse", D(1980, 5, 17), CERT)],
                    "urban")
    h2 = _household(county, regions["village_a2"], [("王强", "head", D(1985, 3, 3), {}), ("王小明", "child", D(2015, 6, 1), {}),
                                                    ("王芳", "other", D(1990, 7, 7), CERT)], "rural")
    h3 = _household(county, regions["village_b"], [("赵敏", "head", D(1960, 5, 5), {})], "rural")
    h4 = _household(county, regions["village_b"], [("钱进", "head", D(1958, 2, 2), {})], "rural")
    h5 = _household(county, regions["village_a"], [("孙立", "head", D(1955, 8, 8), {})], "urban")
    d1 = b.benefit_grant(acting_user=county, household=h1, programme="dibao", monthly_amount_fen=60000, approved_on=D(2026, 1, 15),
                         case_id=None, review_class="A")
    b.benefit_change(acting_user=county, benefit=d1, kind="raise", decided_on=D(2026, 3, 10), case_id=None, monthly_amount_fen=70000)
    b.benefit_grant(acting_user=county, household=h2, programme="dibao", monthly_amount_fen=75000, approved_on=D(2026, 2, 20),
                    case_id=None, review_class="A")
    d3 = b.benefit_grant(acting_user=county, household=h3, programme="dibao", monthly_amount_fen=40000, approved_on=D(2025, 12, 10),
                         case_id=None, review_class="A")
    b.benefit_change(acting_user=county, benefit=d3, kind="stop", decided_on=D(2026, 2, 15), case_id=None)
    b.benefit_grant(acting_user=county, household=h4, person=h4.head, programme="tekun", monthly_amount_fen=100000,
                    approved_on=D(2026, 1, 5), case_id=None, parts={"basic_fen": 70000, "care_fen": 30000}, support_mode="institutional")
    b.benefit_grant(acting_user=county, household=h5, person=h5.head, programme="tekun", monthly_amount_fen=80000,
                    approved_on=D(2026, 1, 5), case_id=None, parts={"basic_fen": 80000, "care_fen": 0}, support_mode="dispersed")
    b.one_off_payment_create(acting_user=county, household=h2, amount_fen=50000, approved_on=D(2026, 3, 10), case_id=None,
                             kind="emergency")
    b.one_off_payment_create(acting_user=county, household=h3, amount_fen=120000, approved_on=D(2026, 3, 20), case_id=None,
                             kind="expenditure")
    payroll, _ = pay.payroll_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    PayrollLine.objects.filter(payroll=payroll).update(status="paid")
    PayrollLine.objects.filter(payroll=payroll, household=h2, component="dibao").update(status="failed")

    def case(case_type, village, applied, *, accepted=None, decided=None, state="submitted", limit=None):
        return Case.objects.create(case_type=case_type, region_code=regions[village].code, applied_on=applied, accepted_on=accepted,
                                   decided_on=decided, state=state, overall_deadline=limit)

    case("dibao", "village_a", D(2026, 3, 2), accepted=D(2026, 3, 3), decided=D(2026, 3, 20), state="approved", limit=D(2026, 4, 1))
    case("dibao", "village_b", D(2026, 3, 2), accepted=D(2026, 3, 2), decided=D(2026, 3, 6), state="closed_rejected",
         limit=D(2026, 4, 1))
    case("tekun", "village_a2", D(2026, 1, 5), accepted=D(2026, 1, 6), state="awaiting_decision", limit=D(2026, 2, 3))
    case("temporary_emergency", "village_b", D(2026, 3, 25), state="accepted", limit=D(2026, 4, 20))
    case("dibao", "village_a", D(2026, 3, 10), accepted=D(2026, 3, 11), decided=D(2026, 4, 2), state="approved", limit=D(2026, 4, 8))
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "payroll": payroll, "d1": d1}
