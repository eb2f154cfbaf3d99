"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. `<input type=date>` takes only ISO dates (YYYY-MM-DD); rendered with
    the language's own format (zh-hans: 2026/12/03) the browser shows the field blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PickerInput(forms.TextInput):
    """A record number typed or picked (issue 17): the field stays a plain text input taking the
    number, so the form posts, validates and checks scope exactly as before, and works without
    JavaScript. With JavaScript (static bangfu/picker.js) a search box appears next to it; htmx
    asks the owning app's search endpoint (`url_name`) for at most about twenty matches, and a
    pick writes the number into the input.

    `depends_on`: the name of another picker's field in the same form whose number is sent with
    each search (the member picker sends the household). `multiple`: the input holds several
    numbers separated by commas, and the field receives them as a list (helpers of a pairing)."""

    template_name = "common/widgets/picker.html"

    def __init__(self, url_name: str, *, search_label=None, depends_on: str = "", multiple: bool = False,
                 attrs=None):
        base = {"autocomplete": "off", "class": "picker-value"}
        if not multiple:
            base["inputmode"] = "numeric"
        super().__init__({**base, **(attrs or {})})
        self.url_name = url_name
        self.search_label = search_label
        self.depends_on = depends_on
        self.multiple = multiple
        self.chosen = ""  # a label of the current value, set by a view that knows it

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.chosen = ""
        return obj

    def get_context(self, name, value, attrs):
        from django.urls import reverse
        from django.utils.translation import gettext

        context = super().get_context(name, value, attrs)
        context["widget"].update({
            "picker_url": reverse(self.url_name),
            "search_label": self.search_label or gettext("按姓名或身份证号末几位查找"),
            "depends_on": self.depends_on,
            "multiple": self.multiple,
            "chosen": self.chosen,
        })
        return context

    def format_value(self, value):
        if self.multiple and isinstance(value, (list, tuple)):
            return ", ".join(str(getattr(v, "pk", v)) for v in value)
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        if not self.multiple:
            return super().value_from_datadict(data, files, name)
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        # "3, 7" from the text input; several values of the same name from older pages and tests
        return [part for value in values if value for part in str(value).replace("，", ",").replace(" ", ",").split(",") if part]

    def value_omitted_from_data(self, data, files, name):
        return name not in data
