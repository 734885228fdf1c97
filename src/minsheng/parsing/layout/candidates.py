"""The structure finder: generate candidate readings of a document, score each, keep the best.

A district's list can be written in many shapes, and the same document often admits several readings:
the numbered paragraphs of a notice beside the list's own numbering, `一、` headings that are categories
in one list and projects in the next, a table beside numbered paragraphs, a list with no markers at all.
Instead of a first-match cascade, every plausible reading is built:

- the document's tables (`tables.py`), when it has any;
- numbered readings (`lists.py`): the always-recognised marker families together, reading two levels
  both as categories over projects and as projects over items; and each family whose markers also occur
  inside ordinary text (`一是`, `1 ` number and space, a number alone on its line), alone and under
  `一、` headings;
- unnumbered readings (`unnumbered.py`): one entry per line under a list title, and `名称,内容;` entries
  inline in one paragraph.

Each reading is scored by how well it explains the document (`score_reading`): numbering continuous from
1, entries of plausible and regular length, entries that hold quantities, unit fields found, the count
announced in the introduction matched. The best reading wins; a close second lowers the confidence and is
named in the warnings.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from minsheng.parsing.blocks import Document, Paragraph, Table
from minsheng.parsing.layout.lists import (
    DEFAULT_FAMILIES,
    EXTRA_FAMILIES,
    heading_reads_as_project,
    marker_families,
    parse_list,
)
from minsheng.parsing.layout.meta import announced_count
from minsheng.parsing.layout.unnumbered import inline_entries, line_entries
from minsheng.parsing.model import ParseWarning, Project
from minsheng.parsing.normalize import compact

__all__ = ["Reading", "find_structure", "score_reading"]


@dataclass
class Reading:
    """One way of reading the document as a list."""

    kind: str  # "table", "numbered: ar+cn", "lines", "inline"
    projects: list[Project]
    warnings: list[ParseWarning] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    truncated: bool = False
    has_units: bool = False
    numbers: list[int] = field(default_factory=list)  # the projects' numbers as printed
    items_restart: float = 1.0  # projects over items: share whose items are numbered afresh
    restarts_per_category: bool = False  # entries numbered afresh under each category heading
    headings: list[str] = field(default_factory=list)  # the outer level's headings
    outer_projects: bool = False  # two levels read as projects over items
    numbered: bool = True  # the entries carry printed numbers
    score: float = 0.0
    notes: list[str] = field(default_factory=list)  # what lowered the score


def find_structure(doc: Document, tables: Callable[[Document], Reading | None]) -> list[Reading]:
    """Every candidate reading of `doc`, best first. `tables` reads the document's tables."""
    readings: list[Reading] = []
    table_reading = tables(doc) if any(isinstance(b, Table) for b in doc.blocks) else None
    if table_reading is not None and table_reading.projects:
        readings.append(table_reading)
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    if paragraphs:
        readings.extend(_numbered_readings(paragraphs, doc.truncated_hint))
        readings.extend(_unnumbered_readings(paragraphs))
    intro = _introduction(doc)
    announced = announced_count(intro) if intro else None
    for reading in readings:
        score_reading(reading, announced)
    # Stable: on equal scores the earlier (more explicit) reading wins.
    return sorted(readings, key=lambda r: -r.score)


def _introduction(doc: Document) -> str:
    """The text before the first table or list-like block (where counts such as `10件实事` are announced)."""
    lines: list[str] = []
    for block in doc.blocks[:40]:
        if isinstance(block, Table):
            break
        lines.append(block.text)
    return "".join(lines)[:3000]


def _numbered_readings(paragraphs: list[Paragraph], truncated_hint: bool) -> list[Reading]:
    present = marker_families(paragraphs)
    family_sets: list[frozenset[str]] = [DEFAULT_FAMILIES]
    # Families that also occur inside text are tried with the heading families that may group them.
    for extra in EXTRA_FAMILIES:
        if extra in present:
            family_sets.append(frozenset({extra, "cn", "pcn"}))
            family_sets.append(frozenset({extra}))
    out: list[Reading] = []
    seen: set[tuple[tuple[int, ...], tuple[str, ...]]] = set()
    # Two levels of numbering: categories over projects, or projects over their items.
    variants = [(families, False) for families in family_sets] + [(DEFAULT_FAMILIES, True)]
    for families, outer_projects in variants:
        listed = parse_list(
            paragraphs, truncated_hint=truncated_hint, families=families, outer_projects=outer_projects
        )
        if not listed.projects:
            continue
        signature = (tuple(listed.numbers), tuple(i.text for p in listed.projects for i in p.items))
        if signature in seen:
            continue
        seen.add(signature)
        out.append(
            Reading(
                kind="numbered: "
                + "+".join(sorted(families))
                + (" (projects over items)" if outer_projects else ""),
                projects=listed.projects,
                warnings=listed.warnings,
                preamble=listed.preamble,
                truncated=listed.truncated,
                has_units=listed.has_units,
                numbers=listed.numbers,
                items_restart=listed.items_restart,
                restarts_per_category=listed.restarts_per_category,
                headings=listed.headings,
                outer_projects=outer_projects,
            )
        )
    return out


