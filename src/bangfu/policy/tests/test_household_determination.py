"""The panel "政策测评" on the household page (issue 3 "Output": "The household page shows it").

Hand computation: household_a (conftest) lives in 胜利社区 of 瑶海区, 合肥市 (3401); its two
members are 46 years old on the dates used (born 1980-05-17), so no A/B supplement applies (R14).
The head earns 600.00 元 a month from 2024-01-01. 合肥's rural standard in defaults.yaml is
880.00 元 from 2024-07-01; before that the national 600.00 元 (2024) applies.
R11 / 暂行办法 §12: amount = standard × 2 − 600.00, rounded up to the yuan.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.common.models import AccessLog
from bangfu.policy.engine import SchemaError
from bangfu.policy.services import parameter_value_create
from bangfu.registry.models import Household
from bangfu_testing.browser import SCREENSHOTS, log_in

pytestmark = pytest.mark.django_db


def get_page(client, household, **query):
    return client.get(f"/registry/households/{household.pk}/", query)


def get_panel(client, household, **query):
    return client.get(f"/policy/households/{household.pk}/determination/", query)


class TestPanel:
    def test_page_shows_the_hand_computed_amount_and_reasons(self, client, users, earning):
        # given
        client.force_login(users["village_a"])
        # when: 2025-08-01, 合肥 rural standard 880.00: 880.00 × 2 − 600.00 = 1,160.00
        response = get_page(client, earning, on="2025-08-01")
        # then
        html = response.content.decode()
        assert response.status_code == 200
        assert "政策测评" in html and 'id="determination"' in html
        assert "符合低保条件" in html
        assert "1,160.00" in html
        assert "家庭月人均收入 300.00 元，低于当地农村低保标准 880.00 元（农村低保标准，自 2024-07-01 起，依据合肥市城乡低保标准" in html
        # R16: a working-age member able to work and a wage (not a stable kind) → B, every 6 months
        assert "B类（每半年核查）" in html and "下次核查 2026-02-01" in html
        assert "张伟" in html and "李娜" in html

    def test_today_by_default(self, client, users, earning):
        client.force_login(users["village_a"])
        html = get_page(client, earning).content.decode()
        from django.utils import timezone

        assert f"测评日期 {timezone.localdate():%Y-%m-%d}" in html
        assert "1,160.00" in html  # 880.00 has no end date in the defaults

    def test_past_date_uses_the_value_then_in_force(self, client, users, earning):
        # given: the county (瑶海区) sets its own 900.00 from 2026-01-01, overriding the city
        parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340102",
                               valid_from=dt.date(2026, 1, 1), valid_to=None, value="900.00",
                               citation_document="瑶海区文件", citation_article="第二条")
        client.force_login(users["village_a"])
        # then: 900.00 × 2 − 600.00 = 1,200.00 from that day; the city's 880.00 before it
        after = get_panel(client, earning, on="2026-03-01").content.decode()
        assert "1,200.00" in after and "自 2026-01-01 起，依据瑶海区文件第二条" in after
        before = get_panel(client, earning, on="2025-12-31").content.decode()
        assert "1,160.00" in before and "880.00" in before
        # and in early 2024 the national 600.00: 600.00 × 2 − 600.00 = 600.00
        early = get_panel(client, earning, on="2024-03-01").content.decode()
        assert "低于当地农村低保标准 600.00 元" in early and "<strong class=\"amount\">600.00</strong>" in early

    def test_fragment_is_the_panel_alone_and_logged(self, client, users, earning):
        client.force_login(users["village_a"])
        response = get_panel(client, earning, on="2025-08-01")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith("<section") and "<html" not in html
        assert AccessLog.objects.filter(object_id=str(earning.pk), detail="政策测评 2025-08-01").exists()

    def test_bad_date_falls_back_to_today_with_a_message(self, client, users, earning):
        client.force_login(users["village_a"])
        html = get_panel(client, earning, on="2025-13-01").content.decode()
        assert "测评日期“2025-13-01”应为 YYYY-MM-DD 格式，已按今天测评" in html
        assert "1,160.00" in html

    def test_no_value_in_force_is_a_message_not_an_error(self, client, users, earning):
        client.force_login(users["village_a"])
        response = get_page(client, earning, on="2023-06-01")  # the standards start in 2024
        html = response.content.decode()
        assert response.status_code == 200
        assert "无法测评：参数" in html and "没有有效取值" in html

    def test_data_the_engine_cannot_judge_is_a_message(self, client, users, earning, monkeypatch):
        # given: the engine names what is wrong with the household's data (SchemaError)
        def refused(*args, **kwargs):
            raise SchemaError("persons.birth_date 缺失")

        monkeypatch.setattr("bangfu.policy.assessment.assess", refused)
        client.force_login(users["village_a"])
        # when
        response = get_page(client, earning)
        # then: the page opens and the panel says why
        assert response.status_code == 200
        assert "无法测评：persons.birth_date 缺失" in response.content.decode()

    def test_an_engine_bug_is_not_hidden(self, client, users, earning, monkeypatch):
        # given: a failure the engine does not name (a bug) — no broad except swallows it
        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr("bangfu.policy.assessment.assess", broken)
        client.force_login(users["village_a"])
        # when / then: it reaches the error page (and the log), not a vague panel message
        with pytest.raises(RuntimeError, match="boom"):
            get_page(client, earning)

    def test_inactive_household_is_not_judged(self, client, users, earning):
        Household.objects.filter(pk=earning.pk).update(status="cancelled")
        client.force_login(users["village_a"])
        html = get_page(client, earning).content.decode()
        assert "该户不是在册家庭" in html

    def test_query_count_is_bounded(self, client, users, earning, django_assert_max_num_queries):
        client.force_login(users["village_a"])
        get_page(client, earning)  # warm the parameter cache
        # the panel adds 8 to the page: the loader's 7 SELECTs (one per engine table) and the
        # parameter version; the member names come from the page's own member list
        with django_assert_max_num_queries(31) as page_queries:  # 27 at the time of writing
            assert get_page(client, earning).status_code == 200
        loader = [q for q in page_queries.captured_queries if " AS household_id" in q["sql"] or "parametervalue" in q["sql"]]
        assert len(loader) == 8
        # the fragment: session, user, user's region, household, access log, loader ×7, version, names
        with django_assert_max_num_queries(14):
            get_panel(client, earning)


class TestScoping:
    def test_other_village_is_404(self, client, users, earning):
        client.force_login(users["village_b"])
        assert get_page(client, earning).status_code == 404
        assert get_panel(client, earning).status_code == 404

    def test_township_and_county_see_it(self, client, users, earning):
        for key in ("township_a", "county"):
            client.force_login(users[key])
            assert "1,160.00" in get_panel(client, earning, on="2025-08-01").content.decode()

    def test_anonymous_is_sent_to_login(self, client, earning):
        response = get_panel(client, earning)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_panel_reloads_for_another_date(page, earning, users):  # noqa: F811
    from playwright.sync_api import expect

    worker = users["village_a"]
    log_in(page, worker)
    page.goto(f"/registry/households/{earning.pk}/")
    panel = page.locator("#determination")
    expect(panel).to_contain_text("政策测评")
    expect(panel.locator(".amount")).to_have_text("1,160.00")
    # htmx swaps the panel alone; the page address stays the household's
    page.locator("#determination-on").fill("2024-03-01")
    page.get_by_role("button", name="重新测评").click()
    expect(panel).to_contain_text("测评日期 2024-03-01")
    expect(panel.locator(".amount")).to_have_text("600.00")
    expect(panel).to_contain_text("低于当地农村低保标准 600.00 元")
    assert page.url.endswith(f"/registry/households/{earning.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "policy_household_panel.png"), full_page=True)


def test_registry_imports_nothing_from_policy():
    """The panel is policy's (template tag + include): registry → policy is the only arrow."""
    import ast
    from pathlib import Path

    registry = Path(__file__).resolve().parents[2] / "registry"
    offenders = []
    for path in registry.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n == "bangfu.policy" or n.startswith("bangfu.policy.")]
    assert offenders == []
