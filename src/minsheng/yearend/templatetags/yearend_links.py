"""`{% year_end_links item public %}`: an item's final result, corrections and carry-over links, for the
internal item page and the public one (each includes `yearend/_item_links.html`)."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.yearend.selectors import item_links

register = template.Library()


@register.inclusion_tag("yearend/_links.html")
def year_end_links(item: Any, public: Any = False) -> dict[str, Any]:
    return {"links": item_links(item), "public": bool(public)}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
