"""English mode (issue 11): with benefits in two villages, the benefits pages, their exports, the API
and the refusals of the services show no Chinese outside data (names, addresses, region names)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bangfu_testing import english
from bangfu_testing.english import EN, IDEOGRAPHS, assert_no_cjk, read_xlsx, section
from bangfu.benefits import services
from bangfu.benefits.choices import ChangeKind, OneOffKind, Programme
from bangfu.benefits.masking import mask_name

D = dt.date
pytestmark = pytest.mark.django_db


def data_strings() -> set[str]:
    """The data of the test database, and the masked names the publication shows."""
    from bangfu.registry.models import Person

    return english.data_strings(mask_name(name) for name in Person.objects.values_list("name", flat=True))


@pytest.fixture
def today(monkeypatch):
    day = D(2026, 7, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    return day


def test_benefit_pages_and_exports_in_english(client, users, dibao_a, dibao_b, today):
    # given: a death, recorded by a worker using English, makes A's review due; B is overdue
    with translation.override("en"):
        services.death_review_schedule(person=dibao_a.household.members.get(name="李娜"), died_on=D(2026, 5, 1))
    client.force_login(users["county"])
    data = data_strings()
    # when / then
    for url in (reverse("benefits:index"), reverse("benefits:publication"), reverse("benefits:register"),
                reverse("benefits:publication") + "?month=2026-02", reverse("benefits:register") + "?month=2026-02",
                reverse("benefits:index") + "?within=abc"):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response.content.decode(), data)
    # the household page is the registry's; the benefits section on it is this app's
    page = client.get(reverse("registry:household_detail", args=[dibao_a.household_id]), **EN).content.decode()
    assert_no_cjk(section(page, "benefits"), data)
    for url in (reverse("benefits:due_export"), reverse("benefits:publication_export") + "?month=2026-02",
                reverse("benefits:register_export") + "?month=2026-02"):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response["Content-Disposition"], data)
        assert_no_cjk(read_xlsx(response.content), data)


def test_benefit_api_in_english(client, users, dibao_a, dibao_b, today):
    data = data_strings()
    client.force_login(users["village_a"])
    for url in (f"/api/benefits/households/{dibao_a.household_id}", f"/api/benefits/households/{dibao_b.household_id}",
                "/api/benefits/due?as_of=2027-01-01", "/api/benefits/due?within_days=999", "/api/benefits/due?as_of=x"):
        response = client.get(url, **EN)
        assert_no_cjk(json.dumps(response.json(), ensure_ascii=False), data)


@pytest.mark.parametrize("call", [
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind="nonsense", decided_on=D(2026, 7, 1), case_id=None),
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind=ChangeKind.RAISE, decided_on=D(2026, 7, 1), case_id=None,
                                 monthly_amount_fen=100),
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind=ChangeKind.LOWER, decided_on=D(2026, 7, 1), case_id=None,
                                 monthly_amount_fen=90000),
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind=ChangeKind.RAISE, decided_on=D(2026, 7, 1), case_id=None,
                                 monthly_amount_fen=-5),
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 7, 1), case_id=None,
                                 exit_months=99),
    lambda b, u: services.benefit_change(acting_user=u, benefit=b, kind=ChangeKind.UNCHANGED, decided_on=D(2025, 1, 1), case_id=None),
    lambda b, u: services.benefit_grant(acting_user=u, household=b.household, programme=Programme.DIBAO, monthly_amount_fen=100,
                                approved_on=D(2026, 7, 1), case_id=None),
    lambda b, u: services.benefit_grant(acting_user=u, household=b.household, programme=Programme.TEMPORARY, monthly_amount_fen=100,
                                approved_on=D(2026, 7, 1), case_id=None),
    lambda b, u: services.benefit_grant(acting_user=u, household=b.household, programme=Programme.DIBAO, monthly_amount_fen=1.5,
                                approved_on=D(2026, 7, 1), case_id=None),
    lambda b, u: services.one_off_payment_create(acting_user=u, household=b.household, kind="x", amount_fen=100, approved_on=D(2026, 7, 1),
                                   case_id=None),
    lambda b, u: services.one_off_payment_create(acting_user=u, household=b.household, kind=OneOffKind.EMERGENCY, amount_fen=0,
                                   approved_on=D(2026, 7, 1), case_id=None),
], ids=["kind", "raise", "lower", "negative", "exit", "date", "twice", "temporary", "float", "one-off-kind", "one-off-zero"])
def test_refused_benefit_decisions_are_explained_in_english(users, dibao_a, call):
    with translation.override("en"), pytest.raises(services.BenefitError) as refused:
        call(dibao_a, users["county"])
    message = str(refused.value)
    assert message and not IDEOGRAPHS.search(message), message
