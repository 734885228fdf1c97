"""Filters of the import preview: look up a dict entry, say a parser confidence reason in the user's language."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key], or an empty list when it is missing."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


_REASONS = {
    "entry without units": lambda m: _("an entry without units"),
    "unusual length": lambda m: _("unusually long or short"),
    "no name": lambda m: _("no name"),
    "announced count not matched": lambda m: _("the introduction announces another number of projects"),
}


@register.filter
def confidence_reason(reason: str) -> str:
    """The parser's reason (English, from pure Python) in the user's language."""
    known = _REASONS.get(reason)
    if known is not None:
        return str(known(None))
    found = re.match(r"close alternative reading: .* with (\d+) projects \(kept .* with (\d+)\)", reason)
    if found:
        return _("another reading gives %(other)s projects instead of %(kept)s") % {
            "other": found.group(1),
            "kept": found.group(2),
        }
    return reason
