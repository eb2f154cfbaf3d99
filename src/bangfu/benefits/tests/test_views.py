"""Benefits pages and API: the due-review worklist, publication (办法 §24), the register, the
household page section; scoping (another village's benefit is absent / answers 404) and export logs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.benefits import services
from bangfu.benefits.choices import ChangeKind, Programme
from bangfu.common.models import AccessLog

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    day = D(2026, 7, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    return day


def login(client, user):
    client.force_login(user)
    return client


def read_xlsx(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


# ----------------------------------------------------------------------------- worklist


def test_worklist_lists_due_reviews_of_the_users_region_oldest_first(client, users, dibao_a, dibao_b, today):
    """On 2026-07-20: dibao_b (class B, due 2026-07-10) is overdue by 10 days; dibao_a (A, due
    2027-01-15) is not due within 30 days. A county officer sees dibao_b; village A's worker sees nothing."""
    html = login(client, users["county"]).get(reverse("benefits:index")).content.decode()
    assert f'name="benefit" value="{dibao_b.pk}"' in html
    assert f'name="benefit" value="{dibao_a.pk}"' not in html
    assert "逾期10天" in html
    assert 'action="/cases/reviews/open/"' in html
    assert "大兴镇" in html  # grouped per office
    html = login(client, users["village_a"]).get(reverse("benefits:index")).content.decode()
    assert f'value="{dibao_b.pk}"' not in html and "没有到期或逾期的复核" in html


def test_worklist_office_filter_and_death(client, users, dibao_a, dibao_b, today):
    """A death in household A on 2026-05-01 makes its review due 2026-08-01: within 30 days of 2026-07-20."""
    services.death_review_schedule(person=dibao_a.household.members.get(name="李娜"), died_on=D(2026, 5, 1))
    c = login(client, users["county"])
    html = c.get(reverse("benefits:index"), {"office": "340102001000"}).content.decode()
    assert f'value="{dibao_a.pk}"' in html and f'value="{dibao_b.pk}"' not in html
    assert "死亡" in html
    html = c.get(reverse("benefits:index"), {"within": "0"}).content.decode()
    assert f'value="{dibao_a.pk}"' not in html and f'value="{dibao_b.pk}"' in html


def test_worklist_export_is_masked_and_logged(client, users, dibao_b, today):
    response = login(client, users["county"]).get(reverse("benefits:due_export"))
    assert response.status_code == 200
    rows = read_xlsx(response.content)
    assert rows[1][3] == "王*"  # 王芳, masked
    assert "王芳" not in str(rows)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT, object_type="benefit_due")
    assert log.user == users["county"] and "1 条" in log.detail


def test_worklist_needs_login_and_a_region(client, users):
    assert client.get(reverse("benefits:index")).status_code == 302
    user = users["partner"]
    user.region = None
    user.save()
    assert login(client, user).get(reverse("benefits:index")).status_code == 403


# ----------------------------------------------------------------------------- publication


def test_publication_masks_names_and_shows_size_and_amount(client, users, dibao_a, dibao_b, today):
    """July 2026: both paid (from Feb). Household A: 张伟 → 张*, 2 persons, 600.00."""
    html = login(client, users["county"]).get(reverse("benefits:publication")).content.decode()
    assert "张*" in html and "王*" in html
    assert "张伟" not in html and "王芳" not in html
    assert "600.00" in html and "450.00" in html
    assert "<td class=\"num\">2</td>" in html


def test_publication_uses_the_amount_of_the_month_and_leaves_out_the_stopped(client, users, dibao_a, dibao_b, today):
    """Raise decided 2026-05-20 (750.00 from June): April shows 600.00, June 750.00; dibao_b
    stopped 2026-03-05 is published for March but not April (paid through March)."""
    services.benefit_change(acting_user=users["county"], benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 5, 20), case_id=None,
                    monthly_amount_fen=75000)
    services.benefit_change(acting_user=users["county"], benefit=dibao_b, kind=ChangeKind.STOP, decided_on=D(2026, 3, 5), case_id=None)
    c = login(client, users["county"])
    april = c.get(reverse("benefits:publication"), {"month": "2026-04"}).content.decode()
    june = c.get(reverse("benefits:publication"), {"month": "2026-06"}).content.decode()
    march = c.get(reverse("benefits:publication"), {"month": "2026-03"}).content.decode()
    assert "600.00" in april and "750.00" not in april and "王*" not in april
    assert "750.00" in june
    assert "王*" in march


def test_publication_is_scoped_and_filtered_by_area(client, users, dibao_a, dibao_b, today):
    html = login(client, users["village_a"]).get(reverse("benefits:publication")).content.decode()
    assert "张*" in html and "王*" not in html
    # asking for another village's code gives nothing, not its recipients
    html = client.get(reverse("benefits:publication"), {"area": "340102002001"}).content.decode()
    assert "王*" not in html
    html = login(client, users["county"]).get(reverse("benefits:publication"), {"area": "340102002000"}).content.decode()
    assert "王*" in html and "张*" not in html


