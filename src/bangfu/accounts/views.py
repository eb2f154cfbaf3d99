"""Login page: Django's LoginView, telling the user the lockout rule actually configured (django-axes);
the page where a user changes their own password (Django's PasswordChangeView)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .choices import Role

# Where each role starts: the roles that work only in their own app land on it.
HOME_BY_ROLE = {Role.STATION_STAFF: "rescue:index", Role.HELPER: "outreach:my_todo"}


def lockout_rule() -> tuple[int, int]:
    """(failures before a lockout, minutes locked) as configured for django-axes."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if hasattr(cooloff, "total_seconds") else int(float(cooloff) * 60)
    return int(settings.AXES_FAILURE_LIMIT), minutes


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"], context["lockout_minutes"] = lockout_rule()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password: the old one, then the new one twice, checked by the validators of
    settings.AUTH_PASSWORD_VALIDATORS (Django's own Chinese messages). Clears the must-change flag
    that an administrator's or the demo's password sets; the session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = getattr(self.request.user, "must_change_password", False)
        return context

    def form_valid(self, form):
        form.user.must_change_password = False  # saved by form.save() in super().form_valid
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改"))
        return response


@login_required
def home(request):
    """`/` and the page after login: the household list, or the app a role works in."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "registry:household_list"))
