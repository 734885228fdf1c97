"""One place where domain errors become HTTP responses for the whole API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from minsheng.core.exceptions import Conflict, NotAllowed, ServiceError, ValidationFailed

_STATUS: list[tuple[type[ServiceError], int]] = [
    (ValidationFailed, status.HTTP_400_BAD_REQUEST),
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (Conflict, status.HTTP_409_CONFLICT),
]


def register_error_status(error: type[ServiceError], code: int) -> None:
    """Map an app's own ServiceError subclass to a status (apps above core register theirs)."""
    _STATUS.insert(0, (error, code))


def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    """`{"detail": …}`, plus `{"field": …}` naming the input at fault when known."""
    body: dict[str, Any] = {"detail": message}
    if field:
        body["field"] = field
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """ValidationFailed → 400, NotAllowed → 403, missing object → 404, Conflict → 409; the rest as DRF does."""
    if isinstance(exc, ServiceError):
        code = next((code for cls, code in _STATUS if isinstance(exc, cls)), status.HTTP_400_BAD_REQUEST)
        return Response(error_body(exc.message, exc.field), status=code)
    if isinstance(exc, ObjectDoesNotExist):
        return Response(error_body("Not found."), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        return Response(error_body(" ".join(exc.messages)), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
