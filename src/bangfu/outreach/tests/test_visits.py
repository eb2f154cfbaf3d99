"""Visits and the frequency rule (R8: “每个季度至少定期走访两次”, seed 篇二 （二）1), pairings
(R7) and visit attachments (issue 6). Expected lists are worked out by hand in each docstring."""

import datetime as dt

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.accounts.access import NotFound
from bangfu.outreach import services
from bangfu.outreach.models import QuarterVisits, Visit, VisitAttachment
from bangfu.outreach.selectors import OverdueFilter, Quarter, overdue_pairings, overdue_by_village, helper_todo

from .conftest import JPEG, PDF, PNG, upload

Q1 = Quarter.of(dt.date(2025, 1, 1))
Q2 = Quarter.of(dt.date(2025, 4, 1))


def visit(user, pairing, day, **extra):
    return services.visit_create(acting_user=user, pairing_id=pairing.pk, date=day, way="home", findings="家中情况稳定", **extra)


def overdue_ids(user, quarter, **flt):
    return set(overdue_pairings(user, quarter, OverdueFilter(**flt)).values_list("pk", flat=True))


def test_frequency_rule_across_quarter_boundaries(users, pairing):
    """A pairing in force all year. Visits on 31 March and 1 April fall in two quarters, one
    each: both quarters are behind (1 < 2). A second visit on 15 March brings Q1 to 2: Q1 is
    met, Q2 still owes one."""
    worker = users["village_a"]
    # given
    visit(worker, pairing, dt.date(2025, 3, 31))
    visit(worker, pairing, dt.date(2025, 4, 1))
    # then
    assert overdue_ids(worker, Q1) == {pairing.pk} and overdue_ids(worker, Q2) == {pairing.pk}
    assert QuarterVisits.objects.get(pairing=pairing, quarter=dt.date(2025, 1, 1)).visits == 1
    # when
    visit(worker, pairing, dt.date(2025, 3, 15))
    # then
    assert overdue_ids(worker, Q1) == set() and overdue_ids(worker, Q2) == {pairing.pk}
    row = overdue_pairings(worker, Q2).get()
    assert (row.visit_count, row.required) == (1, 2)


def test_pairing_ended_mid_quarter_owes_visits_pro_rata(users, household_a, helper):
    """Q1 2025 has 90 days. A pairing ended on 14 February was in force 45 days and owes
    ceil(2 × 45 / 90) = 1 visit: one visit meets the rule. One ended on 15 February (46 days)
    owes ceil(2 × 46 / 90) = 2: one visit leaves it behind. In Q2 neither is in force."""
    worker = users["village_a"]
    short = services.pairing_create(acting_user=worker, target_kind="household", household_id=household_a.pk,
                                    helper_ids=[helper.pk], start_date=dt.date(2024, 7, 1))
    longer = services.pairing_create(acting_user=worker, target_kind="household", household_id=household_a.pk,
                                     helper_ids=[helper.pk], start_date=dt.date(2024, 7, 1))
    visit(worker, short, dt.date(2025, 1, 10))
    visit(worker, longer, dt.date(2025, 1, 10))
    services.pairing_end(acting_user=worker, pairing_id=short.pk, end_date=dt.date(2025, 2, 14), reason="帮扶对象迁出")
    services.pairing_end(acting_user=worker, pairing_id=longer.pk, end_date=dt.date(2025, 2, 15))
    assert overdue_ids(worker, Q1) == {longer.pk}
    assert overdue_ids(worker, Q2) == set()
    # a visit after the end date is refused
    with pytest.raises(services.OutreachError) as exc:
        visit(worker, short, dt.date(2025, 2, 20))
    assert "结对期间" in str(exc.value)


def test_ending_before_a_recorded_visit_is_refused(users, pairing):
    visit(users["village_a"], pairing, dt.date(2025, 3, 1))
    with pytest.raises(services.OutreachError):
        services.pairing_end(acting_user=users["village_a"], pairing_id=pairing.pk, end_date=dt.date(2025, 2, 1))


def test_pairing_started_mid_quarter(users, household_a, helper):
    """Started on 1 March: in force 31 of 90 days, owes ceil(62 / 90) = 1 visit in Q1."""
    worker = users["village_a"]
    late = services.pairing_create(acting_user=worker, target_kind="household", household_id=household_a.pk,
                                   helper_ids=[helper.pk], start_date=dt.date(2025, 3, 1))
    row = overdue_pairings(worker, Q1).get(pk=late.pk)
    assert row.required == 1
    visit(worker, late, dt.date(2025, 3, 2))
    assert late.pk not in overdue_ids(worker, Q1)


def test_overdue_lists_per_village_helper_and_unit(users, pairing, pairing_b, helper):
    county = users["county"]
    assert overdue_ids(county, Q1) == {pairing.pk, pairing_b.pk}
    assert overdue_ids(county, Q1, helper=helper.pk) == {pairing.pk}
    assert overdue_ids(county, Q1, unit="大兴镇政府") == {pairing_b.pk}
    assert overdue_ids(county, Q1, village="340102002001") == {pairing_b.pk}
    summary = {r["region_code"]: (r["pairings"], r["behind"]) for r in overdue_by_village(county, Q1)}
    assert summary == {"340102001001": (1, 1), "340102002001": (1, 1)}
    # a village worker sees only their village
    assert overdue_ids(users["village_a"], Q1) == {pairing.pk}


