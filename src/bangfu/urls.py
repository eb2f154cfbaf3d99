from django.contrib import admin
from django.urls import include, path

from bangfu.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("bangfu.accounts.urls")),
    path("registry/", include("bangfu.registry.urls")),
    path("policy/", include("bangfu.policy.urls")),
    path("cases/", include("bangfu.cases.urls")),
    path("benefits/", include("bangfu.benefits.urls")),
    path("payments/", include("bangfu.payments.urls")),
    path("reports/", include("bangfu.reports.urls")),
    path("matching/", include("bangfu.matching.urls")),
    path("outreach/", include("bangfu.outreach.urls")),
    path("rescue/", include("bangfu.rescue.urls")),
    path("help/", include("bangfu.guide.urls")),
    path("api/", include("bangfu.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
