"""English mode (issue 11): with stays at two stations and a returnee in village B, the rescue pages
(lists, a stay, forms submitted with errors, refused actions), the exports and the API show no
Chinese outside data (names, places, stations, institutions, what the staff wrote)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation

from bangfu_testing import english
from bangfu_testing.english import EN, api_text, assert_no_cjk, read_xlsx
from bangfu_testing.factories import make_id_number
from bangfu.common.errors import DomainError
from bangfu.rescue import services

from .conftest import at

pytestmark = pytest.mark.django_db


def data_strings() -> set[str]:
    """The data of the test database, and the names of the stays (an unidentified person's
    placeholder name is on file too), the stations and the institutions."""
    from bangfu.rescue.models import Institution, RescueStation, Stay

    return english.data_strings(*(model.objects.values_list("name", flat=True) for model in (Stay, RescueStation, Institution)))


ENGLISH_INTAKE = {"physical_description": "Man, about 50, 170 cm, scar on the left hand", "language": "Northern Anhui accent",
                  "belongings": "A blue cloth bag"}


@pytest.fixture
def rescue(intake, staff, stations):
    """Recorded by staff using English: an unidentified stay in station A with a placement, its
    institution and assessments; a returnee to village B; a stay in station B."""
    user = staff["a"]
    with translation.override("en"):
        stay = intake(arrival_at=at(2025, 5, 18, 10), **ENGLISH_INTAKE)
        inst = services.institution_create(acting_user=user, name="瑶海区社会福利院", kind="welfare")
        services.rate_set(acting_user=user, institution_id=inst.pk, valid_from=dt.date(2025, 1, 1), bed_fen=60000, care_self_fen=20000,
                          care_partial_fen=90000, care_full_fen=150000, rehab_fen=30000, other_fen=10000, margin_bp=1000)
        services.placement_start(acting_user=user, stay_id=stay.pk, kind="welfare", start_date=dt.date(2025, 5, 20), institution_id=inst.pk)
        services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=dt.date(2025, 5, 20), abilities={"can_bathe": False})
        returnee = intake(arrival_at=at(2025, 3, 1, 9, 30), **ENGLISH_INTAKE)
        services.identity_confirm(acting_user=user, stay_id=returnee.pk, id_number=make_id_number(), name="王大山",
                                  home_region_code="340102002001")
        services.service_add(acting_user=user, stay_id=returnee.pk, kind="return_travel", start_date=dt.date(2025, 3, 5), cost_fen=12550)
        services.stay_end(acting_user=user, stay_id=returnee.pk, ended_at=at(2025, 3, 5, 10), reason="returned_home")
        other = intake(user=staff["b"], arrival_at=at(2025, 4, 2, 10), **ENGLISH_INTAKE)
    return {"stay": stay, "institution": inst, "returnee": returnee, "other": other}


def test_rescue_pages_and_exports_in_english(client, rescue, staff, users, township_b):
    data = data_strings()
    for user in (staff["a"], users["county"], township_b):
        client.force_login(user)
        for url in (reverse("rescue:index"), reverse("rescue:index") + "?status=all", reverse("rescue:worklists"),
                    reverse("rescue:prevention"), reverse("rescue:patrols"), reverse("rescue:statistics") + "?year=2025",
                    reverse("rescue:statement") + f"?institution={rescue['institution'].pk}&month=2025-06"):
            response = client.get(url, **EN)
            assert response.status_code == 200, (user, url)
            assert_no_cjk(response.content.decode(), data)
    client.force_login(staff["a"])
    for stay in (rescue["stay"], rescue["returnee"]):
        response = client.get(reverse("rescue:stay_detail", args=[stay.pk]), **EN)
        assert response.status_code == 200
        assert_no_cjk(response.content.decode(), data)
    response = client.get(reverse("rescue:stay_new"), **EN)
    assert_no_cjk(response.content.decode(), data)
    for url in (reverse("rescue:statistics") + "?year=2025&format=xlsx",
                reverse("rescue:statement") + f"?institution={rescue['institution'].pk}&month=2025-06&format=xlsx"):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response["Content-Disposition"] + "\n" + read_xlsx(response.content), data)


def test_rescue_forms_with_errors_and_refused_actions_in_english(client, rescue, staff):
    data = data_strings()
    client.force_login(staff["a"])
    # intake: the consent rule, and an empty form
    for post in ({"arrival_at": "2025-03-01T09:30", "referral_source": "police", "sex": "M", "capable_adult": "on", "escorted": "on",
                  "physical_description": "Man, about 40"}, {}):
        response = client.post(reverse("rescue:stay_new"), post, **EN)
        assert response.status_code in (200, 400)
        assert_no_cjk(response.content.decode(), data)
    stay = rescue["stay"]
    for action, post in (("tracing", {"tracing-kind": "", "tracing-done_at": "2020-01-01T00:00"}),
                         ("identity", {"identity-name": "x", "identity-id_number": "123", "identity-home_region_code": "999"}),
                         ("service", {"service-kind": "food", "service-start_date": "2020-01-01", "service-cost_fen": "-1"}),
                         ("end", {"end-ended_at": "2020-01-01T00:00", "end-reason": "voluntary"}),
                         ("settlement_apply", {"settlement_apply-applied_on": "2025-05-19"}),
                         ("report", {"report-kind": "", "report-description": ""}),
                         ("photo", {"photo-photo": io.BytesIO(b"GIF89a")})):
        response = client.post(reverse("rescue:stay_action", args=[stay.pk, action]), post, **EN)
        assert response.status_code in (200, 400), action
        assert_no_cjk(response.content.decode(), data)
    # refused: a stay that has left, another station's stay
    for pk in (rescue["returnee"].pk, rescue["other"].pk):
        response = client.post(reverse("rescue:stay_action", args=[pk, "end"]),
                               {"end-ended_at": "2025-06-01T10:00", "end-reason": "returned_home"}, **EN)
        assert response.status_code in (200, 400, 404)
        assert_no_cjk(response.content.decode(), data)


def test_refused_rescue_writes_are_explained_in_english(rescue, staff, users):
    data = data_strings()
    with translation.override("en"):
        for call in (lambda: services.stay_end(acting_user=staff["a"], stay_id=rescue["returnee"].pk, ended_at=at(2025, 6, 1, 10),
                                               reason="returned_home"),
                     lambda: services.settlement_apply(acting_user=staff["a"], stay_id=rescue["stay"].pk, applied_on=dt.date(2025, 5, 19)),
                     lambda: services.institution_statement(rescue["institution"], 2020, 1),
                     lambda: services.stay_create(acting_user=users["village_a"], data={})):
            with pytest.raises(DomainError) as refused:  # RescueError, or NotPermitted for the village worker
                call()
            assert_no_cjk(str(refused.value), data)


def test_rescue_api_in_english(client, rescue, staff, users):
    data = data_strings()
    for user, url in ((staff["a"], "/api/rescue/stays?status=all"), (staff["a"], f"/api/rescue/stays/{rescue['stay'].pk}"),
                      (staff["a"], f"/api/rescue/stays/{rescue['other'].pk}"), (users["village_a"], "/api/rescue/stays")):
        assert_no_cjk(api_text(client, user, url), data)
