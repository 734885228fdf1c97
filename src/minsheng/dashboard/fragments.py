"""The dashboard's page bodies, rendered once and shared by everyone who would see the same thing
(`core.shared`: URL, region, roles, language, day and change stamp in the key; 60 s at most for what
no stamp covers). Permission checks run before the cache is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from minsheng.core.shared import shared


def shared_body(request: HttpRequest, name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`build()` — the rendered body and what the page around it needs — from the cache or built now."""
    return shared(request, "dashboard:" + name, build)
