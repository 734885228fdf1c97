"""The dashboard's page bodies, rendered once and shared by everyone who would see the same thing.

What a dashboard page shows depends on the URL (plan and filters), the reader's region and roles (which
plans they may see), the language and the day, and on the data, whose changes renew the change stamp
(`alerts.version`: approvals, returns, period close, plan and target edits, funds, the daily tick). The
key holds all of these, so a leader of 常州市 and another leader of 常州市 share one rendering while a
leader of another city, or an office user (who also sees drafts), gets their own. Anything a change
stamp misses is at most `TTL` seconds old. The page around the body (navigation, the reader's name,
messages) is rendered per request as usual. Permission checks run before the cache is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from minsheng.accounts.policies import user_roles
from minsheng.alerts.version import changes_version

TTL = 60  # seconds; the change stamp renews sooner whenever lights, plans or funds change


def body_key(request: HttpRequest, name: str) -> str:
    user: Any = request.user
    raw = "|".join(
        [
            name,
            request.get_full_path(),
            str(user.region_id),
            ",".join(sorted(user_roles(user))),
            str(changes_version()),
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )
    return "dashboard:body:" + hashlib.sha256(raw.encode()).hexdigest()


def shared_body(request: HttpRequest, name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`build()` — a dict of strings and plain values (the rendered body and what the page around it
    needs) — from the cache, or built now and stored. Exceptions (404) are not stored."""
    key = body_key(request, name)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, TTL)
    return found
