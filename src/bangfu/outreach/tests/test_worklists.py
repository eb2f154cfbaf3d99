"""R4 follow-up worklists from the engine's flags (seed 篇五 三、2): created once, kept while
the flag holds, closed when it clears; referrals and their xlsx export."""

import datetime as dt

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.outreach import services
from bangfu.outreach.models import FollowUpItem
from bangfu.outreach.worklists import sync_worklists

DAY = dt.date(2025, 6, 1)


@pytest.fixture
def family(users, regions):
    """Village A: a head and a child born 2015-03-01 (10 on DAY: within the compulsory-school ages
    6–15 of defaults.yaml) who is not enrolled; a second household in village B with a person with
    a disability type and no certificate (flag disability_no_certificate)."""
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import household_create

    a = household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, address="胜利路2号",
                         members=[person_data("周强", "head"),
                                  person_data("周小军", "child", birth=dt.date(2015, 3, 1), enrolled=False)])
    b = household_create(acting_user=users["village_b"], region_id=regions["village_b"].pk, address="大兴村5组",
                         members=[person_data("吴敏", "head", sex="F", disability_type="physical", disability_grade=3)])
    return a, b


def child_of(household):
    return household.members.get(name="周小军")


def test_items_created_once_and_closed_when_the_flag_clears(users, family):
    household, other = family
    child = child_of(household)
    # when: the first sync after a reassessment
    first = sync_worklists(region_code="340102", on_date=DAY)
    # then: one school item for the child, one certificate item in village B
    kinds = set(FollowUpItem.objects.values_list("person__name", "kind"))
    assert kinds == {("周小军", "school_not_enrolled"), ("吴敏", "disability_no_certificate")}
    assert (first.opened, first.kept, first.closed) == (2, 0, 0)
    item = FollowUpItem.objects.get(person=child)
    assert item.due_date == DAY + dt.timedelta(days=30) and item.status == "open"  # followup_due_days = 30
    # when: reassessed again, nothing changed
    again = sync_worklists(region_code="340102", on_date=DAY + dt.timedelta(days=7))
    # then: no new item
    assert (again.opened, again.kept, again.closed) == (0, 2, 0) and FollowUpItem.objects.count() == 2
    # when: the child is enrolled and the next sync runs
    from bangfu.registry.services import person_update

    person_update(acting_user=users["village_a"], person_id=child.pk, data={"enrolled": True})
    cleared = sync_worklists(region_code="340102001", on_date=DAY + dt.timedelta(days=14))
    item.refresh_from_db()
    assert (cleared.opened, cleared.kept, cleared.closed) == (0, 0, 1)
    assert (item.status, item.close_reason, item.closed_on) == ("closed", "flag_cleared", DAY + dt.timedelta(days=14))
    # the township sync did not touch village B's open item
    assert FollowUpItem.objects.get(person__name="吴敏").closed_on is None
    # when: the child drops out later: a new item opens, the closed one stays closed
    person_update(acting_user=users["village_a"], person_id=child.pk, data={"enrolled": False, "dropped_out": True})
    sync_worklists(household_ids=[household.pk], on_date=DAY + dt.timedelta(days=60))
    assert FollowUpItem.objects.filter(person=child).count() == 2
    assert FollowUpItem.objects.filter(person=child, closed_on__isnull=True).count() == 1


def test_one_open_item_per_person_and_kind_is_a_database_rule(family):
    from django.db import IntegrityError, transaction

    sync_worklists(region_code="340102", on_date=DAY)
    item = FollowUpItem.objects.get(kind="school_not_enrolled")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpItem.objects.create(kind=item.kind, person=item.person, household=item.household, region_code=item.region_code,
                                    opened_on=DAY, due_date=DAY)


def test_manual_employment_item_survives_sync(users, family, helper_user):
    household, _ = family
    head = household.members.get(name="周强")
    item = services.item_create(acting_user=users["village_a"], person_id=head.pk, kind="employment", note="希望参加电工培训")
    sync_worklists(region_code="340102", on_date=DAY)
    item.refresh_from_db()
    assert item.closed_on is None and item.source == "manual"
    with pytest.raises(services.OutreachError):
        services.item_create(acting_user=users["village_a"], person_id=head.pk, kind="employment")
    # a helper may open one only from a visit of their own pairing
    with pytest.raises(PermissionDenied):
        services.item_create(acting_user=helper_user, person_id=head.pk, kind="school_not_enrolled")


