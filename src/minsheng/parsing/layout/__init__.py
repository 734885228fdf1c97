"""Layout: turn a `Document` (paragraphs and tables, from any reader) into a `Plan`.

The layout is detected from the document, never from fixed positions: tables with a recognisable
header (`tables.py`) win; otherwise the paragraphs are read as a numbered list (`lists.py`). The lines
before the list give the title, region and year (`meta.py`). Every item's text then goes through
target and milestone extraction, and what a person should check becomes a warning.
"""

from __future__ import annotations

import re

from minsheng.parsing.blocks import Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.layout.candidates import Reading, find_structure
from minsheng.parsing.layout.lists import category_heading
from minsheng.parsing.layout.meta import announced_count, find_region, find_title, find_year
from minsheng.parsing.layout.names import split_count_note
from minsheng.parsing.layout.tables import TableResult, header_index, parse_table
from minsheng.parsing.model import Item, ParseWarning, Plan, Project
from minsheng.parsing.normalize import fold
from minsheng.parsing.units import suspicious_units

__all__ = ["build_plan"]


def build_plan(doc: Document) -> Plan:
    """The plan a document holds; a ParseError when the document holds no list at all."""
    plan = Plan()
    readings = find_structure(doc, _table_reading)
    if not readings:
        raise _no_list(doc)
    best = readings[0]
    projects = best.projects
    warnings = list(best.warnings)
    plan.truncated = best.truncated or doc.truncated_hint
    _renumber_if_needed(projects)
    for project in projects:
        if project.alias is None:
            project.name, project.count_note = split_count_note(project.name)
    plan.projects = projects
    _metadata(plan, best.preamble, doc)
    _announced(plan, best.preamble, warnings)
    for project in projects:
        for item in project.items:
            _extract(item, warnings)
    _unit_warnings(projects, best.has_units, warnings)
    _confidence(plan, readings, warnings)
    plan.warnings = warnings
    return plan


def _table_reading(doc: Document) -> Reading | None:
    table_results = _tables(doc)
    if not table_results:
        return None
    reading = Reading(kind="table", projects=[])
    for result in table_results:
        reading.projects.extend(result.projects)
        reading.warnings.extend(result.warnings)
        reading.truncated = reading.truncated or result.truncated
        reading.has_units = reading.has_units or result.has_unit_columns
    first_table = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Table)), len(doc.blocks))
    reading.preamble = [b.text for b in doc.blocks[:first_table] if isinstance(b, Paragraph)]
    reading.preamble += table_results[0].title_lines
    reading.numbers = [p.no for p in reading.projects]
    return reading


def _no_list(doc: Document) -> ParseError:
    """The error for a document in which no list was found, saying what was looked for."""
    if not any((isinstance(b, Paragraph) and b.text.strip()) or isinstance(b, Table) for b in doc.blocks):
        return ParseError("the document is empty", file=doc.name)
    table = next((b for b in doc.blocks if isinstance(b, Table) and b.rows), None)
    if table is not None:
        first = " | ".join(t.strip() for t in table.rows[0].texts if t.strip())[:80]
        return ParseError(
            "no list of projects found: no table has a header with 项目名称 or 主要内容 and 序号/责任单位 "
            f"columns (first row: {first}), and there are no numbered entries",
            file=doc.name,
            location=table.location or table.rows[0].location,
        )
    return ParseError(
        "no list of projects found: no table with 序号/项目名称/主要内容/责任单位 columns and no numbered "
        "entries (1. / 一、 / （1） / 第一项)",
        file=doc.name,
    )


def _tables(doc: Document) -> list[TableResult]:
    """Parse every table with a header; a table without one that continues the previous table (same
    number of columns, a page break in a Word file) is read with the previous header."""
    results: list[TableResult] = []
    header: Row | None = None
    next_no = 1
    between: list[str] = []  # paragraphs since the last table
    category: str | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            between.append(block.text)
        if not isinstance(block, Table) or not block.rows:
            continue
        if between:  # a heading just above the table (`一、教育文体类（2件）`) names its category
            category = category_heading(between[-1])
            between = []
        result = parse_table(block, start_no=next_no)
        if result is None and header is not None and len(block.rows[0].cells) == len(header.cells):
            previous = results[-1].projects[-1] if results and results[-1].projects else None
            result = parse_table(
                Table(rows=[header, *block.rows], location=block.location),
                start_no=next_no,
                previous=previous,
            )
        if result is None or not (result.projects or (results and result.truncated)):
            continue
        for project in result.projects:
            project.category = project.category or category
        if header is None:
            index = header_index(block)
            header = block.rows[index] if index is not None else None
        results.append(result)
        if result.projects:
            next_no = result.projects[-1].no + 1
    return results


