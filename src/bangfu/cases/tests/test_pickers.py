"""Pick, don't type (issue 17): the application form picks the household and the member, 受理
picks the household, and the public form picks the township and then the village. The posted value
is still the number (or the code), checked as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bangfu.cases.models import Case

pytestmark = pytest.mark.django_db


def test_create_form_renders_pickers_and_takes_the_numbers(client, household_a, staff):
    # given a village worker on /cases/new/
    client.force_login(staff["village_a"])
    body = client.get(reverse("cases:case_create")).content.decode()
    # then the household and the member are number inputs with a search box (hidden until the
    # script shows it), the member's search sending the household
    assert re.search(r'<input type="text" name="household"[^>]*id="id_household"', body)
    assert 'data-picker-url="/registry/pick/households/"' in body
    assert 'data-picker-url="/registry/pick/persons/" data-picker-depends="household"' in body
    assert '<label for="id_household_q">' in body and 'aria-controls="id_household_results"' in body
    # when the picked numbers are posted
    member = household_a.members.exclude(pk=household_a.head_id).get()
    response = client.post(reverse("cases:case_create"), {"case_type": "dibao_individual", "household": household_a.pk,
                                                          "person": member.pk, "applied_on": "2025-06-09"})
    # then the case is registered for them
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.household == household_a and case.person == member


def test_create_form_still_checks_scope_and_membership(client, household_a, household_b, staff):
    client.force_login(staff["village_a"])
    response = client.post(reverse("cases:case_create"), {"case_type": "dibao", "household": household_b.pk})
    assert "不在您的辖区" in response.content.decode()
    response = client.post(reverse("cases:case_create"), {"case_type": "tekun", "household": household_a.pk,
                                                          "person": household_b.head_id})
    assert "该成员不属于此家庭" in response.content.decode()
    assert not Case.objects.exists()


def test_accept_panel_picks_the_household(client, household_a, staff, regions):
    from bangfu.cases import services
    from bangfu_testing.factories import make_id_number

    case = services.online_application_create(
        ip="10.0.0.1", case_type="dibao", region=regions["village_b"], applicant_name="无档案",
        applicant_id_number=make_id_number(seq=401), applicant_phone="13800000000", address="x", statement="y")
    client.force_login(staff["township_b"])
    body = client.get(case.get_absolute_url()).content.decode()
    assert re.search(r'name="accept-household_id"[^>]*class="picker-value"|class="picker-value"[^>]*name="accept-household_id"', body)
    assert 'data-picker-url="/registry/pick/households/"' in body


# ----------------------------------------------------------------------------- public cascade


def test_public_form_offers_townships_and_their_villages(client, regions):
    body = client.get(reverse("cases:apply")).content.decode()
    assert 'name="township"' in body and regions["township_a"].name in body
    assert 'hx-get="/cases/apply/villages/"' in body and 'hx-target="#id_village"' in body
    # the village select starts empty: no code to type
    assert regions["village_a"].code not in body
    options = client.get(reverse("cases:apply_villages"), {"township": regions["township_a"].code}).content.decode()
    assert regions["village_a"].code in options and regions["village_a2"].code in options
    assert regions["village_b"].code not in options
    assert regions["village_a"].code not in client.get(reverse("cases:apply_villages"), {"township": "x"}).content.decode()


def test_public_form_without_javascript_lists_the_villages(client, regions):
    response = client.post(reverse("cases:apply"), {"township": regions["township_b"].code, "list_villages": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert f'<option value="{regions["village_b"].code}">' in body
    assert 'role="alert"' not in body  # shown again, not checked


def test_public_form_registers_the_picked_village(client, household_a, regions):
    head = household_a.head
    data = {"case_type": "dibao", "township": regions["township_a"].code, "village": regions["village_a"].code,
            "applicant_name": head.name, "applicant_id_number": head.id_number, "applicant_phone": "13800000000",
            "address": "胜利路1号", "statement": "无收入"}
    wrong = client.post(reverse("cases:apply"), {**data, "township": regions["township_b"].code})
    assert wrong.status_code == 400 and "不属于所选乡镇" in wrong.content.decode()
    response = client.post(reverse("cases:apply"), data)
    assert response.status_code == 302
    assert Case.objects.get().region_code == regions["village_a"].code
