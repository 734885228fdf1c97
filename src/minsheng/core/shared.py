"""Rendered parts of signed-in pages shared by every reader who would see the same thing.

A staff page's content depends on the URL, the reader's region, roles (and for unit pages, unit), the
language and the day, and on the data, whose changes renew the change stamp (`core.changes`:
approvals, returns, period close, plan, target and fund edits, the daily tick). The key holds all of
these, so two leaders of one city share one rendering while a reader of another region or with other
roles gets their own. What a stamp misses is at most `TTL` seconds old. Callers check permissions
before asking, and the page around the shared part (navigation, the reader's name, messages) is
rendered per request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from minsheng.accounts.policies import user_roles
from minsheng.core.changes import stamped_get, stamped_set

TTL = 60  # seconds; the change stamp renews sooner whenever lights, plans or funds change


def shared_key(request: HttpRequest, name: str, *, per_unit: bool = False) -> str:
    """The cache key of part `name` of this request's page for this reader (the change stamp is kept with
    the entry: `core.changes.stamped_get`)."""
    user: Any = request.user
    raw = "|".join(
        [
            name,
            request.get_host(),
            request.get_full_path(),
            str(user.region_id),
            str(user.unit_id) if per_unit else "",
            ",".join(sorted(user_roles(user))),
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )
    return "shared:" + hashlib.sha256(raw.encode()).hexdigest()


def shared(
    request: HttpRequest, name: str, build: Callable[[], Any], *, per_unit: bool = False, ttl: int = TTL
) -> Any:
    """`build()` (plain, picklable data: rendered HTML, a serializer's output) from the cache, or built
    now and stored. Exceptions (404, 403) propagate and are not stored."""
    key = shared_key(request, name, per_unit=per_unit)
    stamp, found = stamped_get(key)
    if found is None:
        found = build()
        stamped_set(key, stamp, found, ttl)
    return found


CSRF_PLACEHOLDER = "__minsheng_csrf__"
# `{% csrf_token %}` fields and the HTMX header carry a 64-character masked token.
_TOKEN = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")|("X-CSRFToken": ")[A-Za-z0-9]{64}(")'
)


def tokenless(html: str) -> str:
    """Rendered HTML with its CSRF tokens replaced by a placeholder, fit to be shared between readers."""
    return _TOKEN.sub(
        lambda m: f"{m[1]}{CSRF_PLACEHOLDER}{m[2]}" if m[1] else f"{m[3]}{CSRF_PLACEHOLDER}{m[4]}", html
    )


def with_token(html: str, request: HttpRequest) -> str:
    """Shared HTML (`tokenless`) with this reader's own CSRF token put back."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