def _renumber_if_needed(projects: list[Project]) -> None:
    """Keep printed numbers unless they repeat (numbering restarted per table or category)."""
    numbers = [p.no for p in projects]
    if len(set(numbers)) != len(numbers):
        for index, project in enumerate(projects, start=1):
            project.no = index


_SOURCE_LINE = re.compile(r"^\s*(?:[•·]\s*)?(?:来源|信息来源|发布机构|发文机关)\s*:")


def _metadata(plan: Plan, preamble: list[str], doc: Document) -> None:
    plan.title = find_title(preamble)
    sources = ([plan.title] if plan.title else []) + preamble
    for line in sources:
        plan.region = find_region(line)
        if plan.region:
            break
    if plan.region is None:  # a source line anywhere (`来源:新沂市人大`) names the publisher
        for block in doc.blocks:
            if isinstance(block, Paragraph) and _SOURCE_LINE.match(fold(block.text)):
                plan.region = find_region(block.text)
                if plan.region:
                    break
    for line in sources:
        plan.year = find_year(line)
        if plan.year:
            break
    if plan.year is None:
        for block in doc.blocks:
            if isinstance(block, Table):
                for row in block.rows[:3]:
                    for text in row.texts:
                        plan.year = plan.year or find_year(text)
            if plan.year:
                break


def _announced(plan: Plan, preamble: list[str], warnings: list[ParseWarning]) -> None:
    count = announced_count("".join(preamble))
    if count and plan.projects and count != len(plan.projects) and count > 1:
        if count > len(plan.projects):
            plan.truncated = True
        warnings.append(
            ParseWarning(
                location="introduction",
                code="count",
                message=f"the introduction announces {count} projects but {len(plan.projects)} were read",
            )
        )


def _extract(item: Item, warnings: list[ParseWarning]) -> None:
    # Imported here so that readers can use `layout.columns` without loading the extractors.
    from minsheng.parsing.milestones import extract_milestones
    from minsheng.parsing.targets import extract_targets

    extraction = extract_targets(item.text)
    item.targets = list(extraction.targets)
    item.milestones = list(extract_milestones(item.text))
    for quote in extraction.unclassified:
        warnings.append(
            ParseWarning(
                location=item.location,
                code="unclassified",
                message=f"a number neither classified as a target nor as a known non-target: {quote}",
            )
        )


def _unit_warnings(projects: list[Project], has_units: bool, warnings: list[ParseWarning]) -> None:
    if not has_units:
        return
    lists: list[list[str]] = []
    where: dict[str, str] = {}
    for project in projects:
        for item in project.items:
            if not item.lead_units:
                warnings.append(
                    ParseWarning(
                        location=item.location,
                        code="no_lead_unit",
                        message=f"project {project.no} ({project.name}): an item without a lead unit",
                    )
                )
            units = item.lead_units + item.partner_units
            lists.append(units)
            for unit in units:
                where.setdefault(unit, item.location)
    for unit, intended in suspicious_units(lists):
        warnings.append(
            ParseWarning(
                location=where.get(unit, ""),
                code="unit_spelling",
                message=f"unit “{unit}” looks like a misspelling of “{intended}”",
            )
        )


# A second reading this close to the best (share of the best score) is a real alternative.
_CLOSE_SECOND = 0.85


def _confidence(plan: Plan, readings: list[Reading], warnings: list[ParseWarning]) -> None:
    """The plan's and each project's confidence, from the readings and from what the best one lacks."""
    best = readings[0]
    for note in best.notes:
        plan.confidence.lower("medium", note)
    second = next((r for r in readings[1:] if len(r.projects) != len(best.projects)), None)
    if second is not None and second.score >= _CLOSE_SECOND * best.score:
        reason = (
            f"close alternative reading: {second.kind} with {len(second.projects)} projects "
            f"(kept {best.kind} with {len(best.projects)})"
        )
        plan.confidence.lower("low", reason)
        warnings.append(ParseWarning(location="document", code="alternative", message=reason))
    if any(w.code == "count" for w in warnings):
        plan.confidence.lower("medium", "announced count not matched")
    lengths = sorted(len("".join(i.text for i in p.items)) for p in plan.projects)
    median = lengths[len(lengths) // 2] if lengths else 0
    for project in plan.projects:
        text = "".join(i.text for i in project.items)
        if best.has_units and any(not i.lead_units for i in project.items):
            project.confidence.lower("medium", "entry without units")
        if median and (len(text) > 5 * median + 100 or len(text) < 4):
            project.confidence.lower("medium", "unusual length")
        if not project.name:
            project.confidence.lower("low", "no name")
        if project.confidence.level != "high":
            plan.confidence.lower("medium", f"project {project.no}: {', '.join(project.confidence.reasons)}")
