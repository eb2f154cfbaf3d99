"""Issue 2: Chinese (zh-hans) by default, English through Django's translation machinery.

The interface's source strings are Chinese; `locale/en/LC_MESSAGES/django.po` carries their
English, compiled into the committed `django.mo` (CI machines may lack msgfmt). These tests check
that pages switch language by Accept-Language, by the language cookie and through
`/i18n/setlang/`, that every message in the catalogue is translated, and that the committed .mo
matches the .po.
"""

from __future__ import annotations

import ast
import gettext
import html
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
# The apps added after issue 3 keep their own catalogue (`<app>/locale/en/LC_MESSAGES/django.po`,
# made by running makemessages inside the app's folder), so that work on one app never rewrites
# another's. Every catalogue is held to the same checks.
APP_POS = sorted(Path(settings.BASE_DIR).glob("*/locale/en/LC_MESSAGES/django.po"))
CATALOGUES = pytest.mark.parametrize("po", [PO, *APP_POS], ids=lambda p: p.parent.parent.parent.parent.name)

LOGIN = reverse("accounts:login")
LIST = reverse("registry:household_list")

LOGIN_ZH = ["<title>登录 ·", "用户名", "密码", "请使用民政部门分配的账号登录"]
LOGIN_EN = ["<title>Log in ·", ">Username</label>", ">Password</label>", "Log in with the account assigned",
            "Assistance system for people in difficulty"]
LIST_HEADERS_ZH = ["户号", "户主", "户主身份证号", "联系电话", "村（社区）", "人数", "类别", "住房安全"]
LIST_HEADERS_EN = ["Household no.", "Head of household", "Head of household's ID number", "Phone",
                   "Village (community)", "Members", "Category", "Housing safety"]


def column_headers(page: str) -> list[str]:
    table = re.search(r'<table class="data households">.*?</thead>', page, re.S)
    assert table, "household table not found"
    return [html.unescape(h.strip()) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table.group(0), re.S)]


# ----------------------------------------------------------------------------- pages


def test_login_page_is_chinese_by_default(client):
    page = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in page
    for text in LOGIN_ZH:
        assert text in page
    assert "Username" not in page


def test_login_page_in_english_by_accept_language(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    for text in LOGIN_EN:
        assert text in page
    for text in LOGIN_ZH:
        assert text not in page


def test_login_page_in_english_by_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in page
    assert ">Username</label>" in page


def test_setlang_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert ">Username</label>" in client.get(LOGIN).content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": LOGIN})
    page = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in page and "用户名" in page


def test_household_list_headers_are_chinese_by_default(client, users, household_a):
    client.force_login(users["village_a"])
    page = client.get(LIST).content.decode()
    assert column_headers(page) == LIST_HEADERS_ZH
    assert "<h1>家庭档案</h1>" in page
    assert "张伟" in page  # the household is listed


def test_household_list_headers_in_english(client, users, household_a):
    client.force_login(users["village_a"])
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert column_headers(page) == LIST_HEADERS_EN
    assert "<h1>Household records</h1>" in page
    assert ">Log out</button>" in page
    assert "张伟" in page  # data stays as registered; only the interface is translated


def test_english_does_not_leak_into_the_next_chinese_request(client, users, household_a):
    client.force_login(users["village_a"])
    client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert column_headers(client.get(LIST).content.decode()) == LIST_HEADERS_ZH


# ----------------------------------------------------------------------------- catalogue


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, msgid, msgid_plural and msgstr[n]. Obsolete (#~) entries are left out."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        else:
            assert key and line.startswith('"'), f"unexpected line in {path.name}: {raw!r}"
            entry[key] += ast.literal_eval(line)
    return entries


def messages(po: Path = PO) -> list[dict]:
    return [e for e in parse_po(po) if e["msgid"]]


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@CATALOGUES
def test_catalogue_has_a_header_with_english_plural_forms(po):
    header = next(e for e in parse_po(po) if e["msgid"] == "")
    assert "fuzzy" not in header.get("flags", set())
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_main_catalogue_is_complete():
    assert len(messages()) > 500


@CATALOGUES
def test_every_message_is_translated(po):
    entries = messages(po)
    untranslated = [e["msgid"] for e in entries
                    if not all(v.strip() for k, v in e.items() if k.startswith("msgstr"))
                    or not any(k.startswith("msgstr") for k in e)]
    assert untranslated == []
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]
    assert fuzzy == []


@CATALOGUES
def test_translations_are_english(po):
    chinese = re.compile(r"[\u3400-\u9fff\uff08\uff09\uff0c\u3002\uff1a\uff1b]")
    still_chinese = [e["msgid"] for e in messages(po)
                     for k, v in e.items() if k.startswith("msgstr") and chinese.search(v)]
    assert still_chinese == []


@CATALOGUES
def test_translations_keep_their_placeholders(po):
    wrong = []
    for e in messages(po):
        if "python-format" not in e.get("flags", set()):
            continue
        if "msgid_plural" in e:
            pairs = [(e["msgid"], e["msgstr[0]"]), (e["msgid_plural"], e["msgstr[1]"])]
        else:
            pairs = [(e["msgid"], e["msgstr"])]
        wrong += [(source, text) for source, text in pairs
                  if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text))]
    assert wrong == []


@CATALOGUES
def test_committed_mo_matches_the_po(po):
    """The .mo is committed as built (CI may lack msgfmt): it must hold every translation of the .po."""
    with po.with_suffix(".mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = []
    for e in messages(po):
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            got = [catalogue.npgettext(context, e["msgid"], e["msgid_plural"], n) if context
                   else catalogue.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            want = [e["msgstr[0]"], e["msgstr[1]"]]
        else:
            got = catalogue.pgettext(context, e["msgid"]) if context else catalogue.gettext(e["msgid"])
            want = e["msgstr"]
        if got != want:
            stale.append(e["msgid"])
    assert stale == [], "run `bangfu compilemessages` and commit django.mo"


def test_no_requirement_code_or_internal_name_in_what_users_read():
    """What users read cites the document and its article, never the project's requirement numbers
    (R1–R25) or the name the project gives its source plan ("种子", the seed). Every message users
    read is in a catalogue, so the catalogues are where to look."""
    import re
    from pathlib import Path

    import bangfu

    pattern = re.compile(r"（R\d+|R\d+[；;]|\(R\d+\)|种子|\(seed\)|\bseed plan\b")
    found = []
    for po in Path(bangfu.__file__).parent.rglob("django.po"):
        for number, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(("msgid", "msgstr", '"')) and pattern.search(line):
                found.append(f"{po.relative_to(Path(bangfu.__file__).parent)}:{number}: {line}")
    assert not found, "\n".join(found)
