"""The user guides (docs/*.md) rendered for the help pages.

Markdown by markdown-it-py (CommonMark with tables), raw HTML escaped, so a guide can hold nothing
that runs. What users read speaks their language: the guides are also the developers' record, so
before rendering the requirement numbers (R11, R1c), issue numbers and the sections written for
developers (marked with `HIDE_MARK`) are left out, and "the seed" becomes the document's name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

SEED_TITLE = "《困难群众帮扶工作方案》"
# A section the guide's authors keep out of the in-app help (measurements, notes for developers):
# this comment on the line before its heading hides it with everything under it.
HIDE_MARK = "<!-- 帮助页不显示 -->"
DEVELOPER_SECTIONS = re.compile(r"开发说明|\(English\)|（English）")

_ONE = r"R\d{1,2}[a-z]?(?:\([a-z]\))?"
_CODES = re.compile(rf"(?<![A-Za-z0-9_])(?:需求\s*)?{_ONE}(?:\s*(?:…|-|–|至)\s*{_ONE})?(?:\s*[、，,]\s*{_ONE})*(?![A-Za-z0-9_])")
_ISSUES = re.compile(r"(?<![A-Za-z0-9_])issues?\s*\d+(?:\s*[、，,]\s*\d+)*", re.I)
_GONE = "\x00"
_GONE_AFTER_SEP = re.compile(r"\s*[，、,；;]\s*\x00")
_GONE_BEFORE_SEP = re.compile(r"\x00\s*[，、,；;：:]?\s*")
_EMPTY_PARENS = re.compile(r"\s?[（(]\s*[)）]")
# "种子篇三", "种子未规定": the seed is the bureau's programme document; "同一个种子" is a random seed.
_SEED = re.compile(r"(?<![个一机])种子(?:文件)?")


def user_text(text: str) -> str:
    """A guide's Markdown without requirement and issue numbers, with the seed named."""
    text = _ISSUES.sub(_GONE, _CODES.sub(_GONE, text))
    text = _GONE_BEFORE_SEP.sub("", _GONE_AFTER_SEP.sub("", text))
    text = _EMPTY_PARENS.sub("", text)
    return _SEED.sub(SEED_TITLE, text)


def _without_developer_sections(text: str) -> str:
    out, skipping_level, hide_next = [], 0, False
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.strip() == HIDE_MARK:
            hide_next = True
            continue
        m = None if in_code else re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            level = len(m.group(1))
            if skipping_level and level <= skipping_level:
                skipping_level = 0
            if not skipping_level and (hide_next or DEVELOPER_SECTIONS.search(m.group(2).strip())):
                skipping_level = level
            hide_next = False
        if not skipping_level:
            out.append(line)
    return "\n".join(out)


def heading_id(text: str) -> str:
    """A heading's anchor, ASCII (a Chinese anchor in the address shows as Chinese in English
    mode and is mangled by some old browsers): a digest of the heading's text."""
    return "h-" + hashlib.sha1(text.strip().encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[tuple[int, str, str], ...]  # (level, text, id)
    title: str


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render(text: str, link_to=lambda name, anchor: None) -> Rendered:
    """`link_to(file stem, anchor)` gives the address of another guide, or None."""
    md = _md()
    tokens = md.parse(user_text(_without_developer_sections(text)))
    headings, title = [], ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            label = inline.content.strip()
            level = int(token.tag[1])
            token.attrSet("id", heading_id(label))
            headings.append((level, label, heading_id(label)))
            if level == 1 and not title:
                title = label
        elif token.type == "table_open":
            token.attrSet("class", "data")
        elif token.type == "inline" and token.children:
            token.children = _links(token.children, link_to)
    return Rendered(md.renderer.render(tokens, md.options, {}), tuple(headings), title)


def _links(children: list, link_to) -> list:
    """A link to another guide goes to its help page; any other link (a file of the repository,
    an address outside: the offices have no internet) is shown as its text only."""
    out, dropping = [], []
    for token in children:
        if token.type == "link_open":
            href = token.attrGet("href") or ""
            m = re.match(r"^(?:\.{0,2}/)*(?:docs/)?([\w-]+)\.md(?:#(.*))?$", unquote(href))
            target = link_to(m.group(1), m.group(2) or "") if m else None
            dropping.append(target is None)
            if target is None:
                continue
            token.attrSet("href", target)
        elif token.type == "link_close":
            if dropping.pop():
                continue
        out.append(token)
    return out


@lru_cache(maxsize=32)
def _render_file(path: str, mtime_ns: int, link_to) -> Rendered:
    return render(Path(path).read_text(encoding="utf-8"), link_to)


def render_file(path: Path, link_to) -> Rendered:
    """Rendered once per version of the file (its modification time is part of the cache key)."""
    return _render_file(str(path), path.stat().st_mtime_ns, link_to)
