"""Phones and accessibility in a real browser (issue 17).

The pages a village worker and a helper use — home and their lists of tasks, the household page,
the visit form with its camera field, the case steps a village and a township take in the village,
the survey upload — and the other main pages (login, case inbox and page, payroll, help) are loaded
at 390 × 844 (a common phone) and at 1280 wide. On each: nothing reaches past the screen's edge
(no sideways scrolling), and axe-core finds no serious or critical violation. At phone width the
tables are cards, each cell led by its column's name; at desktop width they stay tables."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu_testing.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, log_in, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(users, regions, household_a, settings, tmp_path):
    """One of each thing the pages show: a helper paired with household A and a visit with a photo,
    a case under investigation in village A, a payroll of the county with household A's dibao."""
    from bangfu.accounts.choices import Role
    from bangfu.benefits import services as benefits
    from bangfu.benefits.choices import Programme
    from bangfu.cases import services as cases
    from bangfu.outreach import services as outreach
    from bangfu.payments import services as payments
    from bangfu_testing.factories import make_user
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    helper_user = make_user("helper_li", Role.HELPER, regions["village_a"])
    colleague = make_user("township_a2", Role.TOWNSHIP_OFFICER, regions["township_a"])
    helper = outreach.helper_create(acting_user=users["village_a"], kind="party_member", name="李党员", unit="胜利社区党支部",
                                    region_id=regions["village_a"].pk, user_id=helper_user.pk)
    pairing = outreach.pairing_create(acting_user=users["village_a"], target_kind="household", household_id=household_a.pk,
                                      helper_ids=[helper.pk], start_date=dt.date(2024, 1, 1), measures=["skills"])
    photo = SimpleUploadedFile("门口.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, content_type="image/jpeg")
    visit = outreach.visit_create(acting_user=helper_user, pairing_id=pairing.pk, date=dt.date(2025, 2, 1), way="home",
                                  findings="屋顶漏雨，老人腿脚不便", needs="修缮屋顶", files=[photo])
    case = cases.case_create(acting_user=users["village_a"], case_type="dibao", household=household_a,
                             statement="夫妻二人均无收入，长期患病")
    for action in ("accept", "start_investigation"):
        case.refresh_from_db()
        cases.case_perform(acting_user=users["township_a"], case_id=case.pk, action=action, version=case.version, data={})
    benefits.benefit_grant(acting_user=users["county"], household=household_a, programme=Programme.DIBAO,
                           monthly_amount_fen=60000, approved_on=dt.date(2026, 1, 15), case_id=None, review_class="A")
    payroll, _ = payments.payroll_build(acting_user=users["county"], county_code=regions["county"].code, month=dt.date(2026, 2, 1))
    return {"helper": helper_user, "colleague": colleague, "pairing": pairing, "visit": visit, "case": case, "payroll": payroll,
            "household": household_a}


def _investigate(world, users):
    """The township records the home investigation: the case page then shows the assessment."""
    from bangfu.cases import services as cases

    case = world["case"]
    case.refresh_from_db()
    cases.case_perform(acting_user=users["township_a"], case_id=case.pk, action="record_investigation", version=case.version,
                       data={"investigators": [users["township_a"].pk, world["colleague"].pk],
                             "visit_record": "入户核实：两人均无劳动收入。", "economic_check": "未发现存款、车辆和工商登记。"})


def _pages(world, users):
    """(who, url, what to do on the page first) for each page checked, in an order the data allows."""
    hh, case, pairing = world["household"].pk, world["case"].pk, world["pairing"].pk
    open_all = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
    return [
        (None, "/accounts/login/", None),
        ("village_a", "/", None),
        ("village_a", "/registry/", None),
        ("village_a", f"/registry/households/{hh}/", None),
        ("village_a", f"/cases/new/?household={hh}", None),
        ("village_a", "/cases/", None),
        ("village_a", f"/cases/{case}/", open_all),
        ("village_a", "/outreach/overdue/", None),
        ("village_a", "/outreach/worklist/", None),
        ("village_a", f"/outreach/pairings/{pairing}/", None),
        ("village_a", "/registry/survey/", None),
        ("village_a", "/help/", None),
        ("helper", "/", None),
        ("helper", "/outreach/mine/", None),
        ("helper", f"/outreach/pairings/{pairing}/visit/", None),
        ("helper", f"/outreach/visits/{world['visit'].pk}/", open_all),
        ("township_a", "/cases/", None),
        ("township_a", f"/cases/{case}/", open_all),  # the investigation step, its form open
        ("investigated", f"/cases/{case}/", open_all),  # the assessment with its reasons
        ("county", f"/payments/payrolls/{world['payroll'].pk}/", None),
    ]


def _walk(new_page, world, users, viewport, check):
    """Open every page at `viewport` as its user and collect what `check(page)` finds wrong."""
    problems: list[str] = []
    pages: dict[str, object] = {}
    for who, url, prepare in _pages(world, users):
        if who == "investigated":
            _investigate(world, users)
            who = "township_a"
        page = pages.get(who)
        if page is None:
            page = pages[who] = new_page()
            page.set_viewport_size(viewport)
            if who is not None:
                log_in(page, world["helper"] if who == "helper" else users[who])
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status} to {who}"
        if prepare:
            page.evaluate(prepare)
        problems += check(page)
    return problems


