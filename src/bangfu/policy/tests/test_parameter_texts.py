"""Every text of the shipped parameters is in the catalogue (issue 11: English mode)."""

from __future__ import annotations

import yaml

from bangfu.policy.parameter_texts import TEXTS, texts_of
from bangfu.policy.parameters.loading import DEFAULTS_PATH


def test_every_text_of_the_shipped_parameters_is_marked_for_translation():
    texts = texts_of(yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8")))
    assert len(texts) > 100  # labels, descriptions, units, grade labels
    assert [t for t in texts if t not in TEXTS] == []
