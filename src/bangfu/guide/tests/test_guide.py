"""The user guides shown inside the system (issue 17 "Help inside the system")."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.guide.pages import GUIDES, PAGE_SECTIONS
from bangfu.guide.rendering import heading_id, render, user_text
from bangfu.guide.views import guide_link


@pytest.mark.parametrize(("raw", "shown"), [
    ("### 2. 低保（R11，《社会救助暂行办法》第九、十二条）", "### 2. 低保（《社会救助暂行办法》第九、十二条）"),
    ("### 3. 支出型贫困（R2、R1c）", "### 3. 支出型贫困"),
    ("# 结对帮扶使用指南（issue 6）", "# 结对帮扶使用指南"),
    ("## 1. 帮扶责任人与结对（R7）", "## 1. 帮扶责任人与结对"),
    ("R5：县级委托乡镇审批", "县级委托乡镇审批"),
    ("找出 应保未保（主动发现，R3）", "找出 应保未保（主动发现）"),
    ("本模块（issue 4；需求 R5、R12、R15、R16、R2）。", "本模块。"),
    ("同一个种子生成的名单", "同一个种子生成的名单"),
    ("| 30 | 种子未规定，本系统默认值（R4） |", "| 30 | 《困难群众帮扶工作方案》未规定，本系统默认值 |"),
    ("### 8. 四类特殊困难对象（R1c，种子篇一、篇五 一、3）", "### 8. 四类特殊困难对象（《困难群众帮扶工作方案》篇一、篇五 一、3）"),
    ("见 RAM 与 R2D2 型号", "见 RAM 与 R2D2 型号"),  # not a requirement number
])
def test_requirement_and_issue_numbers_are_left_out(raw, shown):
    assert user_text(raw).rstrip() == shown


def test_developer_sections_and_raw_html_are_not_shown():
    doc = render("# 指南\n\n## 一、用法\n\n正文<script>alert(1)</script>\n\n## 八、开发说明（English）\n\nInternals.\n\n"
                 "### 细节\n\nmore\n\n## 九、后记\n\n完\n\n<!-- 帮助页不显示 -->\n### 性能\n\n2 s\n\n## 十、附录\n\n表")
    assert "<script>" not in doc.html and "&lt;script&gt;" in doc.html
    assert "Internals" not in doc.html and "more" not in doc.html and "2 s" not in doc.html and "后记" in doc.html
    assert [h[1] for h in doc.headings] == ["指南", "一、用法", "九、后记", "十、附录"]


def test_links_to_other_guides_go_to_their_help_page_and_others_are_text():
    doc = render("见 [案件](cases.md#五、工作日日历)、[部署](deployment.md) 和 [外站](https://example.org/x)。", guide_link)
    assert f'href="{reverse("guide:page", args=["cases"])}#{heading_id("五、工作日日历")}"' in doc.html
    assert "deployment.md" not in doc.html and "example.org" not in doc.html
    assert "部署" in doc.html and "外站" in doc.html


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.slug)
def test_each_guide_speaks_the_users_language(guide):
    doc = render((settings.BANGFU_DOCS_DIR / guide.file).read_text(encoding="utf-8"), guide_link)
    text = re.sub(r"<[^>]+>", " ", unescape(doc.html))
    assert not re.search(r"(?<![A-Za-z0-9_])R\d{1,2}[a-z]?(?![A-Za-z0-9_])", text), re.findall(r".{20}R\d{1,2}.{10}", text)[:5]
    assert "种子" not in text and not re.search(r"issue\s*\d", text, re.I)
    assert doc.title


def test_every_page_section_named_exists():
    headings = {g.slug: {h[1] for h in render((settings.BANGFU_DOCS_DIR / g.file).read_text(encoding="utf-8")).headings}
                for g in GUIDES}
    for key, (slug, heading) in PAGE_SECTIONS.items():
        assert not heading or heading in headings[slug], (key, heading)


@pytest.mark.django_db
def test_help_link_opens_the_pages_section(client, users):
    client.force_login(users["village_a"])
    page = client.get(reverse("cases:case_create")).content.decode()
    href = re.search(r'<a href="([^"]+)" class="link">帮助</a>', page).group(1)
    anchor = heading_id("二、低保申请流程（各环节的办理人和时限）")
    assert href == reverse("guide:page", args=["cases"]) + "#" + anchor and anchor.isascii()
    guide = client.get(href.split("#")[0])
    assert guide.status_code == 200
    assert f'<h2 id="{anchor}">二、低保申请流程（各环节的办理人和时限）</h2>' in guide.content.decode()


@pytest.mark.django_db
def test_help_needs_a_login_and_knows_its_guides(client, users):
    assert client.get(reverse("guide:index")).status_code == 302
    client.force_login(users["helper"] if "helper" in users else users["village_a"])
    index = client.get(reverse("guide:index")).content.decode()
    assert all(str(g.title) in index for g in GUIDES)
    assert client.get(reverse("guide:page", args=["architecture"])).status_code == 404
    english = client.get(reverse("guide:page", args=["rescue"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The user guides are written in Chinese." in english and "使用说明只有中文版" not in english


@pytest.mark.django_db
def test_missing_docs_directory_is_explained(client, users, settings, tmp_path):
    settings.BANGFU_DOCS_DIR = tmp_path
    client.force_login(users["village_a"])
    assert "BANGFU_DOCS_DIR" in client.get(reverse("guide:index")).content.decode()
    assert client.get(reverse("guide:page", args=["cases"])).status_code == 404
