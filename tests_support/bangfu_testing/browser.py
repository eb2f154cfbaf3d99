"""Playwright fixtures shared by every browser test (`pytest -m browser`): Debian's Chromium against
Django's live server. Without /usr/bin/chromium the tests are skipped, except under CI (env CI
set), where a missing browser is a failure. The fixtures are offered to all tests by
`src/bangfu/conftest.py`. Test-only: the runtime package never imports this module (nor pytest)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp"))
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls then.
    # Set for the browser's lifetime only, so that other tests (and subprocesses) keep the guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages, each in its own browser context (its own login): `new_page()`.

    Every browser test also checks the Content-Security-Policy (issue 13): a script, style or
    eval the policy blocked shows in the console, and fails the test at teardown."""
    contexts = []
    violations: list[str] = []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if hasattr(message, 'page') and message.page else ''}: {message.text}")

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, "the Content-Security-Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, user, next_url: str | None = None) -> None:
    """Log in through the login form and wait for the page it leads to (`next_url`, or the user's
    home page)."""
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(user.raw_password)
    page.get_by_role("button", name="登录").click()
    if next_url:
        page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    else:
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


# ---- phones and accessibility (issue 17) ----

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_WIDER_THAN_SCREEN = """() => {
  const width = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      out.push([name, Math.round(box.left), Math.round(box.right)]);
    }
  }
  out.sort((a, b) => b[2] - a[2]);
  return {scroll: document.documentElement.scrollWidth, inner: width, wider: out.slice(0, 8)};
}"""


def too_wide(page) -> str:
    """'' when nothing on the page reaches past the screen's edges (no sideways scrolling); else
    the page's width and its widest elements (tag#id.classes, left and right edge in px)."""
    found = page.evaluate(_WIDER_THAN_SCREEN)
    if found["scroll"] <= found["inner"] and not found["wider"]:
        return ""
    return f"{page.url}: {found['scroll']} px wide on a {found['inner']} px screen; beyond the edge: {found['wider']}"


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core (shipped by the axe-playwright-python package, injected into the page) run over the
    page: one line per rule broken at one of `impacts`, with the first elements that break it."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes'][:4]]}"
            for v in results["violations"] if v["impact"] in impacts]
