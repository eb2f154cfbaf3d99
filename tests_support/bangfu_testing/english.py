"""Support for the English-mode tests: no Chinese may reach a page or an API answer in English,
except data (the names and addresses of people and regions, citations of local documents).

Every app's English test (common's walk of the core apps, and each workflow app's own) uses the
same two functions:

    data = data_strings(app_strings)         # what the database holds, read once per test
    assert_no_cjk(response.content.decode(), data=data, where=url)

plus `EN` (the request header), `api_text` (an API answer in English as text), `read_xlsx` (an
export's cells as text) and `section` (one section of a page, when the page belongs to another
app). The workflow apps check with `assert_no_ideographs` until their templates' full-width
punctuation is translated.

`assert_no_cjk` removes the data strings (longest first), scripts and elements marked
`lang="zh-hans"` (the language switcher), then fails listing each remaining run of Chinese with its
surroundings, so that the failure reads as a to-do list of untranslated messages.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from typing import Iterable

# CJK ideographs, CJK punctuation (。、「」) and full-width forms (，（）：；): an English page shows none.
# The ideographic space (U+3000) is whitespace: it indents the region lists.
CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Ideographs alone, for checking a message (not a page) where punctuation is not the question.
IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # a request from a browser set to English
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
# An element marked as Chinese on purpose: the language switcher names each language in itself.
_MARKED_CHINESE = re.compile(r"<(\w+)\b[^>]*\blang=\"zh[^\"]*\"[^>]*>[^<]*</\1>", re.I)


def data_strings(*extra: Iterable[str]) -> set[str]:
    """The data of the test database that may be Chinese in any language: region names, people's
    names and addresses, users' names, the citations of parameter values (local documents), job
    file names; plus `extra` (an app's own data, e.g. a case's note)."""
    from bangfu.accounts.models import User
    from bangfu.policy.current import current_parameter_set
    from bangfu.policy.models import ParameterValue
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household, Person

    found: set[str] = set()
    for name, full_name in Region.objects.values_list("name", "full_name"):
        found |= {name, full_name}
    found |= set(Person.objects.values_list("name", flat=True))
    found |= set(Household.objects.values_list("address", flat=True))
    found |= set(Household.objects.values_list("note", flat=True))
    for first, last in User.objects.values_list("first_name", "last_name"):
        found |= {first, last, last + first}
    for document, article in ParameterValue.objects.values_list("citation_document", "citation_article"):
        found |= {document, article, document + article}
    params = current_parameter_set()
    for specs in params.values.values():
        for spec in specs:
            found |= {spec.citation.document, spec.citation.article, str(spec.citation)}
    for strings in extra:
        found |= set(strings)
    return {s for s in found if s and CJK.search(s)}


def strip_data(text: str, data: Iterable[str] = ()) -> str:
    text = html_lib.unescape(_MARKED_CHINESE.sub(" ", _SCRIPT.sub(" ", text)))
    for item in sorted(set(data), key=len, reverse=True):
        text = text.replace(item, " ")
    return text


def cjk_left(text: str, data: Iterable[str] = (), pattern: re.Pattern = CJK) -> list[str]:
    """Each run of Chinese left after removing the data, with 30 characters either side."""
    text = strip_data(text, data)
    return [text[max(0, m.start() - 30): m.end() + 30].replace("\n", " ") for m in pattern.finditer(text)]


def assert_no_cjk(text: str, data: Iterable[str] = (), where: str = "", pattern: re.Pattern = CJK) -> None:
    left = cjk_left(text, data, pattern)
    assert not left, f"Chinese left in English mode{' at ' + where if where else ''}:\n" + "\n".join(f"  …{s}…" for s in left)


def api_text(client, user, url: str, method: str = "get", body=None) -> str:
    """What `user` reads when asking the API in English: the JSON answer as text (Chinese not
    escaped), or the page an answer that is not JSON is."""
    client.force_login(user)
    if method == "get":
        response = client.get(url, **EN)
    else:
        response = getattr(client, method)(url, body, content_type="application/json", **EN)
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    """The `<section id=element_id>` of a page (another app's page showing this app's section)."""
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', page, re.S)
    assert found, element_id
    return found.group(0)


def read_xlsx(content: bytes) -> str:
    """Every cell of an xlsx export as text, a line per row."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return "\n".join(" | ".join(str(c) for c in row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
