"""Rescue services: intake, tracing worklists, settlement, care cost, return home (R18–R25)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.accounts.access import NotFound
from bangfu_testing.factories import make_id_number
from bangfu.rescue import choices as c
from bangfu.rescue import selectors, services
from bangfu.rescue.errors import RescueError
from bangfu.rescue.models import PreventionEntry, Stay, StayPhoto

from .conftest import at

pytestmark = pytest.mark.django_db


def test_intake_of_an_unidentified_person_gets_a_station_number_and_a_placeholder_name(intake):
    # given / when
    first = intake()
    second = intake()
    # then
    assert first.station_number == "YH202500001" and second.station_number == "YH202500002"
    assert first.name == "无名氏YH202500001"
    assert first.identity_status == c.IdentityStatus.UNIDENTIFIED and first.region_code == "340102000000"
    assert first.history.count() == 1 and first.history.first().history_user.username == "zhan_a"


def test_an_unidentified_person_needs_a_description(intake):
    with pytest.raises(RescueError) as exc:
        intake(physical_description="")
    assert "physical_description" in exc.value.errors


def test_police_escort_of_a_capable_adult_needs_consent(intake):
    """R21 (篇四 二（二）): escort a person with full civil capacity only with consent."""
    with pytest.raises(RescueError) as exc:
        intake(referral_source="police", brought_by="瑶海派出所", capable_adult=True, consent_given=False)
    assert "consent_given" in exc.value.errors and Stay.objects.count() == 0
    stay = intake(referral_source="police", brought_by="瑶海派出所", capable_adult=True, consent_given=True)
    assert stay.consent_given


def test_escort_of_a_minor_needs_a_written_handover(intake):
    with pytest.raises(RescueError) as exc:
        intake(referral_source="patrol", is_minor=True, capable_adult=False)
    assert set(exc.value.errors) == {"handover_document"}
    assert intake(referral_source="patrol", is_minor=True, capable_adult=False, handover_document="JJ-2025-031").handover_document


def test_a_known_id_number_is_validated_and_links_the_registry_person(intake, household_a):
    person = household_a.head
    bad = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")
    with pytest.raises(RescueError) as exc:
        intake(name="张伟", id_number=bad)
    assert "校验码错误" in exc.value.errors["id_number"][0]
    stay = intake(name="张伟", id_number=person.id_number, physical_description="")
    assert stay.person == person and stay.identity_status == c.IdentityStatus.KNOWN
    assert stay.birth_date == person.birth_date and not stay.birth_date_estimated


def test_a_minor_by_id_number_is_flagged(intake):
    number = make_id_number(birth=dt.date(2012, 4, 1))
    assert intake(name="小明", id_number=number).is_minor


def test_overdue_tracing_lists_notice_after_24_hours_and_dna_after_one_month(intake, staff):
    """2015 opinion: notice within 24 hours, DNA within one month (R22)."""
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    user = staff["a"]

    def kinds(now):
        return [(o.stay.pk, o.kind) for o in selectors.overdue_tracing(user, now=now)]

    assert kinds(at(2025, 3, 2, 9, 30)) == []
    assert kinds(at(2025, 3, 2, 9, 31)) == [(stay.pk, "notice")]
    services.tracing_step_record(acting_user=user, stay_id=stay.pk, kind="notice", done_at=at(2025, 3, 2, 10), done_by="李站",
                                 reference="https://www.zgszrq.com/xxx")
    assert kinds(at(2025, 4, 1, 23, 0)) == []  # 1 April is the last day for the DNA
    assert kinds(at(2025, 4, 2, 0, 1)) == [(stay.pk, "dna")]
    services.tracing_step_record(acting_user=user, stay_id=stay.pk, kind="dna", done_at=at(2025, 4, 1, 15), done_by="瑶海公安分局")
    assert kinds(at(2025, 4, 2, 0, 1)) == []


def test_tracing_step_cannot_precede_arrival(intake, staff):
    stay = intake()
    with pytest.raises(RescueError) as exc:
        services.tracing_step_record(acting_user=staff["a"], stay_id=stay.pk, kind="notice", done_at=at(2025, 2, 28, 9), done_by="李站")
    assert "done_at" in exc.value.errors


def test_settlement_list_from_the_day_after_three_months(intake, staff, household_a):
    """Seed 篇四 二（五）: unidentified and staying over 3 months (arrival 1 March → listed from 2 June)."""
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    intake(name="张伟", id_number=household_a.head.id_number, physical_description="")  # known: never listed
    user = staff["a"]
    assert selectors.settlement_list(user, today=dt.date(2025, 6, 1)) == []
    assert selectors.settlement_list(user, today=dt.date(2025, 6, 2)) == [stay]
    with pytest.raises(RescueError):
        services.settlement_apply(acting_user=user, stay_id=stay.pk, applied_on=dt.date(2025, 6, 1))
    services.settlement_apply(acting_user=user, stay_id=stay.pk, applied_on=dt.date(2025, 6, 2))
    assert selectors.settlement_list(user, today=dt.date(2025, 6, 2)) == []


def test_minor_settlement_path_to_childrens_welfare_and_orphan_benefit(intake, staff, users):
    """R24: station application → civil-affairs plan → government approval → registration; a minor
    goes to a children's welfare institution with the orphan benefit."""
    # given: a boy of about 12, unidentified since 1 March
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30), referral_source="patrol", is_minor=True, capable_adult=False,
                  handover_document="JJ-1", birth_date=dt.date(2013, 1, 1), birth_date_estimated=True)
    case = services.settlement_apply(acting_user=staff["a"], stay_id=stay.pk, applied_on=dt.date(2025, 6, 10))
    county = users["county"]
    # station staff cannot propose the plan
    with pytest.raises(PermissionDenied):
        services.settlement_plan(acting_user=staff["a"], case_id=case.pk, version=case.version, planned_on=dt.date(2025, 6, 20),
                                 outcome="child_welfare", orphan_benefit=True)
    # when: a tekun institution is proposed for a minor, or the orphan benefit is left out
    with pytest.raises(RescueError) as exc:
        services.settlement_plan(acting_user=county, case_id=case.pk, version=case.version, planned_on=dt.date(2025, 6, 20),
                                 outcome="tekun_institution")
    assert "未成年人必须转到儿童福利机构" in exc.value.errors["outcome"][0]
    with pytest.raises(RescueError) as exc:
        services.settlement_plan(acting_user=county, case_id=case.pk, version=case.version, planned_on=dt.date(2025, 6, 20),
                                 outcome="child_welfare", orphan_benefit=False)
    assert "orphan_benefit" in exc.value.errors
    case = services.settlement_plan(acting_user=county, case_id=case.pk, version=1, planned_on=dt.date(2025, 6, 20),
                                    outcome="child_welfare", orphan_benefit=True, institution_name="合肥市儿童福利院")
    # a stale version is refused
    with pytest.raises(RescueError):
        services.settlement_advance(acting_user=county, case_id=case.pk, version=1, day=dt.date(2025, 7, 1))
    case = services.settlement_advance(acting_user=county, case_id=case.pk, version=case.version, day=dt.date(2025, 7, 1))
    assert case.status == c.SettlementStatus.APPROVED
    case = services.settlement_advance(acting_user=county, case_id=case.pk, version=case.version, day=dt.date(2025, 7, 15))
    # then
    stay.refresh_from_db()
    assert case.status == c.SettlementStatus.REGISTERED and case.orphan_benefit
    assert stay.status == c.StayStatus.ENDED and stay.end_reason == c.EndReason.SETTLED
    assert stay.end_destination == "合肥市儿童福利院"


