"""Give every request an id, kept in a context variable for audit rows and log lines."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from minsheng.core.client import client_address

current_request_id: ContextVar[str] = ContextVar("minsheng_request_id", default="")
# The peer address, or behind a trusted proxy the client it names (core.client, MINSHENG_TRUSTED_PROXIES).
current_client_address: ContextVar[str] = ContextVar("minsheng_client_address", default="")


class RequestIdMiddleware:
    """Set `request.request_id`, the `X-Request-ID` response header and the client address for audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A fresh id each time: a client-supplied header could forge or inject into logs.
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        address_token = current_client_address.set(client_address(request))
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
            current_client_address.reset(address_token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Add `request_id` to every log record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True
