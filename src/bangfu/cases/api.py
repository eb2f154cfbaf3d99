"""案件办理 API (django-ninja, mounted at /api/)."""

from ninja import Router

router = Router(tags=["cases"])