def _fits_and_accessible(page) -> list[str]:
    wide = too_wide(page)
    return ([wide] if wide else []) + axe_violations(page)


def test_phone_pages_fit_the_screen_and_pass_axe(new_page, world, users):
    problems = _walk(new_page, world, users, PHONE, _fits_and_accessible)
    assert not problems, "\n".join(problems)


def test_desktop_pages_fit_and_pass_axe(new_page, world, users):
    problems = _walk(new_page, world, users, DESKTOP, _fits_and_accessible)
    assert not problems, "\n".join(problems)


def _cards(page) -> dict:
    return page.evaluate("""() => {
      const table = document.querySelector('table.data.members');
      const cell = table.querySelector('tbody td:nth-child(2)');
      return {table: getComputedStyle(table).display, head: table.tHead.getBoundingClientRect().height,
              label: cell.getAttribute('data-label'), before: getComputedStyle(cell, '::before').content,
              rows: [...table.tBodies[0].rows].map(r => r.getBoundingClientRect().width)};
    }""")


def test_household_members_are_cards_on_a_phone_and_a_table_on_a_desktop(new_page, world, users):
    # given: the village worker's household page
    page = new_page()
    log_in(page, users["village_a"])
    url = f"/registry/households/{world['household'].pk}/"

    # when: on a phone
    page.set_viewport_size(PHONE)
    page.goto(url)
    cards = _cards(page)
    page.screenshot(path=str(SCREENSHOTS / "bangfu_household_phone.png"), full_page=True)
    # then: each member is a card as wide as the screen allows, each value led by its column's name
    assert cards["table"] == "block" and cards["head"] <= 1
    assert cards["label"] == "与户主关系" and cards["before"] == '"与户主关系"'
    assert len(cards["rows"]) == 2 and all(0 < w <= PHONE["width"] for w in cards["rows"])
    assert page.locator("#person-%d" % world["household"].head.pk).get_by_text("与户主关系").count() == 0  # a label, not text

    # when: on a desktop
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    cards = _cards(page)
    page.screenshot(path=str(SCREENSHOTS / "bangfu_household_desktop.png"), full_page=True)
    # then: a table with its header row, one line per member
    assert cards["table"] == "table" and cards["head"] > 10
    assert cards["before"] in ("none", "normal")


def test_visit_form_on_a_phone_offers_the_camera(new_page, world):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, world["helper"], f"/outreach/pairings/{world['pairing'].pk}/visit/")
    camera = page.get_by_label("现场拍照")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    box = camera.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "bangfu_visit_form_phone.png"), full_page=True)


def test_keyboard_skips_the_menu_and_shows_where_it_is(new_page, world, users):
    # given: the household page on a phone, where the menu takes the first screen
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, users["village_a"], f"/registry/households/{world['household'].pk}/")
    # when: the first Tab
    page.keyboard.press("Tab")
    # then: the link that skips the menu shows on the screen, with the focus ring
    focused = page.evaluate("""() => { const el = document.activeElement, box = el.getBoundingClientRect();
      return {cls: el.className, text: el.textContent, top: box.top, outline: getComputedStyle(el).outlineStyle}; }""")
    assert focused["cls"] == "skip-link" and focused["text"] == "跳到正文"
    assert focused["top"] >= 0 and focused["outline"] == "solid"
    # when: Enter, then Tab again: the next stop is inside the page's content, past the menu
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
