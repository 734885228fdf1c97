from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import PASSWORD
from shared_fixtures import fast_sign_in as fast_sign_in


class ApiError(AssertionError):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


def token_for(client: Client, username: str) -> str:
    response = client.post(
        "/api/auth/token/", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def api() -> Callable[..., Any]:
    """`api(method, path, body=None, user=None)` → JSON, through token authentication; raises ApiError."""
    client = Client()
    tokens: dict[str, str] = {}

    def call(method: str, path: str, body: Any = None, user: Any = None) -> Any:
        headers = {}
        if user is not None:
            if user.username not in tokens:
                tokens[user.username] = token_for(client, user.username)
            headers["HTTP_AUTHORIZATION"] = f"Token {tokens[user.username]}"
        response = client.generic(
            method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
        data = response.json() if response.content else None
        if response.status_code >= 400:
            raise ApiError(response.status_code, data)
        return data

    return call
