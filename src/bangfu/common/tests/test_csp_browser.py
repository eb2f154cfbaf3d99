"""The Content-Security-Policy in a real browser (issue 13): it blocks an inline script (so the
console check of the browser fixtures can see a violation), and the API docs run under it."""

import pytest

from bangfu_testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_blocks_inline_script_and_reports_it(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto("/accounts/login/")
    # what an unescaped value in a page would amount to
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("() => window.pwned") is None
    assert any("Content Security Policy" in m for m in messages)
    context.close()


def test_api_docs_render_under_the_policy(page, users):
    log_in(page, users["village_a"], "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".opblock").count() > 10
