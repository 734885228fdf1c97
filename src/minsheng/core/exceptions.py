"""Errors raised by services; views, API and commands turn them into messages, 4xx or exit codes."""

from __future__ import annotations


class ServiceError(Exception):
    """A request a service refuses, with a message a person can act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class ValidationFailed(ServiceError):
    """The input is wrong: a missing or malformed value."""


class NotAllowed(ServiceError):
    """The acting user may not do this."""


class Conflict(ServiceError):
    """The data changed since it was read, or the action clashes with existing data."""