def test_referral_and_answer_then_close(users, family):
    sync_worklists(region_code="340102", on_date=DAY)
    item = FollowUpItem.objects.get(kind="school_not_enrolled")
    worker = users["village_a"]
    services.item_assign(acting_user=worker, item_id=item.pk, owner_id=worker.pk)
    referral = services.referral_add(acting_user=worker, item_id=item.pk, target="education", target_name="区教育局",
                                     referred_on=dt.date(2025, 6, 3))
    item.refresh_from_db()
    assert item.status == "referred" and item.owner == worker
    with pytest.raises(services.OutreachError):
        services.referral_answer(acting_user=worker, referral_id=referral.pk, answer="已安排入学", answered_on=dt.date(2025, 6, 1))
    services.referral_answer(acting_user=worker, referral_id=referral.pk, answer="已安排就近入学", answered_on=dt.date(2025, 6, 10))
    services.item_close(acting_user=worker, item_id=item.pk, reason="resolved")
    item.refresh_from_db()
    assert item.status == "closed" and item.close_reason == "resolved"
    # village B's worker cannot see or refer village A's item
    from bangfu.accounts.access import NotFound

    other = FollowUpItem.objects.get(kind="disability_no_certificate")
    with pytest.raises(NotFound):
        services.referral_add(acting_user=worker, item_id=other.pk, target="disabled_federation", referred_on=DAY)


def test_owner_must_work_in_the_household_region(users, family):
    sync_worklists(region_code="340102", on_date=DAY)
    item = FollowUpItem.objects.get(kind="school_not_enrolled")
    with pytest.raises(services.OutreachError):
        services.item_assign(acting_user=users["county"], item_id=item.pk, owner_id=users["village_b"].pk)


def test_sync_command(family, capsys):
    from django.core.management import call_command

    call_command("sync_worklists", "--region", "340102", "--date", "2025-06-01", "--no-progress")
    assert "新建 2" in capsys.readouterr().out


def test_sync_from_an_assessment_the_caller_already_has(family):
    """The reassessment's own Assessment gives the same items as a sync that runs the engine."""
    from bangfu.policy.current import current_parameter_set
    from bangfu.policy.engine import assess
    from bangfu.policy.loader import load_frames
    from bangfu.outreach.worklists import sync_assessment

    bounds = ("340102000000", "340102999999")
    result = assess(load_frames(bounds=bounds), DAY, current_parameter_set(), explain=False)
    first = sync_assessment(result, bounds=bounds, on_date=DAY)
    assert (first.opened, first.kept) == (2, 0)
    assert sync_worklists(region_code="340102", on_date=DAY).as_dict() == {"flagged": 2, "opened": 0, "kept": 2, "closed": 0}


def test_reassessment_opens_and_closes_items_without_a_separate_sync(users, family):
    """`bangfu reassess` (policy.reassessment.reassess) sends each judged part to the outreach
    worklists (policy.signals.chunk_assessed): the same items as `sync_worklists`, once."""
    from bangfu.policy.reassessment import reassess
    from bangfu.registry.services import person_update

    household, _other = family
    reassess(acting_user=users["county"], on=DAY)
    assert set(FollowUpItem.objects.filter(closed_on__isnull=True).values_list("person__name", "kind")) == {
        ("周小军", "school_not_enrolled"), ("吴敏", "disability_no_certificate")}
    reassess(acting_user=users["county"], on=DAY + dt.timedelta(days=7))
    assert FollowUpItem.objects.count() == 2  # not again on every reassessment
    person_update(acting_user=users["village_a"], person_id=child_of(household).pk, data={"enrolled": True})
    reassess(acting_user=users["county"], on=DAY + dt.timedelta(days=14))
    assert FollowUpItem.objects.get(person=child_of(household)).closed_on == DAY + dt.timedelta(days=14)
