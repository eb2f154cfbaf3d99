"""救助待遇 API (django-ninja, mounted at /api/)."""

from ninja import Router

router = Router(tags=["benefits"])
