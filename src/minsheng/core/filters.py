"""Query-string filters shared by the API filter sets."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

BIGINT_MAX = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An id in the query string (?plan=, ?project=, …): a whole number within 64 bits, else a 400 that
    names the parameter.

    The plain NumberFilter reads any decimal, and SQLite cannot bind 10**30 (`OverflowError`, a 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -BIGINT_MAX)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)