def test_publication_export_is_logged(client, users, dibao_a, today):
    response = login(client, users["township_a"]).get(reverse("benefits:publication_export"), {"month": "2026-07"})
    rows = read_xlsx(response.content)
    assert rows[1][1:] == ["张*", 2, "低保", 600.0]
    assert AccessLog.objects.filter(object_type="benefit_publication", user=users["township_a"]).count() == 1


def test_publication_rejects_a_bad_month(client, users, today):
    html = login(client, users["county"]).get(reverse("benefits:publication"), {"month": "2026-13"}).content.decode()
    assert "请按“年-月”填写月份" in html


# ----------------------------------------------------------------------------- register


def test_register_totals_per_township_and_programme(client, users, dibao_a, dibao_b, household_a, today):
    """July 2026: 明光路街道 dibao 1 × 600.00 + tekun 1 × 800.00; 大兴镇 dibao 1 × 450.00; temporary
    assistance 1 × 1500.00 approved in July in 明光路街道. Grand total 3350.00."""
    services.benefit_grant(acting_user=users["county"], household=household_a, programme=Programme.TEKUN, monthly_amount_fen=80000,
                   approved_on=D(2026, 6, 2), case_id=None, person=household_a.members.get(name="李娜"))
    services.one_off_payment_create(acting_user=users["county"], household=household_a, amount_fen=150000, approved_on=D(2026, 7, 3), case_id=None,
                      kind="emergency")
    c = login(client, users["county"])
    html = c.get(reverse("benefits:register"), {"month": "2026-07"}).content.decode()
    assert "3,350.00" in html
    response = c.get(reverse("benefits:register_export"), {"month": "2026-07"})
    rows = read_xlsx(response.content)
    body = [r[:5] for r in rows[1:5]]
    assert body == [
        ["明光路街道", "340102001000", "低保", 1, 600.0],
        ["明光路街道", "340102001000", "特困供养", 1, 800.0],
        ["明光路街道", "340102001000", "临时救助", 1, 1500.0],
        ["大兴镇", "340102002000", "低保", 1, 450.0],
    ]
    assert rows[5][4] == 3350.0
    # June: the tekun starts in July, no temporary assistance; village A's worker sees only A
    html = login(client, users["village_a"]).get(reverse("benefits:register"), {"month": "2026-06"}).content.decode()
    assert "600.00" in html and "450.00" not in html and "800.00" not in html


# ----------------------------------------------------------------------------- household page


def test_household_page_shows_benefits_and_history(client, users, dibao_a):
    services.benefit_change(acting_user=users["county"], benefit=dibao_a, kind=ChangeKind.LOWER, decided_on=D(2026, 3, 3), case_id=44,
                    monthly_amount_fen=40000)
    html = login(client, users["village_a"]).get(reverse("registry:household_detail", args=[dibao_a.household_id])).content.decode()
    assert "救助待遇" in html and "减发" in html and "批准享受" in html
    assert "2026-02 — 2026-03" in html and "400.00" in html
    assert "2027-01-15" in html


# ----------------------------------------------------------------------------- API


def test_api_household_benefits_is_scoped(client, users, dibao_a, dibao_b):
    c = login(client, users["village_a"])
    data = c.get(f"/api/benefits/households/{dibao_a.household_id}").json()
    assert data[0]["programme"] == "dibao" and data[0]["amounts"][0]["kind"] == "grant"
    assert c.get(f"/api/benefits/households/{dibao_b.household_id}").status_code == 404
    assert c.get("/api/benefits/households/999999").status_code == 404


def test_api_due_list_is_scoped_and_masked(client, users, dibao_a, dibao_b):
    data = login(client, users["county"]).get("/api/benefits/due", {"as_of": "2026-07-20"}).json()
    assert [d["id"] for d in data] == [dibao_b.pk]
    assert data[0]["holder"] == "王*"
    assert login(client, users["village_a"]).get("/api/benefits/due", {"as_of": "2027-01-01"}).json()[0]["id"] == dibao_a.pk
    assert login(client, users["village_b"]).get("/api/benefits/due", {"as_of": "2026-01-01"}).json() == []


# ----------------------------------------------------------------------------- query counts, English


@pytest.mark.parametrize("count", [2, 12])
def test_page_query_counts_do_not_grow_with_rows(client, users, regions, count, today, django_assert_max_num_queries):
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import household_create

    for i in range(count):
        h = household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk,
                             members=[person_data(f"户主{i}"), person_data(f"成员{i}", "spouse", sex="F")])
        services.benefit_grant(acting_user=users["county"], household=h, programme=Programme.DIBAO, monthly_amount_fen=10000 + i,
                       approved_on=D(2025, 7, 1), case_id=None, review_class="A")
    c = login(client, users["county"])
    for url in (reverse("benefits:index"), reverse("benefits:publication"), reverse("benefits:register")):
        c.get(url)
        with django_assert_max_num_queries(8):
            response = c.get(url)
        assert response.status_code == 200
    assert "户主11" in c.get(reverse("benefits:index")).content.decode() or count == 2


def test_worklist_in_english(client, users, dibao_b, today):
    html = login(client, users["county"]).get(reverse("benefits:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reviews due" in html and "overdue 10 days" in html and "Start reviews for the selected households" in html
