"""Parts other apps add to the report form and the reporting sheet, registered from their `AppConfig.ready`.

`progress` sits below the apps that extend a report (funds, sites), so it must not import them; instead
each registers a `ReportPart` here, as apps register navigation entries (`core.nav`):

- on the report form, `template` is included inside the form with `part` = `context(user, item, period,
  report, posted)`; `save(acting_user=, report=, data=)` runs in the same transaction as the report's own
  save (a `ServiceError` rolls both back and is shown on the form);
- in the sheet, `sheet_rows(items, period, reports)` gives extra rows per item (id, label, planned, measure,
  last approved, current value; the value column is the editable one), `sheet_check(item, period, report,
  values)` returns errors per row id for the values read back (shown as row errors, nothing written), and
  `sheet_save(acting_user=, report=, values=)` stores them in the upload's transaction;
  `sheet_totals(item, period, report, values)` gives target values the part derives from its rows (the sum
  of the values per site): they replace the target rows' values, and a target row typed otherwise is an
  error. A row id is `prefix:` and anything after it (`sv:item:site:target`); its item is the one
  `sheet_rows` gave it for;
- `api_save(acting_user=, report=, data=)` takes the REST API's report write (its validated data, e.g.
  `site_values`) after the report's own save, in the same transaction;
- `copy(acting_user=, source=, report=)` runs when a report is copied from an earlier one ("copy last
  period"), in the same transaction;
- `derives_values(item)` is True when the part's save sets the item's target values itself (the sums of
  the values per site) by saving the report again: `report_save` then records its own save before the
  part's and reads the report afresh to submit it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SheetRow:
    """One extra row of the reporting sheet: `key` is its id (a prefix the part owns, e.g. ``"fi:12"``)."""

    key: str
    label: str
    kind: str = ""
    planned: Decimal | None = None
    measure: str = ""
    last: Decimal | None = None
    current: Decimal | None = None


@dataclass(frozen=True)
class ReportPart:
    """An app's fields on one item's report (form and sheet)."""

    key: str
    prefixes: tuple[str, ...] = ()
    template: str = ""
    context: Callable[..., dict[str, Any]] | None = None
    save: Callable[..., None] | None = None
    sheet_rows: Callable[..., Mapping[int, list[SheetRow]]] | None = None
    sheet_check: Callable[..., Mapping[str, str]] | None = None
    sheet_save: Callable[..., None] | None = None
    sheet_totals: Callable[..., Mapping[int, Decimal]] | None = None
    copy: Callable[..., None] | None = None
    api_save: Callable[..., None] | None = None
    derives_values: Callable[[Any], bool] | None = None
    # Expressions annotated on the item as a write reads it (`progress.services.item_for_write`): what the
    # part asks of the item on every write (is it measured per site?) comes with that read, not a query.
    item_facts: Callable[[], Mapping[str, Any]] | None = None
    order: int = 100


_PARTS: dict[str, ReportPart] = {}


def report_part_register(part: ReportPart) -> None:
    """Add (or replace, by key) a part of the report."""
    _PARTS[part.key] = part


def report_parts() -> list[ReportPart]:
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.key))


def form_parts(user: Any, item: Any, period: Any, report: Any, posted: Any = None) -> list[dict[str, Any]]:
    """What the report form includes: each part's template and its context."""
    return [
        {"template": p.template, "part": p.context(user, item, period, report, posted)}
        for p in report_parts()
        if p.template and p.context is not None
    ]


def form_save(*, acting_user: Any, report: Any, data: Mapping[str, Any]) -> None:
    """Every part's save, inside the caller's transaction."""
    for part in report_parts():
        if part.save is not None:
            part.save(acting_user=acting_user, report=report, data=data)


def copy_parts(*, acting_user: Any, source: Any, report: Any) -> None:
    """Every part's copy of what it stored for `source` into `report`, inside the caller's transaction."""
    for part in report_parts():
        if part.copy is not None:
            part.copy(acting_user=acting_user, source=source, report=report)


def api_save(*, acting_user: Any, report: Any, data: Mapping[str, Any]) -> None:
    """Every part's save of the REST API's report write, inside the caller's transaction."""
    for part in report_parts():
        if part.api_save is not None:
            part.api_save(acting_user=acting_user, report=report, data=data)


def derives_values(item: Any) -> bool:
    """True when a part sets the report's target values itself for this item (see the module's doc)."""
    return any(p.derives_values(item) for p in report_parts() if p.derives_values is not None)


def item_facts() -> dict[str, Any]:
    """Every part's expressions to annotate on the item a write reads (`ReportPart.item_facts`)."""
    facts: dict[str, Any] = {}
    for part in report_parts():
        if part.item_facts is not None:
            facts.update(part.item_facts())
    return facts


def part_for(key: str) -> ReportPart | None:
    """The part that owns a sheet row id."""
    prefix = key.partition(":")[0]
    return next((p for p in report_parts() if prefix in p.prefixes), None)
