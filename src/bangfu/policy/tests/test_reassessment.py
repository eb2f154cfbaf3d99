"""`bangfu reassess` (issue 3 "Interfaces"; R11, R16): determinations and benefit changes stored
from the registry, scope, and a table that stays bounded across runs. Runs on SQLite and on
PostgreSQL (COPY path) alike.

Hand computation used throughout: 瑶海区 (340102) gets a rural standard of 700.00 from
2025-01-01 through a ParameterValue row. household_a (village A, rural) has two members of 45,
able to work, no disability. With a wage of 800.00 a month: per-capita 400.00 < 700.00, so
eligible (R11); gap = 700.00 × 2 − 800.00 = 600.00; no A/B supplement (R14); rounded up to the
yuan: 600.00. household_b (village B) has one member of 45 and no income: 700.00.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bangfu.common.models import Job
from bangfu.common.money import yuan_to_fen
from bangfu.policy.models import AssessmentRun, BenefitChange, Determination
from bangfu.policy.reassessment import ReassessmentError, reassess
from bangfu.policy.services import parameter_value_create
from bangfu.registry.models import Classification, IncomeItem

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 8, 1)


@pytest.fixture
def standard(users):
    """瑶海区: rural standard 700.00 from 2025-01-01 (the city ships 880.00)."""
    return parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340102",
                                  valid_from=dt.date(2025, 1, 1), valid_to=None, value="700.00",
                                  citation_document="瑶海区民政局测试文件", citation_article="第一条")


def add_wage(household, yuan: str) -> IncomeItem:
    head = household.members.get(relation="head")
    return IncomeItem.objects.create(household=household, person=head, kind="wage", monthly_amount_fen=yuan_to_fen(yuan),
                                     valid_from=dt.date(2025, 1, 1))


def add_dibao(household, fen: int | None) -> Classification:
    return Classification.objects.create(household=household, kind="category", code="dibao", monthly_amount_fen=fen,
                                         start_date=dt.date(2024, 1, 1))


def test_hand_computed_household_and_its_change(users, standard, household_a, household_b):
    # given: household_a earns 800.00 and now receives 500.00; household_b has no dibao yet
    add_wage(household_a, "800.00")
    add_dibao(household_a, 50000)
    # when
    run = reassess(acting_user=users["county"], on=ON)
    # then
    assert run.status == AssessmentRun.Status.DONE and run.region_code == "340102000000"
    a = Determination.objects.get(household=household_a)
    assert (a.run_id, a.region_code, a.members) == (run.pk, "340102001001", 2)
    assert (a.standard_fen, a.per_capita_income_fen, a.dibao_eligible, a.dibao_basis) == (70000, 40000, True, "income")
    assert (a.dibao_total_fen, a.current_dibao_fen, a.dibao_change) == (60000, 50000, "amount_up")
    assert a.review_class == "B" and a.next_review_date == dt.date(2026, 2, 1)  # wage, able to work (R16)
    assert (a.low_income, a.near_dibao, a.expenditure_poverty, a.tekun_persons) == (True, False, False, 0)
    b = Determination.objects.get(household=household_b)
    assert (b.dibao_total_fen, b.current_dibao_fen, b.dibao_change) == (70000, None, "newly_eligible")
    changes = {c.household_id: c for c in BenefitChange.objects.all()}
    assert (changes[household_a.pk].kind, changes[household_a.pk].old_amount_fen, changes[household_a.pk].new_amount_fen) == ("amount_up", 50000, 60000)
    assert (changes[household_b.pk].kind, changes[household_b.pk].old_amount_fen, changes[household_b.pk].new_amount_fen) == ("newly_eligible", 0, 70000)
    assert {c.status for c in changes.values()} == {"open"} and changes[household_a.pk].get_kind_display() == "提高"
    assert abs((timezone.now() - changes[household_a.pk].created_at).total_seconds()) < 60
    assert run.counts["households"] == 2 and run.counts["eligible"] == 2
    assert (run.counts["amount_up"], run.counts["newly_eligible"]) == (1, 1)
    assert run.counts["monthly_change_fen"] == (60000 - 50000) + 70000
    assert "700.00 元" in run.params_note


@pytest.mark.parametrize(("wage", "current", "kind", "new"), [
    ("800.00", 50000, "amount_up", 60000),
    ("800.00", 70000, "amount_down", 60000),
    ("800.00", 60000, "unchanged", 60000),
    ("2000.00", 50000, "no_longer_eligible", 0),   # 1,000.00 a head ≥ 700.00
    ("1400.00", 50000, "no_longer_eligible", 0),   # exactly at the standard is not below it (R11)
    ("800.00", None, "amount_unknown", 60000),     # on dibao, amount not recorded: nothing to compare
])
def test_change_kinds(users, standard, household_a, wage, current, kind, new):
    # given
    add_wage(household_a, wage)
    add_dibao(household_a, current)
    # when
    run = reassess(acting_user=users["village_a"], on=ON)
    # then
    d = Determination.objects.get(household=household_a)
    assert (d.dibao_change, d.dibao_total_fen) == (kind, new)
    stored = list(BenefitChange.objects.values_list("kind", "old_amount_fen", "new_amount_fen"))
    assert stored == ([(kind, current, new)] if kind in BenefitChange.Kind.values else [])
    assert run.counts[kind] == 1


def test_village_worker_cannot_reassess_another_village(users, regions, household_a, household_b):
    # when / then
    with pytest.raises(ReassessmentError, match="不在您的管辖范围内"):
        reassess(acting_user=users["village_a"], region_code=regions["village_b"].code, on=ON)
    with pytest.raises(ReassessmentError, match="不在您的管辖范围内"):
        reassess(acting_user=users["village_a"], region_code="340102", on=ON)
    with pytest.raises(CommandError, match="不在您的管辖范围内"):
        call_command("reassess", "--user", "worker_a", "--region", "340102002001", "--no-progress", stdout=io.StringIO())
    # then nothing was judged or written
    assert not AssessmentRun.objects.exists() and not Determination.objects.exists()


def test_unknown_region_answers_like_a_foreign_one(users):
    with pytest.raises(ReassessmentError, match="不存在或不在您的管辖范围内"):
        reassess(acting_user=users["county"], region_code="999999", on=ON)
    with pytest.raises(ReassessmentError, match="应为 2、4、6、9 或 12 位数字"):
        reassess(acting_user=users["county"], region_code="3401x", on=ON)


def test_roles_without_edit_right_are_refused(users):
    for role in ("partner", "auditor"):
        with pytest.raises(PermissionDenied, match="没有重新核算的权限"):
            reassess(acting_user=users[role], on=ON)


def test_village_worker_judges_only_the_own_village(users, standard, household_a, household_b):
    run = reassess(acting_user=users["village_a"], on=ON)
    assert run.region_code == "340102001001"
    assert list(Determination.objects.values_list("household_id", flat=True)) == [household_a.pk]


def test_rerun_keeps_one_determination_per_household_and_supersedes_open_changes(users, standard, household_a, household_b):
    # given a first county run with two open changes
    add_wage(household_a, "800.00")
    add_dibao(household_a, 50000)
    first = reassess(acting_user=users["county"], on=ON)
    # when the county runs again, and then village A alone
    second = reassess(acting_user=users["county"], on=ON)
    third = reassess(acting_user=users["village_a"], on=ON)
    # then each household has one determination, from the latest run that covered it
    assert dict(Determination.objects.values_list("household_id", "run_id")) == {household_a.pk: third.pk, household_b.pk: second.pk}
    # and the changes are all kept, only the latest of each household open
    assert BenefitChange.objects.count() == 2 + 2 + 1
    assert set(BenefitChange.objects.filter(run=first).values_list("status", flat=True)) == {"superseded"}
    assert set(BenefitChange.objects.filter(status="open").values_list("run_id", "household_id")) == {
        (third.pk, household_a.pk), (second.pk, household_b.pk)}


def test_handled_changes_stay_handled(users, standard, household_a):
    add_wage(household_a, "800.00")
    add_dibao(household_a, 50000)
    reassess(acting_user=users["county"], on=ON)
    from bangfu.policy.services import benefit_change_mark_handled

    change = BenefitChange.objects.get()
    # the service the cases app calls when it opens or decides a case for the change
    assert benefit_change_mark_handled(change_id=change.pk) == 1
    change.refresh_from_db()
    assert change.status == BenefitChange.Status.HANDLED
    reassess(acting_user=users["county"], on=ON)
    assert sorted(BenefitChange.objects.values_list("status", flat=True)) == ["handled", "open"]


def test_inactive_household_is_not_judged(users, standard, household_a, household_b):
    household_b.status = "cancelled"
    household_b.save()
    run = reassess(acting_user=users["county"], on=ON)
    assert run.counts["households"] == 1
    assert list(Determination.objects.values_list("household_id", flat=True)) == [household_a.pk]


def test_command_prints_a_chinese_summary(users, standard, household_a, household_b):
    add_wage(household_a, "800.00")
    add_dibao(household_a, 50000)
    out = io.StringIO()
    call_command("reassess", "--user", "county", "--on", "2025-08-01", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "重新核算完成" in text and "共 2 户" in text and "瑶海区" in text
    assert "新增" in text and "提高" in text and "+800.00 元" in text and "全年 +9,600.00 元" in text


def test_command_refuses_unknown_user_and_bad_date(users):
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        call_command("reassess", "--user", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="应为 YYYY-MM-DD"):
        call_command("reassess", "--user", "county", "--on", "2025/08/01", stdout=io.StringIO())


def test_task_runs_the_same_service(users, standard, household_a):
    # given a job as a page would create it
    from bangfu.policy.tasks import REASSESS, run_reassess_job

    job = Job.objects.create(kind=REASSESS, user=users["county"], params={"region_code": "340102", "on": "2025-08-01"})
    # when
    outcome = run_reassess_job(job.pk)
    # then
    job.refresh_from_db()
    assert outcome["status"] == Job.Status.DONE and job.status == Job.Status.DONE
    assert job.result["counts"]["households"] == 1 and job.done == 1 and job.total == 1
    assert Determination.objects.get().run_id == job.result["run_id"]


def test_task_reports_a_refusal(users):
    from bangfu.policy.tasks import REASSESS, run_reassess_job

    job = Job.objects.create(kind=REASSESS, user=users["village_a"], params={"region_code": "340102002001"})
    run_reassess_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "不在您的管辖范围内" in job.message


@pytest.mark.django_db(transaction=True)
def test_several_counties_committed_data(users, regions, standard, household_a, monkeypatch):
    """Outside a transaction, on PostgreSQL, the next county is read on a second connection while
    the current one is judged (reassessment.chunk_frames); the result is the same."""
    from bangfu_testing.factories import make_user, person_data, region
    from bangfu.policy import reassessment
    from bangfu.registry.services import household_create

    # given a second county of the city with one household, judged by a city officer
    other = region("340103", "庐阳区", regions["city"])
    village = region("340103001001", "测试村", region("340103001", "测试街道", other))
    city_officer = make_user("city", "county_officer", regions["city"])
    admin = users["admin"]
    household_create(acting_user=admin, region_id=village.pk, members=[person_data("赵六", "head", birth=dt.date(1980, 1, 2))])
    add_wage(household_a, "800.00")
    loads = []
    real = reassessment._load_on_own_connection
    monkeypatch.setattr(reassessment, "_load_on_own_connection", lambda chunk: loads.append(chunk.county) or real(chunk))
    # when
    run = reassess(acting_user=city_officer, on=ON)
    # then: both counties judged; 庐阳区 on the city's 880.00, 瑶海区 on its own 700.00
    from django.db import connection

    assert [c.county for c in reassessment.chunks(regions["city"])] == ["340102", "340103"]
    assert loads == (["340102", "340103"] if connection.vendor == "postgresql" else [])
    amounts = dict(Determination.objects.values_list("region_code", "dibao_total_fen"))
    assert amounts == {"340102001001": 60000, "340103001001": 88000}
    assert run.counts["households"] == 2 and run.status == AssessmentRun.Status.DONE