def test_monthly_statement_with_a_care_level_change(intake, staff):
    """R22: the institution's June statement for one person placed on 20 May, partly dependent
    (2 activities unable) until 14 June, fully dependent (4 unable) from 15 June. By hand (see
    test_rules): 2442.00 元."""
    user = staff["a"]
    stay = intake(arrival_at=at(2025, 5, 18, 10))
    inst = services.institution_create(acting_user=user, name="瑶海区社会福利院", kind="welfare", contract_number="TY-2025-01")
    services.rate_set(acting_user=user, institution_id=inst.pk, valid_from=dt.date(2025, 1, 1), bed_fen=60000, care_self_fen=20000,
                      care_partial_fen=90000, care_full_fen=150000, rehab_fen=30000, other_fen=10000, margin_bp=1000)
    services.placement_start(acting_user=user, stay_id=stay.pk, kind="on_site", start_date=dt.date(2025, 5, 18))
    services.placement_start(acting_user=user, stay_id=stay.pk, kind="welfare", start_date=dt.date(2025, 5, 20), institution_id=inst.pk)
    a1 = services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=dt.date(2025, 5, 20),
                                    abilities={"can_bathe": False, "can_walk_indoors": False})
    a2 = services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=dt.date(2025, 6, 15),
                                    abilities={"can_bathe": False, "can_walk_indoors": False, "can_dress": False, "can_toilet": False})
    assert (a1.level, a2.level) == (c.CareLevel.PARTLY_DEPENDENT, c.CareLevel.FULLY_DEPENDENT)
    rows = services.institution_statement(inst, 2025, 6)
    assert [(r["stay"].pk, r["total_fen"]) for r in rows] == [(stay.pk, 244200)]
    # May: 20–31 May partly = 2090 × 12/31 = 809.032… → 809.03 元
    assert [r["total_fen"] for r in services.institution_statement(inst, 2025, 5)] == [80903]


