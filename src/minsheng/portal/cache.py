"""Anonymous portal pages from the shared cache (Redis or the database table, settings.CACHES).

- `public_page(view)` — a view decorator: for a visitor who is not signed in, a GET is answered from the
  cache when the page is there, else rendered once and stored; every answer carries an `ETag` and
  `Last-Modified` and a matching `If-None-Match` / `If-Modified-Since` gets a 304 without touching the
  database. Signed-in users always get a fresh page (private, not stored).
- `portal_changed()` — a new version of every public page: when a plan is saved (published), a report
  leaves draft (approval, return), a period changes (closed) — at once and again after the commit
  (`changed_on_commit`), so a page rendered from the old data is never kept — and whenever the stored
  lights are rebuilt (`alerts.lights.lights_stored`: the daily tick, `minsheng lights`).

The cache key holds the day (lights move with the schedule), the language and the full path; the entry
keeps the version it was rendered at, read with the version in one query (`core.changes.stamped_get`).
Each worker also keeps the pages it served last (`LOCAL_PAGES`) and serves them again without asking the
shared cache while the version it read is under `LOCAL_SECONDS` old: a change made through another worker
reaches a visitor at most that late (one made through this worker at once). The CSRF token of the
language form is put back per visitor, so a stored page never hands one visitor's token to another.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from minsheng.alerts.version import changes_bump, changes_bump_on_commit
from minsheng.core.changes import changes_version_recent, stamped_get, stamped_set
from minsheng.core.shared import tokenless, with_token

MAX_AGE = 300  # seconds a browser or proxy may keep a page; the server's copy lives until a change
STORE_SECONDS = 86400
LOCAL_SECONDS = 1.0  # how late a visitor may see a change made through another worker
LOCAL_PAGES = 128  # pages each worker keeps (≈ 20–50 KB each)

_pages: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()  # key → (version, stored page)
_pages_lock = threading.Lock()


def portal_changed() -> None:
    """Every public page (and the dashboard's figures) is out of date: the next request renders it again."""
    changes_bump()


def changed_on_commit() -> None:
    """A change inside a transaction (`alerts.version.changes_bump_on_commit`)."""
    changes_bump_on_commit()


def portal_pages_forget() -> None:
    """Drop the pages this worker keeps (the tests, between two cases)."""
    with _pages_lock:
        _pages.clear()


def _keep(key: str, stamp: float, stored: dict[str, Any]) -> None:
    with _pages_lock:
        _pages[key] = (stamp, stored)
        _pages.move_to_end(key)
        while len(_pages) > LOCAL_PAGES:
            _pages.popitem(last=False)


def _stamped_page(key: str) -> tuple[float, dict[str, Any] | None]:
    """The version and the stored page: from this worker while its version is recent, else shared."""
    stamp = changes_version_recent(LOCAL_SECONDS)
    if stamp is not None:
        with _pages_lock:
            kept = _pages.get(key)
            if kept is not None:
                _pages.move_to_end(key)  # served last: kept longest
        if kept is not None and kept[0] == stamp:
            return stamp, kept[1]
    stamp, stored = stamped_get(key)  # the stamp and the page in one read
    if stored is not None:
        _keep(key, stamp, stored)
    return stamp, stored


def _key(request: HttpRequest) -> str:
    raw = f"{timezone.localdate()}|{get_language()}|{request.get_full_path()}"
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _headers(response: HttpResponseBase, etag: str, stamp: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
    """Serve anonymous GETs of `view` from the shared cache, with ETag/Last-Modified and 304s."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=0)
            return response
        key = _key(request)
        stamp, stored = _stamped_page(key)
        etag = '"' + hashlib.sha256(f"{stamp!r}|{key}".encode()).hexdigest()[-32:] + '"'
        not_modified = get_conditional_response(request, etag=etag, last_modified=int(stamp))
        if not_modified is not None:
            _headers(not_modified, etag, stamp)
            return not_modified
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            content = response.content
            text = response.get("Content-Type", "").startswith("text/html")
            stored = {
                "content": tokenless(content.decode()) if text else content,
                "text": text,
                "headers": {
                    name: response[name]
                    for name in ("Content-Type", "Content-Disposition", "Content-Language")
                    if response.has_header(name)
                },
            }
            stamped_set(key, stamp, stored, STORE_SECONDS)
            _keep(key, stamp, stored)
        body = stored["content"]
        if stored["text"]:
            body = with_token(body, request)
        response = HttpResponse(body)
        for name, value in stored["headers"].items():
            response[name] = value
        _headers(response, etag, stamp)
        return response

    return wrapper
