"""数据比对 API (django-ninja, mounted at /api/)."""

from ninja import Router

router = Router(tags=["matching"])
