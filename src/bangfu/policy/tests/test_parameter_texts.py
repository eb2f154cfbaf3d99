"""Every text of the shipped parameters is in the catalogue (issue 11: English mode)."""

from __future__ import annotations

import yaml

from bangfu.policy.parameter_texts import TEXTS, UNITS, texts_of, units_of
from bangfu.policy.parameters.loading import DEFAULTS_PATH


def test_every_text_of_the_shipped_parameters_is_marked_for_translation():
    data = yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))
    texts = texts_of(data)
    assert len(texts) > 100  # labels, descriptions, grade labels
    assert [t for t in texts if t not in TEXTS] == []
    units = {str(u) for u in UNITS}  # the default language is the source language: str() is the msgid
    assert [u for u in units_of(data) if u not in units] == []
