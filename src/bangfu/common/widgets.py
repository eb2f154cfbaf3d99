"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. `<input type=date>` takes only ISO dates (YYYY-MM-DD); rendered with
    the language's own format (zh-hans: 2026/12/03) the browser shows the field blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
