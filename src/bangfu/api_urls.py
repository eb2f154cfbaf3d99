"""One NinjaAPI for the project; each app adds its router. Schema at /api/openapi.json, Swagger UI
at /api/docs: both only for a logged-in user (the schema maps every endpoint), and Swagger UI's
files come from the installed django-ninja package ("ninja" in INSTALLED_APPS), never a CDN.

Every error answers one schema (common.api_errors.ErrorOut: code, message, field, errors): a
DomainError by its code (400, or 403/404/409), PermissionDenied 403, Http404 404, HttpError by its
status, a request that does not validate 422 with messages keyed by field.
"""

from django.contrib.auth.decorators import login_required
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from bangfu.benefits.api import router as benefits_router
from bangfu.common import api_errors
from bangfu.cases.api import router as cases_router
from bangfu.matching.api import router as matching_router
from bangfu.outreach.api import router as outreach_router
from bangfu.payments.api import router as payments_router
from bangfu.policy.api import router as policy_router
from bangfu.registry.api import chinese_validation_errors
from bangfu.registry.api import router as registry_router
from bangfu.rescue.api import router as rescue_router

api = NinjaAPI(title="Bangfu API", version="1", auth=django_auth, urls_namespace="api",
               docs_decorator=login_required)
api_errors.install(api)
api.add_exception_handler(ValidationError, chinese_validation_errors)
api.add_router("/", registry_router)
api.add_router("/", policy_router)
api.add_router("/", cases_router)
api.add_router("/", benefits_router)
api.add_router("/", matching_router)
api.add_router("/", outreach_router)
api.add_router("/", rescue_router)
api.add_router("/", payments_router)

urlpatterns = [path("", api.urls)]
