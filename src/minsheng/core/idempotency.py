"""`Idempotency-Key` on the API (IETF draft "The Idempotency-Key HTTP Header Field").

A POST/PUT/PATCH/DELETE under /api/ with the header runs once per client and key: a replay gets the
stored status and body (header `Idempotent-Replayed: true`), a replay while the first still runs gets 409,
the same key with another request gets 422. Server errors are not stored, so the client may retry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.models import IdempotencyKey

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
KEEP = timedelta(hours=24)


def _scope(request: HttpRequest) -> str:
    session = getattr(request, "session", None)
    credentials = request.META.get("HTTP_AUTHORIZATION") or (
        f"session:{session.session_key}" if session is not None and session.session_key else ""
    )
    return hashlib.sha256(credentials.encode()).hexdigest()


class IdempotencyKeyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "")
        if not key or request.method not in UNSAFE or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return JsonResponse(
                {"detail": _("The Idempotency-Key is longer than 255 characters.")}, status=400
            )
        scope = _scope(request)
        fingerprint = hashlib.sha256(
            f"{request.method} {request.get_full_path()}\n".encode() + request.body
        ).hexdigest()
        IdempotencyKey.objects.filter(scope=scope, created__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(scope, key, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=row.pk).delete()
            raise
        if response.status_code >= 500 or getattr(response, "streaming", False):
            IdempotencyKey.objects.filter(pk=row.pk).delete()
            return response
        IdempotencyKey.objects.filter(pk=row.pk).update(
            status=response.status_code, content_type=response.get("Content-Type", ""), body=response.content
        )
        return response

    def _replay(self, scope: str, key: str, fingerprint: str) -> HttpResponse:
        row = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        response: HttpResponse
        if row is None or row.status is None:
            response = JsonResponse(
                {"detail": _("A request with this Idempotency-Key is still running.")}, status=409
            )
            response["Retry-After"] = "1"
            return response
        if row.fingerprint != fingerprint:
            return JsonResponse(
                {"detail": _("This Idempotency-Key was used for a different request.")}, status=422
            )
        response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
        response["Idempotent-Replayed"] = "true"
        return response
