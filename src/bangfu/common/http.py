"""Responses shared by the apps' views."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_attachment(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download. The name goes in RFC 5987 form so that Chinese names survive; the response
    is never cached, as most of these files list people."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def client_ip(request) -> str | None:
    """The address of the person at the other end, for the access log, the online form's rate limit
    and the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE).

    Behind the reverse proxies of docs/deployment.md every request comes from the proxy, so the
    client is read from X-Forwarded-For, but only through `settings.TRUSTED_PROXY_COUNT` proxies
    (BANGFU_TRUSTED_PROXIES). Each proxy appends the address it received the request from
    (nginx: `$proxy_add_x_forwarded_for`), so with N trusted proxies the right-most N entries were
    written by them: the last N-1 are our inner proxies' own addresses and entry -N is the client
    as our outermost proxy saw it. Anything further left came from the client and may be forged.
    With no trusted proxy (the default) the header is ignored, since anyone could send it. No
    header, or an entry that is not an IP address, falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: the request entered the chain past the outermost proxy, and the
    # left-most entry is still one our own proxy wrote.
    candidate = entries[-min(count, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
