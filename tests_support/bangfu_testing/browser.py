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
