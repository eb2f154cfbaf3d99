"""`bangfu demo-setup` (make demo): every workflow app shows a row to the demo login it is for,
and a second run creates nothing (idempotent)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COUNTY = "341122"  # 来安县, the Makefile's DEMO_COUNTY


def _counts() -> dict[str, int]:
    """Rows of every table the demo data reaches (read only)."""
    from bangfu.accounts.models import User
    from bangfu.benefits.models import Benefit, BenefitAmount, OneOffPayment
    from bangfu.cases.models import Case, CaseEvent
    from bangfu.matching.models import Finding, ImportBatch
    from bangfu.outreach.models import Campaign, Helper, Pairing, Visit
    from bangfu.registry.models import Classification, Household
    from bangfu.rescue.models import Institution, InstitutionRate, RescueStation, StationStaff, Stay, TracingStep

    models = (User, Household, Classification, Benefit, BenefitAmount, OneOffPayment, Case, CaseEvent, Helper, Pairing,
              Visit, Campaign, RescueStation, StationStaff, Institution, InstitutionRate, Stay, TracingStep, ImportBatch,
              Finding)
    return {m.__name__: m.objects.count() for m in models}


def _page(username: str, url: str) -> str:
    from django.test import Client

    from bangfu.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url, follow=True)
    assert response.status_code == 200, (username, url, response.status_code)
    return response.content.decode()


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True  # demo-setup runs only in debug mode (demo.guard), as `make demo` sets
    out = io.StringIO()
    call_command("demo_setup", county=COUNTY, households=1200, seed=7, stdout=out)
    return out.getvalue()


def test_every_demo_login_sees_its_app_working(demo):
    """Each app's main page, for the login it is meant for, shows demo rows."""
    import datetime as dt

    from bangfu.benefits.models import Benefit
    from bangfu.cases.models import Case
    from bangfu.matching.models import Finding, ImportBatch
    from bangfu.outreach.models import Campaign, Pairing
    from bangfu.rescue.models import Stay

    for name in ("village", "township", "county", "partner", "auditor", "station", "helper", "admin"):
        assert f"  {name} " in demo, f"login {name} printed"

    # cases: one row in each office's inbox (village: documents to supply; county: decision due)
    by_state = {c.state: c for c in Case.objects.all()}
    assert set(by_state) == {"submitted", "documents_requested", "notice", "awaiting_decision", "paid_first"}
    assert by_state["documents_requested"].applicant_name in _page("village", "/cases/")
    township_inbox = _page("township", "/cases/")
    assert by_state["submitted"].applicant_name in township_inbox
    assert by_state["notice"].applicant_name in township_inbox
    assert by_state["awaiting_decision"].applicant_name in _page("county", "/cases/")

    # benefits: granted to the registry's dibao/tekun households; some reviews are due
    assert Benefit.objects.exists()
    due = Benefit.objects.filter(next_review_date__lte=dt.date.today()).order_by("next_review_date", "pk").first()
    assert due is not None, "some reviews are due"
    assert f'name="benefit" value="{due.pk}"' in _page("county", "/benefits/")
    assert "<tr><td>" in _page("township", "/benefits/publication/")
    _check_tekun_amounts()

    # outreach: the helper login sees its own pairings; one pairing is behind on visits
    pairings = list(Pairing.objects.order_by("pk"))
    assert [p.visits.count() for p in pairings] == [2, 2, 0], "the third pairing is behind on visits (R8)"
    mine = _page("helper", "/outreach/")  # a helper is sent to their to-do list
    assert f'id="todo-{pairings[0].pk}"' in mine
    assert f"/outreach/pairings/{pairings[1].pk}/" in _page("village", "/outreach/pairings/")
    assert Campaign.objects.get().name in _page("village", "/outreach/campaigns/")

    # rescue: both stays on the station's list, the unidentified one with a tracing step
    stays = list(Stay.objects.order_by("pk"))
    assert [s.identity_status for s in stays] == ["known", "unidentified"]
    assert stays[1].tracing_steps.filter(kind="notice").exists() and not stays[0].tracing_steps.exists()
    station_page = _page("station", "/rescue/")
    assert all(s.station_number in station_page for s in stays)

    # matching: the death list and its findings
    batch = ImportBatch.objects.get()
    assert Finding.objects.filter(batch=batch).count() == 3
    assert batch.source in _page("county", "/matching/")


def _check_tekun_amounts():
    """Issue 14: the demo paid tekun at 100 × the right amount (94,900.00 元/月 for 949.00). The
    amount is basic living + care (国发〔2016〕14号 二、（三）), in fen: basic = ceil(1.3 × the dibao
    standard) to the yuan (no basic standard set in the shipped parameters), care = the care
    standard of the person's level (six activities: 0 unable 全自理, 1–3 半护理, ≥ 4 全护理) and mode."""
    from bangfu.benefits.models import BenefitAmount
    from bangfu.policy.current import current_parameter_set

    ps = current_parameter_set()
    grants = list(BenefitAmount.objects.filter(programme="tekun", kind="grant").select_related("benefit__household", "benefit__person"))
    assert grants, "the demo grants tekun"
    for row in grants:
        b = row.benefit
        standard = ps.value(f"dibao_standard_{b.household.hukou_type}", b.region_code, row.decided_on)
        basic = -(-standard * 13 // 1000) * 100  # ceil(1.3 × standard fen / 100) yuan, in fen
        unable = sum(not getattr(b.person, f) for f in ("can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe"))
        level = "full" if unable >= 4 else "partial" if unable >= 1 else "self_care"
        care = ps.value(f"tekun_care_{b.support_mode}_{level}", b.region_code, row.decided_on)
        assert (row.basic_fen, row.care_fen) == (basic, care)
        assert row.amount_fen == b.monthly_amount_fen == basic + care
        assert row.amount_fen < 300000, "a tekun amount is a few hundred or thousand yuan a month, not tens of thousands"


def test_a_second_run_creates_nothing(demo):
    before = _counts()
    out = io.StringIO()
    call_command("demo_setup", county=COUNTY, households=1200, seed=7, stdout=out)
    assert _counts() == before
    assert "benefits 0，cases 0，outreach 0，rescue 0，matching 0，payments 0" in out.getvalue()
