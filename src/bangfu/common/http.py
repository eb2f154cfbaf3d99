"""Responses shared by the apps' views."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_attachment(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download. The name goes in RFC 5987 form so that Chinese names survive; the response
    is never cached, as most of these files list people."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
