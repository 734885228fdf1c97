"""Parse a district's livelihood-project list (民生实事项目清单) into a `Plan`.

Pure Python, no Django. Public API:

    parse_file(path) -> Plan      # .txt .docx .xlsx .pdf .html (.doc/.wps/.et via LibreOffice)
    parse_bytes(data, name) -> Plan
    parse_text(text, name="<text>") -> Plan
    Plan.to_json()
    ParseError                    # the only exception that escapes: file, location, reason
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from minsheng.parsing.errors import ParseError
from minsheng.parsing.model import Confidence, Item, Milestone, ParseWarning, Plan, Project, Target

__all__ = [
    "Confidence",
    "Item",
    "Milestone",
    "ParseError",
    "ParseWarning",
    "Plan",
    "Project",
    "Target",
    "parse_bytes",
    "parse_file",
    "parse_text",
]


def parse_text(text: str, name: str = "<text>") -> Plan:
    """Parse a list given as text (already decoded)."""
    from minsheng.parsing.layout import build_plan
    from minsheng.parsing.readers.text import document_from_text

    return _guarded(lambda: build_plan(document_from_text(text, name=name)), name)


def parse_bytes(data: bytes, name: str = "<bytes>") -> Plan:
    """Parse a list from the raw bytes of a file; the format is detected from the content."""
    from minsheng.parsing.layout import build_plan
    from minsheng.parsing.readers import read_bytes

    return _guarded(lambda: build_plan(read_bytes(data, name=name)), name)


def parse_file(path: str | Path) -> Plan:
    """Parse a list from a file on disk; the format is detected from the content."""
    from minsheng.parsing.layout import build_plan
    from minsheng.parsing.readers import read_path

    p = Path(path)
    plan = _guarded(lambda: build_plan(read_path(p)), p.name)
    plan.source = p.name
    return plan


def _guarded(run: Callable[[], Plan], name: str) -> Plan:
    """Run a parse; anything unexpected becomes a ParseError so callers see one kind of failure."""
    try:
        return run()
    except ParseError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError(
            f"the document is too large or too deeply nested to read ({type(exc).__name__})", file=name
        ) from exc
    except Exception as exc:  # a reader library's own error on a malformed file
        raise ParseError(f"cannot read the file: {type(exc).__name__}: {exc}", file=name) from exc
