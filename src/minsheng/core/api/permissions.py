"""Permission glue: DRF asks the apps' policies, so the API allows exactly what the pages allow."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from minsheng.core.exceptions import NotAllowed, ValidationFailed

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def policy_check(policy: Callable[..., bool], request: Request, *objects: Any, message: str = "") -> None:
    """Run `policy(user, *objects)`; 403 with `message` when it says no."""
    if not policy(request.user, *objects):
        raise NotAllowed(message or "You may not do this.")


def query_int(request: Request, name: str) -> int | None:
    """An integer query parameter, or None when absent; 400 when malformed."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationFailed(f"{name}: {raw!r} is not a number.", field=name) from exc


def api_user(request: Request) -> User:
    """The caller, for views behind IsAuthenticated (the default permission: anonymous never gets here)."""
    if not request.user or not request.user.is_authenticated:
        raise NotAuthenticated
    return cast("User", request.user)
