"""`minsheng parse FILE [--format json|table]`: print a list as Plan JSON or as a readable summary.

A file that cannot be read prints one line on stderr (`minsheng parse: file: location: reason`) and
exits 2; nothing else escapes as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from minsheng.parsing import ParseError, Plan, parse_file

_OPS = {"=": "=", ">=": "≥", "<=": "≤", "~": "≈"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="minsheng parse", description="Parse a livelihood-project list.")
    parser.add_argument("file", help="a .txt .docx .xlsx .pdf .html file (format detected from the content)")
    parser.add_argument("--format", choices=("json", "table"), default="json", help="output format")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its usage message
        return 2 if exc.code else 0
    try:
        plan = parse_file(args.file)
    except ParseError as exc:
        print(f"minsheng parse: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"minsheng parse: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        if args.format == "json":
            sys.stdout.write(plan.to_json() + "\n")
        else:
            write_table(plan, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`minsheng parse … | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _number(value: object) -> str:
    text = format(value, "f") if hasattr(value, "as_tuple") else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def write_table(plan: Plan, out: TextIO) -> None:
    """A summary for a person checking the result."""
    head = " · ".join(x for x in (plan.title, plan.region, str(plan.year) if plan.year else None) if x)
    out.write(f"{head or '(no title)'}\n")
    items = sum(len(p.items) for p in plan.projects)
    out.write(f"{len(plan.projects)} projects, {items} items{' (truncated)' if plan.truncated else ''}\n")
    for project in plan.projects:
        alias = f"（{project.alias}）" if project.alias else ""
        star = " ★" if project.starred else ""
        category = f"  [{project.category}]" if project.category else ""
        out.write(f"\n{project.no}. {project.name}{alias}{star}{category}\n")
        for index, item in enumerate(project.items, start=1):
            text = item.text if len(item.text) <= 60 else item.text[:59] + "…"
            out.write(f"  {project.no}.{index} {text}\n")
            out.write(
                f"      lead: {'、'.join(item.lead_units) or '—'}   partner: {'、'.join(item.partner_units) or '—'}\n"
            )
            for target in item.targets:
                extra = f" (to {_number(target.range_max)})" if target.range_max is not None else ""
                base = f" (from {_number(target.baseline)})" if target.baseline is not None else ""
                out.write(
                    f"      target: {_number(target.value)} {target.unit} {_OPS.get(target.op, target.op)}"
                    f"{extra}{base} ← {target.quote}\n"
                )
            for milestone in item.milestones:
                out.write(f"      milestone: {milestone.subject} → {milestone.state}\n")
            for key, value in item.extra.items():
                out.write(f"      {key}: {value}\n")
    if plan.warnings:
        out.write(f"\n{len(plan.warnings)} warnings\n")
        for warning in plan.warnings:
            out.write(f"  {warning.location}: {warning.message}\n")