def test_a_village_parameter_raises_the_requirement(users, pairing, pairing_b):
    """Village B sets 3 visits a quarter from 2025 (a dated parameter row): with 2 visits each,
    village A meets its rule (2) and village B does not (2 < 3)."""
    from bangfu.outreach.models import OutreachParameter

    OutreachParameter.objects.create(name="visits_per_quarter_min", region_prefix="340102002001", valid_from=dt.date(2025, 1, 1),
                                     value=3, citation="test")
    for day in (dt.date(2025, 1, 5), dt.date(2025, 2, 5)):
        visit(users["village_a"], pairing, day)
        visit(users["village_b"], pairing_b, day)
    assert overdue_ids(users["county"], Q1) == {pairing_b.pk}


def test_helper_sees_and_records_only_own_pairings(users, helper_user, pairing, pairing_b):
    # when: the helper records a visit on their own pairing
    v = visit(helper_user, pairing, dt.date(2025, 2, 1))
    # then: they are among the visitors, and the other pairing is not theirs
    assert list(v.visitors.values_list("user", flat=True)) == [helper_user.pk]
    with pytest.raises(NotFound):
        visit(helper_user, pairing_b, dt.date(2025, 2, 1))
    todo = helper_todo(helper_user, Q1)
    assert [(p.pk, p.visit_count, p.remaining) for p in todo] == [(pairing.pk, 1, 1)]


def test_worker_of_another_village_cannot_record(users, pairing):
    with pytest.raises(NotFound):
        visit(users["village_b"], pairing, dt.date(2025, 2, 1))


def test_auditor_may_not_record_visits(users, pairing):
    with pytest.raises(PermissionDenied):
        visit(users["auditor"], pairing, dt.date(2025, 2, 1))


def test_future_visit_refused(users, pairing):
    with pytest.raises(services.OutreachError) as exc:
        visit(users["village_a"], pairing, dt.date.today() + dt.timedelta(days=3))
    assert "晚于今天" in str(exc.value)


def test_attachments_stored_outside_database_with_random_names(users, pairing, settings):
    v = visit(users["village_a"], pairing, dt.date(2025, 2, 1),
              files=[upload("门口.jpg", JPEG), upload("屋顶.png", PNG), upload("低保证.pdf", PDF, "application/pdf")])
    stored = list(v.attachments.order_by("pk"))
    assert [a.content_type for a in stored] == ["image/jpeg", "image/png", "application/pdf"]
    root = settings.PRIVATE_FILES_ROOT / "outreach"
    for a in stored:
        path = root / a.stored_name
        assert path.is_file() and "门口" not in a.stored_name
        assert str(path).startswith(str(settings.PRIVATE_FILES_ROOT)) and str(settings.MEDIA_ROOT) not in str(path)


def test_attachment_of_wrong_type_refused_by_content(users, pairing, settings):
    """A text file named .jpg is refused: the type is read from the first bytes, and the whole
    visit is refused with it (nothing written)."""
    with pytest.raises(services.OutreachError) as exc:
        visit(users["village_a"], pairing, dt.date(2025, 2, 1), files=[upload("照片.jpg", b"MZ\x90\x00 not an image")])
    assert "JPEG、PNG 图片或 PDF" in exc.value.errors["files"][0]
    assert Visit.objects.count() == 0 and VisitAttachment.objects.count() == 0
    assert not (settings.PRIVATE_FILES_ROOT / "outreach").exists() or not any((settings.PRIVATE_FILES_ROOT / "outreach").rglob("*.*"))


def test_attachment_too_large_refused(users, pairing, settings):
    settings.OUTREACH_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(services.OutreachError) as exc:
        visit(users["village_a"], pairing, dt.date(2025, 2, 1), files=[upload("大图.jpg", JPEG + b"\x00" * 100)])
    assert "过大" in exc.value.errors["files"][0]
    # the same file passes with a larger limit given by the caller
    visit(users["village_a"], pairing, dt.date(2025, 2, 1), files=[upload("大图.jpg", JPEG + b"\x00" * 100)], max_bytes=1000)


def test_visit_delete_lowers_the_quarter_count(users, pairing):
    v = visit(users["village_a"], pairing, dt.date(2025, 2, 1))
    visit(users["village_a"], pairing, dt.date(2025, 2, 2))
    assert overdue_ids(users["village_a"], Q1) == set()
    services.visit_delete(acting_user=users["village_a"], visit_id=v.pk)
    assert overdue_ids(users["village_a"], Q1) == {pairing.pk}


def test_many_to_one_pairing_and_target_scope(users, household_a, household_b, helper, regions):
    worker = users["village_a"]
    second = services.helper_create(acting_user=worker, kind="volunteer", name="赵志愿", region_id=regions["village_a"].pk)
    county_cadre = services.helper_create(acting_user=users["county"], kind="cadre", name="县干部", unit="县民政局",
                                          region_id=regions["county"].pk)
    p = services.pairing_create(acting_user=worker, target_kind="household", household_id=household_a.pk,
                                helper_ids=[helper.pk, second.pk, county_cadre.pk], lead_helper_id=second.pk, start_date=dt.date(2025, 1, 1))
    assert p.helpers.count() == 3 and p.links.get(lead=True).helper == second
    with pytest.raises(services.OutreachError) as exc:
        services.pairing_create(acting_user=worker, target_kind="household", household_id=household_b.pk,
                                helper_ids=[helper.pk], start_date=dt.date(2025, 1, 1))
    assert "household" in exc.value.errors
    village_pair = services.pairing_create(acting_user=users["township_a"], target_kind="village", village_id=regions["village_a2"].pk,
                                           helper_ids=[county_cadre.pk], start_date=dt.date(2025, 1, 1), measures=["collective_economy"])
    assert village_pair.region_code == "340102001002" and village_pair.household is None
