"""The pilot campaign (R6, seed 篇一/篇五 四): default deadlines and per-village progress on a
hand-made village; meetings (R8) and village goals (R7); registry proposals from visits."""

import datetime as dt

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.outreach import campaign as camp
from bangfu.outreach import services

YEAR = 2025


def _backdate(household, when: dt.datetime) -> None:
    """Move the registry history of a household and its members to `when` (as if entered then)."""
    from django.utils import timezone

    from bangfu.registry.models import Household, Person

    aware = timezone.make_aware(when)
    Household.history.filter(id=household.pk).update(history_date=aware)
    Person.history.filter(household_id=household.pk).update(history_date=aware)


@pytest.fixture
def village(users, regions):
    """胜利社区 (village A) with four active households and one merged away:
    h1 entered 20 May (within the survey), h2 entered 1 June (after the survey deadline of
    25 May, before 30 June), h3 entered 10 July (too late for both), h4 entered 2024 and
    visited on 15 May (counts as surveyed by the visit)."""
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import household_create

    worker = users["village_a"]
    made = []
    for i, name in enumerate(["甲", "乙", "丙", "丁"]):
        made.append(household_create(acting_user=worker, region_id=regions["village_a"].pk, address=f"{i}号",
                                     members=[person_data(f"张{name}", "head")]))
    h1, h2, h3, h4 = made
    _backdate(h1, dt.datetime(YEAR, 5, 20, 10))
    _backdate(h2, dt.datetime(YEAR, 6, 1, 10))
    _backdate(h3, dt.datetime(YEAR, 7, 10, 10))
    _backdate(h4, dt.datetime(YEAR - 1, 3, 1, 10))
    helper = services.helper_create(acting_user=worker, kind="cadre", name="刘干部", region_id=regions["village_a"].pk)
    pairing = services.pairing_create(acting_user=worker, target_kind="household", household_id=h4.pk, helper_ids=[helper.pk],
                                      start_date=dt.date(YEAR, 1, 1))
    services.visit_create(acting_user=worker, pairing_id=pairing.pk, date=dt.date(YEAR, 5, 15), way="home", findings="摸底入户")
    return made


def test_default_phase_deadlines(users, regions):
    campaign = camp.campaign_create(acting_user=users["township_a"], region_id=regions["township_a"].pk, year=YEAR)
    deadlines = {p.phase: p.deadline for p in campaign.phases.all()}
    assert deadlines == {"organisation": dt.date(YEAR, 4, 30), "training": dt.date(YEAR, 5, 10), "survey": dt.date(YEAR, 5, 25),
                         "identification": dt.date(YEAR, 6, 30), "assistance": dt.date(YEAR, 12, 31)}
    assert set(campaign.villages.values_list("region_code", flat=True)) == {"340102001001", "340102001002"}


def test_progress_counts_on_a_hand_made_village(users, regions, village):
    """Surveyed by 25 May: h1 (entered 20 May) and h4 (visited 15 May) = 2 of 4. Entered by
    30 June: h1, h2, h4 = 3 of 4. Working group set up 28 April (on time), training 12 May
    (2 days late), no survey report: on 1 August the survey and identification are behind."""
    township = users["township_a"]
    campaign = camp.campaign_create(acting_user=township, region_id=regions["township_a"].pk, year=YEAR)
    progress = campaign.villages.get(region_code="340102001001")
    camp.village_progress_update(acting_user=users["village_a"], progress_id=progress.pk,
                                 working_group_on=dt.date(YEAR, 4, 28), training_on=dt.date(YEAR, 5, 12))
    rows = {r.progress.region_code: r for r in camp.campaign_progress(campaign, today=dt.date(YEAR, 8, 1))}
    row = rows["340102001001"]
    assert (row.households, row.surveyed, row.entered, row.paired) == (4, 2, 3, 1)
    states = {p.phase: p.state for p in row.phases}
    assert states == {"organisation": "done", "training": "late", "survey": "behind", "identification": "behind", "assistance": "ongoing"}
    assert row.behind
    # the empty second village: nothing to survey, but no working group by 30 April: behind
    empty = rows["340102001002"]
    assert empty.households == 0 and empty.coverage == 1.0 and {p.phase: p.state for p in empty.phases}["organisation"] == "behind"
    # before the deadlines nothing is behind yet
    early = {r.progress.region_code: r for r in camp.campaign_progress(campaign, today=dt.date(YEAR, 4, 20))}
    assert not early["340102001001"].behind


