"""Login page: Django's LoginView, telling the user the lockout rule actually configured (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

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


@login_required
def home(request):
    """`/` and the page after login: the household list, or the app a role works in."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "registry:household_list"))