def _unnumbered_readings(paragraphs: list[Paragraph]) -> list[Reading]:
    out = []
    for kind, found in (("lines", line_entries(paragraphs)), ("inline", inline_entries(paragraphs))):
        if found is not None:
            projects, preamble = found
            out.append(
                Reading(
                    kind=kind,
                    projects=projects,
                    preamble=preamble,
                    numbers=[p.no for p in projects],
                    numbered=False,
                    has_units=any(i.lead_units for p in projects for i in p.items),
                )
            )
    return out


# Weights of the score. A reading earns about one point per entry it explains well; numbering that
# runs 1, 2, 3 … is the strongest evidence, an unnumbered reading has only the entries' shape.
_NUMBERED_WEIGHT = 1.0
_UNNUMBERED_WEIGHT = 0.7
_TABLE_WEIGHT = 1.3
_ANNOUNCED_BONUS = 3.0


_BARE_QUANTITY = re.compile(r"^[\d.,，万余多约]+[\u4e00-\u9fff%％]{0,3}[。.]?$")


def score_reading(reading: Reading, announced: int | None) -> float:
    """How well the reading explains the document (higher is better); notes say what cost points."""
    projects = reading.projects
    # Entries explained: the items (a project heading over its numbered items explains them all).
    n = sum(max(1, len(p.items)) for p in projects)
    if n == 0:
        reading.score = 0.0
        return 0.0
    texts = [i.text for p in projects for i in p.items] or [p.name for p in projects]
    lengths = [len(t) for t in texts]
    # Numbering: the share of steps that go up by one, and a start at 1.
    if reading.numbered and len(reading.numbers) > 1:
        steps = list(zip(reading.numbers, reading.numbers[1:], strict=False))
        continuous = sum(1 for a, b in steps if b == a + 1) / len(steps)
        if continuous < 1:
            reading.notes.append("numbering gap")
    else:
        continuous = 1.0
    if reading.restarts_per_category:
        continuous = 1.0  # 1, 2 … under each category is regular numbering, not a gap
    if reading.items_restart < 1:
        # Items numbered on across the headings: the headings are categories, not projects.
        continuous *= reading.items_restart
        reading.notes.append("item numbering runs across projects")
    # Two levels whose numbering allows both readings: the headings' words decide (spec: short
    # category words are categories; a name with works is a project).
    if reading.headings and (reading.outer_projects or reading.restarts_per_category):
        as_projects = sum(1 for h in reading.headings if heading_reads_as_project(h)) / len(reading.headings)
        against = 1 - as_projects if reading.outer_projects else as_projects
        continuous *= 1 - 0.4 * against
    # A bare figure (`8950人`, `51个`) is a target, never a project's name: such a reading took the
    # items for projects.
    bare = sum(1 for p in projects if _BARE_QUANTITY.match(compact(p.name))) / len(projects)
    if bare:
        continuous *= 1 - 0.6 * bare
        reading.notes.append("figures read as project names")
    starts_at_one = not reading.numbered or (reading.numbers and reading.numbers[0] == 1)
    if not starts_at_one:
        reading.notes.append("numbering does not start at 1")
    # Entries of plausible length: not empty, not a whole page.
    plausible = sum(1 for length in lengths if 4 <= length <= 1500) / len(lengths)
    if plausible < 1:
        reading.notes.append("unusual entry length")
    # Regular length: entries of one list are alike; a reading that mixes headings and pages is not.
    regular = 1.0
    if len(lengths) >= 3:
        spread = statistics.pstdev(lengths) / max(1.0, statistics.mean(lengths))
        regular = 1.0 if spread <= 1.2 else max(0.5, 1.2 / spread)
    quantities = sum(1 for t in texts if any(ch.isdigit() for ch in t)) / len(texts)
    weight = (
        _TABLE_WEIGHT
        if reading.kind == "table"
        else _NUMBERED_WEIGHT
        if reading.numbered
        else _UNNUMBERED_WEIGHT
    )
    per_entry = weight * (0.4 + 0.6 * continuous) * (0.5 + 0.5 * plausible) * regular
    per_entry *= 1.0 + 0.15 * quantities + (0.15 if reading.has_units else 0.0)
    score = n * per_entry * (1.0 if starts_at_one else 0.7)
    if announced and announced > 1:
        if announced == len(projects):
            score += _ANNOUNCED_BONUS
        elif len(projects) > announced:
            score -= (len(projects) - announced) * 0.5 * per_entry
            reading.notes.append("more entries than announced")
    reading.score = score
    return score
