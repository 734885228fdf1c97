"""Template helpers for progress pages: light words and colours, shares as percentages, numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from minsheng.progress import providers

register = template.Library()


# The words and colours of the lights come from the app that computes them (progress.providers).
register.filter("light", providers.light_word)
register.filter("light_colour", providers.light_colour)


@register.filter
def share(value: Any) -> str:
    """0.423 → 42%; None → — (as the bulletin writes shares)."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)}%"


@register.filter
def number(value: Any) -> str:
    """A decimal without trailing zeros: 12.5000 → 12.5."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def revision_lines(revision: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) of a history entry, flattened one level (target_values.12: 5 → 7)."""
    before = revision.before or {}
    after = revision.after or {}
    lines = []
    for key in after.keys() | before.keys():
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for sub in sorted(new.keys() | old.keys()):
                if old.get(sub) != new.get(sub):
                    lines.append((f"{key}.{sub}", _short(old.get(sub)), _short(new.get(sub))))
        else:
            lines.append((key, _short(old), _short(new)))
    return sorted(lines)


def _short(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"