def test_return_home_gives_the_home_office_a_follow_up_task(intake, staff, township_b, users):
    """R23: the returned person enters the home region's register with a first follow-up due."""
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    number = make_id_number(area="340102")
    services.identity_confirm(acting_user=staff["a"], stay_id=stay.pk, id_number=number, name="王大山", home_region_code="340102002001")
    with pytest.raises(RescueError) as exc:
        services.stay_end(acting_user=staff["a"], stay_id=stay.pk, ended_at=at(2025, 3, 5, 10), reason="left_by_choice")
    assert "statement" in exc.value.errors
    services.stay_end(acting_user=staff["a"], stay_id=stay.pk, ended_at=at(2025, 3, 5, 10), reason="returned_home",
                      destination="大兴村3组")
    entry = PreventionEntry.objects.get()
    assert entry.region_code == "340102002001" and entry.category == "returned" and entry.next_due == dt.date(2025, 4, 4)
    # the home township sees the entry and, once overdue, the overdue list; another township does not
    assert list(selectors.prevention_entries(township_b)) == [entry]
    assert list(selectors.overdue_follow_ups(township_b, today=dt.date(2025, 4, 5))) == [entry]
    assert list(selectors.prevention_entries(users["township_a"])) == []
    services.follow_up_record(acting_user=township_b, entry_id=entry.pk, kind="visit", done_on=dt.date(2025, 4, 3), note="已返家，帮助申请临时救助")
    entry.refresh_from_db()
    assert entry.next_due == dt.date(2025, 7, 2)
    # the home office registers the person in the registry through registry.services
    services.stay_register_person(acting_user=township_b, stay_id=stay.pk, village_id=users["village_b"].region_id)
    stay.refresh_from_db()
    assert stay.person.id_number == number and stay.person.household.region_code == "340102002001"


def test_photo_type_is_checked_by_magic_bytes_and_stored_privately(intake, staff, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    stay = intake()
    fake = io.BytesIO(b"GIF89a" + b"\0" * 100)
    fake.size = 106
    with pytest.raises(RescueError) as exc:
        services.stay_photo_add(acting_user=staff["a"], stay_id=stay.pk, upload=fake)
    assert "JPEG" in exc.value.errors["photo"][0]
    big = io.BytesIO(b"\xff\xd8\xff" + b"\0" * 10)
    big.size = services.PHOTO_MAX_BYTES + 1
    with pytest.raises(RescueError):
        services.stay_photo_add(acting_user=staff["a"], stay_id=stay.pk, upload=big)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"x" * 50)
    png.size = 58
    photo = services.stay_photo_add(acting_user=staff["a"], stay_id=stay.pk, upload=png)
    path = services.photo_file(photo)
    assert path.read_bytes().startswith(b"\x89PNG") and str(path).startswith(str(tmp_path))
    assert photo.content_type == "image/png" and StayPhoto.objects.count() == 1
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_patrol_refusal_needs_persuasion_and_contact(staff):
    user = staff["a"]
    patrol = services.patrol_create(acting_user=user, started_at=at(2025, 1, 10, 20), area="胜利路、火车站广场", team="李站、王强")
    base = {"met_at": at(2025, 1, 10, 21), "place": "火车站广场", "description": "男，约40岁，露宿", "action": "refused"}
    with pytest.raises(RescueError) as exc:
        services.encounter_add(acting_user=user, patrol_id=patrol.pk, data=base)
    assert set(exc.value.errors) == {"persuasion", "contact_left"}
    services.encounter_add(acting_user=user, patrol_id=patrol.pk, data=base | {"persuasion": "劝导入站，本人拒绝", "contact_left": True})
    with pytest.raises(RescueError) as exc:
        services.encounter_add(acting_user=user, patrol_id=patrol.pk, data=base | {"action": "escorted"})
    assert "consent_given" in exc.value.errors
    assert selectors.encounters(user).count() == 1
    assert selectors.encounters(staff["b"]).count() == 0


def test_unmet_mandatory_report_is_listed_for_the_supervisor(intake, staff, users):
    """R25: suspected abuse of a minor recorded; a report not made within the limit is listed."""
    stay = intake(referral_source="patrol", is_minor=True, capable_adult=False, handover_document="JJ-2")
    report = services.report_record(acting_user=staff["a"], stay_id=stay.pk, kind="abuse", victim="minor",
                                    noticed_at=at(2025, 3, 1, 10), description="身上多处淤伤，自述被父亲殴打")
    assert selectors.unmet_reports(users["county"], now=at(2025, 3, 2, 9)) == []
    assert selectors.unmet_reports(users["county"], now=at(2025, 3, 2, 11)) == [report]
    services.report_made(acting_user=staff["a"], report_id=report.pk, reported_to="瑶海公安分局", reported_at=at(2025, 3, 1, 15))
    assert selectors.unmet_reports(users["county"], now=at(2025, 3, 2, 11)) == []


def test_other_station_cannot_change_a_stay(intake, staff):
    stay = intake()
    with pytest.raises(NotFound):
        services.tracing_step_record(acting_user=staff["b"], stay_id=stay.pk, kind="notice", done_at=at(2025, 3, 1, 12), done_by="x")
    with pytest.raises(NotFound):
        services.stay_end(acting_user=staff["b"], stay_id=stay.pk, ended_at=at(2025, 3, 1, 12), reason="died")
