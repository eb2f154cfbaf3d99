"""Response headers Django does not send by itself (issue 13 "Offline and headers")."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` to every response that has none.

    Django 5.2 has no CSP of its own. The policy allows scripts, styles, fonts and connections from
    our own origin only: no CDN, no inline <script>, no on…= attributes, no eval (htmx runs with
    allowEval off, see base.html), so a value that slipped into a page unescaped cannot run script.
    `common/tests/test_headers.py` scans the templates for inline script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
