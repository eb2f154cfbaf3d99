"""A year's holidays entered by an administrator (issue 17 "Small things": chinesecalendar 1.11
knows years up to 2026, so 2027 deadlines counted 1 January as a working day and would miss 春节).

The 2027 days below are a test's own entry, not the State Council's notice: the point is that
what an administrator enters is what the deadlines count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.cases import workdays
from bangfu.cases.models import HolidayCalendar, WorkdayOverride

pytestmark = pytest.mark.django_db

D = dt.date
HOLIDAYS = "2027-01-01 元旦\n2027-02-06至2027-02-12 春节\n"
MAKEUP = "2027-02-13 春节调休上班\n"


def _enter(user, holidays=HOLIDAYS, makeup=MAKEUP):
    calendar = HolidayCalendar(year=2027, document="国务院办公厅关于2027年部分节假日安排的通知（测试）",
                               holidays=holidays, makeup_days=makeup)
    return workdays.calendar_save(calendar, user)


def test_package_knows_2026_but_not_2027():
    assert workdays.package_knows(2026) and not workdays.package_knows(2027)
    assert workdays.unconfirmed_years(D(2026, 12, 3)) == [2027]
    assert workdays.unconfirmed_years(D(2026, 6, 1)) == [2027]
    assert workdays.unconfirmed_years(D(2025, 12, 3)) == []


def test_entered_year_counts_its_holidays_and_make_up_day(users):
    """Before: from Fri 5 Feb 2027, 3 working days = Mon 8, Tue 9, Wed 10 Feb (Mon–Fri only).
    After entering 6–12 Feb off and Sat 13 Feb on: Sat 13 (1), Mon 15 (2), Tue 16 (3)."""
    assert workdays.add_workdays(D(2027, 2, 5), 3) == D(2027, 2, 10)
    assert _enter(users["admin"]) == 9  # 1 + 7 holidays + 1 make-up day
    assert workdays.add_workdays(D(2027, 2, 5), 3) == D(2027, 2, 16)
    assert not workdays.is_workday(D(2027, 1, 1))
    assert workdays.calendar_confirmed(2027) and workdays.unconfirmed_years(D(2026, 12, 3)) == []


def test_entering_again_replaces_the_years_rows_and_keeps_local_ones(users):
    WorkdayOverride.objects.create(date=D(2027, 3, 5), is_workday=False, note="本地调整")
    _enter(users["admin"])
    calendar = HolidayCalendar.objects.get(year=2027)
    calendar.holidays, calendar.makeup_days = "2027-01-01 元旦\n", ""
    assert workdays.calendar_save(calendar, users["admin"]) == 1
    assert set(WorkdayOverride.objects.values_list("date", flat=True)) == {D(2027, 1, 1), D(2027, 3, 5)}
    assert workdays.is_workday(D(2027, 2, 8))


@pytest.mark.parametrize(("holidays", "makeup", "message"), [
    ("2026-10-01 国庆节", "", "2026-10-01 不在2027年内"),
    ("2027-02-30 春节", "", "第1行：日期不存在"),
    ("2027-02-06至2027-03-06 春节", "", "15天以内"),
    ("2027-02-06", "", "请写节日名称"),
    ("元旦放假一天", "", "应为“日期 名称”"),
    ("2027-01-01 元旦", "2027-02-10 调休", "2027-02-10 不是周末"),
    ("2027-01-01 元旦\n2027-01-01 元旦", "", "2027-01-01 已在前面出现"),
    ("", "2027-02-13", "请至少填写一个放假日期"),
])
def test_bad_lines_are_named(holidays, makeup, message):
    _days, errors = workdays.calendar_parse(2027, holidays, makeup)
    assert any(message in e for e in errors), errors


def test_full_width_digits_and_chinese_dates_are_read():
    days, errors = workdays.calendar_parse(2027, "２０２７年１月１日 元旦\n2027/10/1至2027/10/7 国庆节", "")
    assert not errors and len(days) == 8 and days[D(2027, 10, 7)] == (False, "国庆节")


def test_admin_page_enters_the_year(client, users):
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True  # as `bangfu demo-setup` and createsuperuser make them
    admin.save()
    client.force_login(admin)
    url = reverse("admin:cases_holidaycalendar_add")
    bad = client.post(url, {"year": 2027, "document": "通知", "holidays": "2027-02-10至2027-02-01 春节", "makeup_days": ""})
    assert bad.status_code == 200 and "截止日期应在起始日期之后" in bad.content.decode()
    ok = client.post(url, {"year": 2027, "document": "通知", "holidays": HOLIDAYS, "makeup_days": MAKEUP})
    assert ok.status_code == 302
    assert HolidayCalendar.objects.get(year=2027).entered_by == users["admin"]
    assert WorkdayOverride.objects.filter(calendar__year=2027).count() == 9


def test_administrator_is_told_and_others_are_not(client, users, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 12, 3))
    client.force_login(users["admin"])
    page = client.get(reverse("registry:household_list")).content.decode()
    assert "2027年的节假日和调休安排尚未确认" in page and reverse("admin:cases_holidaycalendar_add") in page
    client.force_login(users["county"])
    assert "节假日和调休安排尚未确认" not in client.get(reverse("registry:household_list")).content.decode()
    _enter(users["admin"])
    client.force_login(users["admin"])
    assert "节假日和调休安排尚未确认" not in client.get(reverse("registry:household_list")).content.decode()


def test_a_deadline_in_an_unknown_year_says_so(client, flow, household_a, users):
    """Accepted Wed 30 Dec 2026: the investigation's 3 working days are Thu 31 Dec, Fri 1 Jan and
    Mon 4 Jan 2027 — 1 January counted, as nobody has entered 2027's holidays: the case page says
    the date counts Monday to Friday."""
    case = flow.create(household_a, today=D(2026, 12, 30))
    case = flow.do(case, "accept", "township_a", D(2026, 12, 30))
    assert case.step_deadline == D(2027, 1, 4)
    client.force_login(users["township_a"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "（节假日未定）" in page and "2027年的节假日安排尚未录入" in page
    _enter(users["admin"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "（节假日未定）" not in page
