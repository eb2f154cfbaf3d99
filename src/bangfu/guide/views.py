"""The help pages: the user guides, shown inside the system to every signed-in user."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .pages import BY_SLUG, GUIDES
from .rendering import heading_id, render_file

_SLUG_BY_FILE = {Path(g.file).stem: g.slug for g in GUIDES}


def _docs_dir() -> Path:
    return Path(settings.BANGFU_DOCS_DIR)


def guide_link(stem: str, anchor: str) -> str | None:
    slug = _SLUG_BY_FILE.get(stem)
    if slug is None:
        return None
    return reverse("guide:page", args=[slug]) + (f"#{heading_id(anchor)}" if anchor else "")


def _available() -> list:
    return [g for g in GUIDES if (_docs_dir() / g.file).is_file()]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/index.html", {"guides": _available(), "docs_missing": not _available()})


@login_required
@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = BY_SLUG.get(slug)
    path = _docs_dir() / guide.file if guide else None
    if path is None or not path.is_file():
        raise Http404
    doc = render_file(path, guide_link)
    return render(request, "guide/page.html", {"guide": guide, "doc": doc, "guides": _available()})
