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


_WHERE_WORDS = re.compile(
    r"\b(project|item|target|milestone|targets|milestones|text|lead_units|partner_units|name|alias|category|no|starred)\b"
)


@register.filter
def where_text(where: str) -> str:
    """ "project 3, item 2, target 1" (and field names of a re-import conflict) in the user's language."""
    words = {
        "project": _("project"),
        "item": _("item"),
        "target": _("target"),
        "targets": _("target"),
        "milestone": _("milestone"),
        "milestones": _("milestone"),
        "text": _("content"),
        "lead_units": _("Lead units"),
        "partner_units": _("Partner units"),
        "name": _("name"),
        "alias": _("alias"),
        "category": _("category"),
        "no": _("number"),
        "starred": _("starred"),
    }
    return _WHERE_WORDS.sub(lambda m: str(words[m.group(1)]), str(where))
