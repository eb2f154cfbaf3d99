"""One NinjaAPI for the project; each app adds its router. Schema at /api/openapi.json."""

from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from bangfu.policy.api import router as policy_router
from bangfu.registry.api import chinese_validation_errors
from bangfu.registry.api import router as registry_router

api = NinjaAPI(title="Bangfu API", version="1", auth=django_auth, urls_namespace="api")
api.add_exception_handler(ValidationError, chinese_validation_errors)
api.add_router("/", registry_router)
api.add_router("/", policy_router)

urlpatterns = [path("", api.urls)]
