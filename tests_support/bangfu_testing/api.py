"""Support for the API error tests: every app's API answers a refusal in the one error schema
(common.api_errors.ErrorOut: code, message, field, errors).

    body = api_error(client, users["partner"], "/api/outreach/overdue", status=403)
    assert body == FORBIDDEN
"""

from __future__ import annotations

import json

KEYS = {"code", "message", "field", "errors"}
FORBIDDEN = {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}
NOT_FOUND = {"code": "not_found", "message": "记录不存在", "field": None, "errors": {}}


def api_error(client, user, url: str, *, status: int, method: str = "get", data=None, language: str | None = None) -> dict:
    """`user` (None: nobody logged in) asks `url` (a POST sends `data` as JSON); the answer must have
    `status` and the error schema's keys. Returns the body."""
    if user is not None:
        client.force_login(user)
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    if method == "get":
        response = client.get(url, data or {}, **headers)
    else:
        response = getattr(client, method)(url, json.dumps(data or {}), content_type="application/json", **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == KEYS, body
    return body