def test_progress_export_is_xlsx(users, regions, village, tmp_path):
    import io

    campaign = camp.campaign_create(acting_user=users["township_a"], region_id=regions["township_a"].pk, year=YEAR)
    buffer = io.BytesIO()
    camp.export_progress(campaign, camp.campaign_progress(campaign, today=dt.date(YEAR, 8, 1)), buffer)
    assert buffer.getvalue()[:2] == b"PK"
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    assert sheet[2][:4] == ["340102001001", "胜利社区", 4, 2] and sheet[2][-1] == "是"


def test_campaign_scope(users, regions):
    campaign = camp.campaign_create(acting_user=users["township_a"], region_id=regions["township_a"].pk, year=YEAR)
    from bangfu.accounts.access import NotFound

    assert camp.campaign_get(users["village_a"], campaign.pk) == campaign  # a village of the township
    assert camp.campaign_get(users["county"], campaign.pk) == campaign
    with pytest.raises(NotFound):
        camp.campaign_get(users["village_b"], campaign.pk)
    with pytest.raises(services.OutreachError):
        camp.campaign_create(acting_user=users["village_b"], region_id=regions["township_a"].pk, year=YEAR)
    other = campaign.villages.get(region_code="340102001002")
    with pytest.raises(NotFound):
        camp.village_progress_update(acting_user=users["village_a"], progress_id=other.pk, training_on=dt.date(YEAR, 5, 1))


def test_meeting_with_households_and_amounts(users, regions, household_a, household_b):
    meeting = services.meeting_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, date=dt.date(YEAR, 6, 28),
                                      title="上半年扶贫帮困例会", attendees="村两委成员、党员代表", decisions="继续帮扶张伟户",
                                      households=[{"household_id": household_a.pk, "amount_fen": 50000}])
    assert list(meeting.reviewed.values_list("household_id", "amount_fen")) == [(household_a.pk, 50000)]
    with pytest.raises(services.OutreachError) as exc:
        services.meeting_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, date=dt.date(YEAR, 6, 28),
                                title="例会", attendees="甲", decisions="乙", households=[{"household_id": household_b.pk}])
    assert "不在本辖区" in exc.value.errors["households"][0]


def test_village_goal_compared_with_last_year(users, regions):
    from bangfu.outreach.selectors_goals import goal_rows

    worker = users["village_a"]
    services.village_goal_set(acting_user=worker, village_id=regions["village_a"].pk, year=YEAR - 1,
                              collective_income_fen=10_000_000, per_capita_income_fen=1_200_000)
    services.village_goal_set(acting_user=worker, village_id=regions["village_a"].pk, year=YEAR,
                              collective_income_fen=12_000_000, per_capita_income_fen=1_150_000)
    row = goal_rows(worker, YEAR)[0]
    assert (row["collective_change_fen"], row["per_capita_change_fen"], row["both_grew"]) == (2_000_000, -50_000, False)


def test_visit_proposal_applied_through_registry_services(users, pairing, household_a):
    from bangfu.registry.models import Household

    worker = users["village_a"]
    v = services.visit_create(acting_user=worker, pairing_id=pairing.pk, date=dt.date(YEAR, 3, 3), way="home", findings="房屋漏雨")
    proposal = services.proposal_create(acting_user=worker, visit_id=v.pk, changes={"housing_safety": "c_grade"})
    assert proposal.old_values == {"housing_safety": "unknown"}
    with pytest.raises(services.OutreachError):
        services.proposal_create(acting_user=worker, visit_id=v.pk, changes={"id_number": "x"})
    services.proposal_apply(acting_user=worker, proposal_id=proposal.pk)
    household = Household.objects.get(pk=household_a.pk)
    assert household.housing_safety == "c_grade"
    assert household.history.first().history_user == worker  # the registry's own history, by the worker
    with pytest.raises(services.OutreachError):
        services.proposal_apply(acting_user=worker, proposal_id=proposal.pk)


def test_helper_proposes_but_cannot_apply(users, helper_user, pairing, household_a):
    v = services.visit_create(acting_user=helper_user, pairing_id=pairing.pk, date=dt.date(YEAR, 3, 3), way="phone", findings="孩子已辍学")
    child = household_a.members.get(name="李娜")
    proposal = services.proposal_create(acting_user=helper_user, visit_id=v.pk, person_id=child.pk, changes={"dropped_out": True})
    with pytest.raises(PermissionDenied):
        services.proposal_apply(acting_user=helper_user, proposal_id=proposal.pk)
    services.proposal_reject(acting_user=users["village_a"], proposal_id=proposal.pk, note="已核实仍在校")
