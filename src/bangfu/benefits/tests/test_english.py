"""English mode (issue 11): with benefits in two villages, the benefits pages, their exports, the API
and the refusals of the services show no Chinese outside data (names, addresses, region names)."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bangfu.benefits import services
from bangfu.benefits.choices import ChangeKind, OneOffKind, Programme
from bangfu.benefits.masking import mask_name

D = dt.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LANGUAGE_NAMES = ["简体中文"]  # the language switcher names each language in itself


def data_strings(*extra: str) -> list[str]:
    """What the users entered: region, person and household names and addresses (and masked names)."""
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household, Person

    data = set(extra) | set(LANGUAGE_NAMES)
    for name, full in Region.objects.values_list("name", "full_name"):
        data |= {name, full}
    for name in Person.objects.values_list("name", flat=True):
        data |= {name, mask_name(name)}
    data |= set(Household.objects.values_list("address", flat=True))
    return sorted((s for s in data if s), key=len, reverse=True)


def assert_no_cjk(text: str, data: list[str]) -> None:
    text = html.unescape(text)
    for s in data:
        text = text.replace(s, "")
    left = sorted({line.strip() for line in text.splitlines() if CJK.search(line)})
    assert not left, "untranslated:\n" + "\n".join(left)


def section(page: str, element_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', page, re.S)
    assert found, element_id
    return found.group(0)


def read_xlsx(content: bytes) -> str:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return "\n".join(" | ".join(str(c) for c in row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())


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
    assert message and not CJK.search(message), message
