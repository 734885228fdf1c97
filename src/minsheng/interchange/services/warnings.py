"""The parser's warnings in the user's language.

The parser is pure Python and writes its warnings in English with a code; the preview says them in the
user's language by code, picking the figures out of the English message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_Say = Callable[[re.Match[str]], str]

_BY_CODE: dict[str, tuple[re.Pattern[str], _Say]] = {
    "count": (
        re.compile(r"announces (\d+) projects but (\d+) were read"),
        lambda m: (
            _("the introduction announces %(said)s projects but %(read)s were read")
            % {"said": m.group(1), "read": m.group(2)}
        ),
    ),
    "unclassified": (
        re.compile(r"known non-target: (.*)$"),
        lambda m: (
            _("a number neither read as a target nor as a known non-target: %(quote)s")
            % {"quote": m.group(1)}
        ),
    ),
    "no_lead_unit": (
        re.compile(r"project (\d+) \((.*)\): an item without a lead unit"),
        lambda m: (
            _("project %(no)s (%(name)s): an item without a lead unit")
            % {"no": m.group(1), "name": m.group(2)}
        ),
    ),
    "unit_spelling": (
        re.compile(r"unit “(.*)” looks like a misspelling of “(.*)”"),
        lambda m: (
            _("unit “%(unit)s” looks like a misspelling of “%(intended)s”")
            % {"unit": m.group(1), "intended": m.group(2)}
        ),
    ),
    "alternative": (
        re.compile(r"close alternative reading: .* with (\d+) projects \(kept .* with (\d+)\)"),
        lambda m: (
            _("another reading of the layout gives %(other)s projects instead of %(kept)s: check the levels")
            % {"other": m.group(1), "kept": m.group(2)}
        ),
    ),
    "truncated": (
        re.compile(r"breaks off in this (entry|row)"),
        lambda m: _("the document breaks off here; this part was left out"),
    ),
}

_PLACE_WORDS = re.compile(r"\b(line|table|row|page|sheet|paragraph|column|cell|byte|document|introduction)\b")


def _location(text: str) -> str:
    """ "table 1, row 4" → "表格 1，行 4": the place words in the user's language."""
    words = {
        "line": _("line"),
        "table": _("table"),
        "row": _("row"),
        "page": _("page"),
        "sheet": _("sheet"),
        "paragraph": _("paragraph"),
        "column": _("column"),
        "cell": _("cell"),
        "byte": _("byte"),
        "document": _("document"),
        "introduction": _("introduction"),
    }
    return _PLACE_WORDS.sub(lambda m: str(words[m.group(1)]), text)


def parse_warning_text(code: str, location: str, message: str) -> str:
    """A parser warning as the user reads it: "line 12: …" in their language (the English when unknown)."""
    known = _BY_CODE.get(code)
    found = known[0].search(message) if known else None
    text = known[1](found) if known and found else message
    return f"{_location(location)}: {text}" if location else text
