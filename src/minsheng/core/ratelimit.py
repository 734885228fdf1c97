"""A general request rate limit (访问频率限制), per signed-in user (or API token) and per client address.

Counters live in the `ratelimit` cache (Redis in production, else files shared by the host's workers),
so every worker counts the same requests. A fixed window of MINSHENG_RATE_LIMIT_WINDOW seconds; over the
limit the answer is 429 with Retry-After and a message in the active language (JSON under /api/).
/healthz and static files are never limited. MINSHENG_RATE_LIMIT_ENABLED turns it off (the test suite does).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from minsheng.core.client import client_address

Handler = Callable[[HttpRequest], HttpResponse]
KEY_PREFIX = "minsheng:rate"


def _exempt(path: str) -> bool:
    prefixes = ("/healthz", settings.STATIC_URL or "/static/", *settings.MINSHENG_RATE_LIMIT_EXEMPT)
    return path.startswith(tuple(prefixes))


def _subjects(request: HttpRequest) -> list[tuple[str, int]]:
    """(counter name, limit) pairs this request counts against."""
    subjects = [(f"addr:{client_address(request)}", settings.MINSHENG_RATE_LIMIT_PER_ADDRESS)]
    header = str(request.META.get("HTTP_AUTHORIZATION") or "")
    if header.lower().startswith(("token ", "bearer ")):
        # The token itself is never a cache key (nor in a log): its hash is.
        digest = hashlib.sha256(header.split(None, 1)[1].strip().encode()).hexdigest()[:32]
        subjects.append((f"token:{digest}", settings.MINSHENG_RATE_LIMIT_PER_USER))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        subjects.append((f"user:{user.pk}", settings.MINSHENG_RATE_LIMIT_PER_USER))
    return subjects


def _count(name: str, window: int, now: float) -> int:
    key = f"{KEY_PREFIX}:{name}:{int(now // window)}"
    # add() starts the window's counter only if no worker did; incr() is atomic on Redis.
    cache = caches["ratelimit"]
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        return 1


def too_many(request: HttpRequest) -> HttpResponse:
    window = settings.MINSHENG_RATE_LIMIT_WINDOW
    retry_after = max(1, math.ceil(window - time.time() % window))
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
        "seconds": retry_after
    }
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        body = render_to_string("429.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Count each request against its address and its user or token; refuse with 429 past a limit."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MINSHENG_RATE_LIMIT_ENABLED and not _exempt(request.path):
            window = settings.MINSHENG_RATE_LIMIT_WINDOW
            now = time.time()
            for name, limit in _subjects(request):
                if limit and _count(name, window, now) > limit:
                    return too_many(request)
        return self.get_response(request)
