"""`<input type=date>` takes only ISO dates: rendered in the Chinese format (2026/12/03) it shows
blank, and a worker re-types the application date (issue 17, "Small things")."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

import bangfu
from bangfu.common.widgets import DateInput


def _form_classes():
    for info in pkgutil.walk_packages(bangfu.__path__, "bangfu."):
        name = info.name
        if ".tests" in name or ".migrations" in name or not (name.endswith("forms") or ".forms." in name or name.endswith("views_simulate")):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                yield value


def test_every_date_field_uses_the_iso_date_picker():
    seen, wrong = 0, []
    for form in _form_classes():
        for field_name, field in form.base_fields.items():
            if isinstance(field, forms.DateField):
                seen += 1
                if not isinstance(field.widget, DateInput):
                    wrong.append(f"{form.__module__}.{form.__name__}.{field_name}")
    assert seen > 20
    assert not wrong, wrong


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_picker_renders_iso_in_every_language(language):
    with translation.override(language):
        html = DateInput().render("applied_on", dt.date(2026, 12, 3))
    assert 'value="2026-12-03"' in html and 'type="date"' in html


@pytest.mark.django_db
def test_new_case_page_fills_the_application_date(client, users):
    client.force_login(users["village_a"])
    html = client.get(reverse("cases:case_create"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    today = dt.date.today().isoformat()
    assert f'name="applied_on" value="{today}"' in html or (f'value="{today}"' in html and 'name="applied_on"' in html)
