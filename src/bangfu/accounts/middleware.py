"""A password set by someone else is changed first (issue 13 "Passwords and accounts").

An account an administrator created (or whose password an administrator set) and a demo account
carry `must_change_password`: until the user has chosen their own password, every page redirects
to the change page and the API answers 403. The change page itself, logging out, the language
switch and static files stay open. Demo accounts are exempt in debug mode, so that `make demo`
logs straight in with the printed password (README)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.common.api_errors import error_response
from bangfu.common.errors import CommonErrorCode, error_body

CHANGE_URL = "accounts:password_change"
OPEN_URLS = ("accounts:password_change", "accounts:logout", "set_language")


def must_change_password(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "must_change_password", False):
        return False
    return not (user.is_demo and settings.DEBUG)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if must_change_password(getattr(request, "user", None)) and not self._open(request.path):
            if request.path.startswith("/api/"):
                body = error_body(code=CommonErrorCode.FORBIDDEN,
                                  message=_("请先在网页上修改初始密码，再使用本系统"))
                return error_response(body, 403)
            if request.headers.get("HX-Request"):  # an htmx fragment: make the whole page go there
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse(CHANGE_URL)
                return response
            return redirect(reverse(CHANGE_URL))
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in OPEN_URLS)
