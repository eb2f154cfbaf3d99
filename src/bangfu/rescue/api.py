"""流浪乞讨人员救助管理 API (django-ninja, mounted at /api/)."""

from ninja import Router

router = Router(tags=["rescue"])
