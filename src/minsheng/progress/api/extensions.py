"""Fields other apps add to the items API (`/api/items/`), registered from their `AppConfig.ready`.

`progress` sits below the apps that know more about an item (funds), so it must not import them; each
registers an `ItemApiField`:

- `name` — the JSON key;
- `field()` — a fresh read-only serializer field describing the value (the OpenAPI schema reads it),
  usually a subclass of `ItemValue`;
- `read(items, on)` — the values of a whole page of items at once, `{item id: value}` (a fixed number of
  queries whatever the number of items; `on` is the `?on=` day or None for today).

Reports take extra input the same way: `report_api_input_register(name, field)` adds a writable field to
POST/PUT /api/reports/ (e.g. funds' `funds_in_place`); its value reaches the app's
`progress.addons.ReportPart.api_save` in the validated data, in the report's transaction. A report's JSON
shows what they stored with `report_api_field_register(ReportApiField(name, field, related))`: `related`
are one-to-one paths the report queryset joins (`select_related`), so a page costs no extra query; the
field is part of the content a reader of the status only does not get.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from minsheng.plans.models import Item

CONTEXT_KEY = "item_extensions"


@dataclass(frozen=True)
class ItemApiField:
    """An app's read-only field on each item of the API."""

    name: str
    field: Callable[[], serializers.Field]
    read: Callable[[Sequence[Item], dt.date | None], Mapping[int, Any]]


_FIELDS: dict[str, ItemApiField] = {}


def item_api_field_register(field: ItemApiField) -> None:
    """Add (or replace, by name) a field of the items API."""
    _FIELDS[field.name] = field


def item_api_fields() -> list[ItemApiField]:
    return sorted(_FIELDS.values(), key=lambda f: f.name)


def item_api_values(items: Sequence[Item], on: dt.date | None) -> dict[str, Mapping[int, Any]]:
    """Every registered field's values for a page of items (the serializer's context)."""
    return {f.name: f.read(items, on) for f in item_api_fields()}


class ItemValue(serializers.Serializer):
    """Base of a registered nested field: it shows what `read` gave for the item (null when nothing)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "pk")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, instance: Any) -> Any:
        value = self.context.get(CONTEXT_KEY, {}).get(self.field_name, {}).get(instance)
        return None if value is None else super().to_representation(value)


_INPUTS: dict[str, Callable[[], serializers.Field]] = {}


def report_api_input_register(name: str, field: Callable[[], serializers.Field]) -> None:
    """Add (or replace, by name) an optional input of the report write (`field()` makes a fresh field)."""
    _INPUTS[name] = field


def report_api_inputs() -> dict[str, serializers.Field]:
    """Fresh fields of every registered report input, by name."""
    return {name: make() for name, make in sorted(_INPUTS.items())}


@dataclass(frozen=True)
class ReportApiField:
    """An app's read-only field on each report of the API."""

    name: str
    field: Callable[[], serializers.Field]
    related: tuple[str, ...] = ()


_REPORT_FIELDS: dict[str, ReportApiField] = {}


def report_api_field_register(field: ReportApiField) -> None:
    """Add (or replace, by name) a field of the reports API."""
    _REPORT_FIELDS[field.name] = field


def report_api_fields() -> list[ReportApiField]:
    return sorted(_REPORT_FIELDS.values(), key=lambda f: f.name)


def report_api_related() -> list[str]:
    """The one-to-one paths the registered report fields read (joined into the report queryset)."""
    return sorted({path for f in _REPORT_FIELDS.values() for path in f.related})
