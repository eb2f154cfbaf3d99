"""One NinjaAPI for the project; each app adds its router. Schema at /api/openapi.json."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from bangfu.benefits.api import router as benefits_router
from bangfu.cases.api import router as cases_router
from bangfu.matching.api import router as matching_router
from bangfu.outreach.api import router as outreach_router
from bangfu.policy.api import router as policy_router
from bangfu.registry.api import chinese_validation_errors
from bangfu.registry.api import router as registry_router
from bangfu.rescue.api import router as rescue_router

api = NinjaAPI(title="Bangfu API", version="1", auth=django_auth, urls_namespace="api")
api.add_exception_handler(ValidationError, chinese_validation_errors)
# A role without the action (accounts.permissions.check_perm) answers 403 with its message, not 500.
api.add_exception_handler(PermissionDenied, lambda request, exc: api.create_response(request, {"detail": str(exc)}, status=403))
api.add_router("/", registry_router)
api.add_router("/", policy_router)
api.add_router("/", cases_router)
api.add_router("/", benefits_router)
api.add_router("/", matching_router)
api.add_router("/", outreach_router)
api.add_router("/", rescue_router)

urlpatterns = [path("", api.urls)]
