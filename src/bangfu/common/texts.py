"""How pure modules (no Django) translate what users read.

Pure modules (the policy engine and parameters, `money`) write what users read in Chinese source text
marked with `_` (so that `makemessages` collects them into the main catalogue). `_` asks the
translator installed here; by default none, so the engine alone speaks Chinese. The common app
installs Django's `gettext` and `get_language` when it starts (`CommonConfig.ready`), so a request
in English gets English reasons. Whatever the engine builds from these texts once and keeps (the
reasons' expressions, the parameter table's `src_` texts) is kept per `language()`.

`fill(template, name=expr, …)` turns a translated template with `%(name)s` placeholders into one
vectorised `pl.concat_str`, so that a translation may put the numbers in its own order.
"""

from __future__ import annotations

import re
from typing import Callable

_gettext: Callable[[str], str] = str
_pgettext: Callable[[str, str], str] = lambda context, message: message
_get_language: Callable[[], str | None] = lambda: None


def install(gettext: Callable[[str], str], get_language: Callable[[], str | None],
            pgettext: Callable[[str, str], str] | None = None) -> None:
    global _gettext, _get_language, _pgettext
    _gettext, _get_language = gettext, get_language
    if pgettext is not None:
        _pgettext = pgettext


def _(message: str) -> str:
    """The message in the active language (Chinese when no translator is installed)."""
    return _gettext(message) if message else message


def pgettext(context: str, message: str) -> str:
    """The message in the active language, for a context (a short word other catalogues also use)."""
    return _pgettext(context, message) if message else message


def gettext_noop(message: str) -> str:
    """Marks a constant for the catalogue; `_()` translates it where it is used."""
    return message


def language() -> str:
    return _get_language() or ""


def format_text(template: str, **values: object) -> str:
    """`_(template) % values`, for messages raised by the pure modules."""
    return _(template) % values


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fill(template: str, **parts):
    """A translated template with `%(name)s` placeholders as one `pl.concat_str` of its pieces;
    each part is a Polars expression or a plain string."""
    import polars as pl

    pieces: list = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            pieces.append(pl.lit(template[pos:m.start()]))
        part = parts[m.group(1)]
        pieces.append(pl.lit(part) if isinstance(part, str) else part)
        pos = m.end()
    if pos < len(template):
        pieces.append(pl.lit(template[pos:]))
    if not pieces:
        return pl.lit("")
    return pieces[0] if len(pieces) == 1 else pl.concat_str(pieces)
