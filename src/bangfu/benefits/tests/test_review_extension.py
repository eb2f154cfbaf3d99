"""Review deadlines in a major emergency (seed 篇三（四）"发生重大突发事件时，核查期限可以适当延长";
R16; issue 14).

Fixtures (conftest): household A's dibao approved 2026-01-15, class A → next review 2027-01-15;
household B's approved 2026-01-10, class B → next review 2026-07-10. Both in the test county.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import NotPermitted
from bangfu.benefits import selectors, services
from bangfu.benefits.models import Benefit, ReviewExtension

pytestmark = pytest.mark.django_db

DOC = dict(document_name="关于疫情期间低保核查工作的通知", document_number="测民〔2026〕9号", document_date=dt.date(2026, 6, 20),
           event="2026年6月洪涝灾害")


def extend(user, county, **kw):
    args = dict(DOC, months=3, due_from=dt.date(2026, 7, 1), due_to=dt.date(2026, 7, 31))
    args.update(kw)
    return services.review_extension_create(acting_user=user, county=county, **args)


def test_reviews_due_in_the_window_move_by_the_stated_months(county, regions, dibao_a, dibao_b):
    """B's review due 2026-07-10 lies in 2026-07-01…07-31: + 3 months = 2026-10-10. A's (2027-01-15)
    is outside the window and keeps its date."""
    ext = extend(county, regions["county"])
    dibao_a.refresh_from_db()
    dibao_b.refresh_from_db()
    assert dibao_b.next_review_date == dt.date(2026, 10, 10)
    assert dibao_a.next_review_date == dt.date(2027, 1, 15)
    assert ext.benefits_extended == 1
    (item,) = ext.items.all()
    assert (item.benefit_id, item.due_before, item.due_after) == (dibao_b.pk, dt.date(2026, 7, 10), dt.date(2026, 10, 10))
    last = dibao_b.history.first()
    assert last.history_user == county
    assert "测民〔2026〕9号" in last.history_change_reason
    assert ext.history.first().history_user == county


def test_due_lists_follow_the_extended_date(county, regions, dibao_b):
    """Before: due within 30 days of 2026-07-01. After: not due then; due within 30 days of
    2026-10-01 (2026-10-10), with the extension that set the date."""
    assert list(selectors.reviews_due(county, as_of=dt.date(2026, 7, 1))) == [dibao_b]
    ext = extend(county, regions["county"])
    assert list(selectors.reviews_due(county, as_of=dt.date(2026, 7, 1))) == []
    due = list(selectors.reviews_due(county, as_of=dt.date(2026, 10, 1)))
    assert due == [dibao_b]
    assert selectors.extensions_in_force(due)[dibao_b.pk].extension == ext


def test_review_brought_forward_by_a_death_is_not_extended(county, regions, dibao_a, household_a):
    """A death brings A's review (2027-01-15) to within 3 months: 2026-06-01 + 3 = 2026-09-01.
    That early review is not a periodic one: a window covering it leaves it."""
    person = household_a.members.first()
    services.death_review_schedule(person=person, died_on=dt.date(2026, 6, 1), acting_user=county)
    dibao_a.refresh_from_db()
    assert dibao_a.next_review_date == dt.date(2026, 9, 1)
    ext = extend(county, regions["county"], due_from=dt.date(2026, 8, 1), due_to=dt.date(2026, 9, 30))
    dibao_a.refresh_from_db()
    assert dibao_a.next_review_date == dt.date(2026, 9, 1)
    assert ext.benefits_extended == 0


def test_only_county_officers_of_that_county(users, regions, dibao_b):
    with pytest.raises(NotPermitted):
        extend(users["township_a"], regions["county"])
    with pytest.raises(NotPermitted):
        extend(users["admin"], regions["county"])
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user, region

    other = make_user("other_county", Role.COUNTY_OFFICER, region("340103", "庐阳区", regions["city"]))
    with pytest.raises(NotFound):
        extend(other, regions["county"])
    assert not ReviewExtension.objects.exists()
    assert Benefit.objects.get(pk=dibao_b.pk).next_review_date == dt.date(2026, 7, 10)


@pytest.mark.parametrize("kw, message", [
    (dict(months=0), "延长月数须为1至12个月"),
    (dict(months=13), "延长月数须为1至12个月"),
    (dict(due_from=dt.date(2026, 8, 1), due_to=dt.date(2026, 7, 1)), "截止日期不能早于起始日期"),
    (dict(document_name=" "), "文件名称"),
    (dict(event=""), "重大突发事件"),
])
def test_refused_extensions(county, regions, dibao_b, kw, message):
    with pytest.raises(services.BenefitError) as e:
        extend(county, regions["county"], **kw)
    assert message in e.value.message
    assert Benefit.objects.get(pk=dibao_b.pk).next_review_date == dt.date(2026, 7, 10)


def test_a_township_is_not_a_county(county, regions, dibao_b):
    with pytest.raises(services.BenefitError):
        extend(county, regions["township_a"])


def test_pages(client, users, regions, dibao_b):
    """The county records an extension on the page; a village worker of the county sees it (no
    form) and may not post one; the due list notes the extension."""
    client.force_login(users["county"])
    page = client.get(reverse("benefits:extensions")).content.decode()
    assert 'name="document_name"' in page
    data = dict(DOC, months="2", due_from="2026-07-01", due_to="2026-07-31", document_date="2026-06-20")
    response = client.post(reverse("benefits:extension_create"), data)
    assert response.status_code == 302
    assert Benefit.objects.get(pk=dibao_b.pk).next_review_date == dt.date(2026, 9, 10)
    bad = client.post(reverse("benefits:extension_create"), dict(data, months="0"))
    assert bad.status_code == 400
    client.force_login(users["village_b"])
    page = client.get(reverse("benefits:extensions")).content.decode()
    assert "测民〔2026〕9号" in page and 'name="document_name"' not in page
    assert client.post(reverse("benefits:extension_create"), data).status_code == 403
    assert ReviewExtension.objects.count() == 1


def test_extension_pages_in_english(client, users, regions, dibao_b):
    """English mode (issue 11): the extensions page (form and list), the due list's note and the
    export show no Chinese outside data (document and event are entered in English here)."""
    from bangfu_testing import english
    from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

    client.force_login(users["county"])
    data = dict(document_name="Notice on reviews", document_number="No. 9", document_date="2026-06-20", event="Floods",
                months="3", due_from="2026-07-01", due_to="2026-07-31")
    assert client.post(reverse("benefits:extension_create"), data, **EN).status_code == 302
    from bangfu.benefits.masking import mask_name
    from bangfu.registry.models import Person

    strings = english.data_strings(mask_name(n) for n in Person.objects.values_list("name", flat=True))
    for url in (reverse("benefits:extensions"), reverse("benefits:index") + "?within=90"):
        assert_no_cjk(client.get(url, **EN).content.decode(), strings, where=url)
    bad = client.post(reverse("benefits:extension_create"), dict(data, months="0"), **EN)
    assert bad.status_code == 400
    assert_no_cjk(bad.content.decode(), strings)
    export = client.get(reverse("benefits:due_export") + "?within=90", **EN)
    assert_no_cjk(read_xlsx(export.content), strings)
