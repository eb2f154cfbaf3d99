"""结对帮扶 API (django-ninja, mounted at /api/)."""

from ninja import Router

router = Router(tags=["outreach"])
