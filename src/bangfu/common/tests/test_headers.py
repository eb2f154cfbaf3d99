"""Offline and headers (issue 13): a Content-Security-Policy that forbids third-party and inline
script, the other security headers, no inline script in any template, and API docs served from
the installed package behind login."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import bangfu

pytestmark = pytest.mark.django_db

SRC = Path(bangfu.__file__).parent
TEMPLATES = sorted(p for p in SRC.rglob("*.html") if "templates" in p.parts)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*\s(on[a-z]+)\s*=""", re.IGNORECASE | re.DOTALL)
HX_ON = re.compile(r"""\shx-on(?::|-|\b)""", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*\sstyle\s*=""", re.IGNORECASE | re.DOTALL)


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def test_templates_exist():
    assert len(TEMPLATES) > 50 and any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_no_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    for match in SCRIPT_TAG.finditer(text):
        attrs = match.group(1)
        # <script type="application/json"> carries data and never runs
        assert "src=" in attrs or "application/json" in attrs, f"inline <script> in {path.name}"
    assert not EVENT_ATTRIBUTE.search(text), f"on…= attribute in {path.name}: {EVENT_ATTRIBUTE.search(text).group(1)}"
    assert not HX_ON.search(text), f"hx-on in {path.name}: htmx evaluates it as script"
    assert not STYLE_TAG.search(text), f"inline <style> in {path.name}"
    assert not STYLE_ATTRIBUTE.search(text), f"style= attribute in {path.name}"


def test_the_scan_finds_what_it_looks_for():
    assert SCRIPT_TAG.search('<script>alert(1)</script>') and "src=" not in SCRIPT_TAG.search("<script>").group(1)
    assert EVENT_ATTRIBUTE.search('<button type="button" onclick="window.print()">')
    assert EVENT_ATTRIBUTE.search('<img\n  src="x" onerror = "x()">')
    assert not EVENT_ATTRIBUTE.search('<button data-print>{% translate "onclick=" %}')  # text outside a tag
    assert HX_ON.search('<div hx-on:click="x()">') and HX_ON.search('<div hx-on-click="x()">')
    assert STYLE_ATTRIBUTE.search('<p style="color:red">')


def test_pages_carry_the_policy_and_security_headers(client, users):
    client.force_login(users["village_a"])
    for url in (reverse("accounts:login"), reverse("registry:household_list"), reverse("cases:apply")):
        response = client.get(url)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url  # no CDN, no 'unsafe-inline', no eval
        assert policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_base_page_turns_off_htmx_inline_styles_and_eval(client, users):
    client.force_login(users["village_a"])
    html = client.get(reverse("registry:household_list")).content.decode()
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert "<style" not in html


# ----------------------------------------------------------------------------- API docs

@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_api_docs_and_schema_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_api_docs_load_only_local_files(client, users):
    client.force_login(users["village_a"])
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "cdn" not in html.lower()
    assert client.get("/api/openapi.json").status_code == 200


def test_swagger_files_are_served(client, users):
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui-init.js")
