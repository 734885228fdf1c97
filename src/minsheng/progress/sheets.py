"""The reporting spreadsheet (填报表), both ways.

`sheet_build(user=, plan=, period=, unit=None) -> bytes` — one row per item (texts), target (cumulative
value reached) and milestone (state, done on) of the items the unit leads; the current draft or the last
approved values filled in; every other cell locked by sheet protection; a hidden id column and a hidden
`_meta` sheet tie the file to its plan and period.

`sheet_preview(user=, plan=, period=, data=) -> SheetPreview` — reads an upload back without writing:
every change per item (old → new) and every error with sheet, row, column and what is wrong.

`sheet_apply(acting_user=, plan=, period=, data=, submit=True) -> list[ProgressReport]` — re-reads the file
and saves (and submits) every changed report in one transaction; any error changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from minsheng.core.exceptions import ValidationFailed
from minsheng.core.spreadsheets import restore_cell, safe_workbook
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, Plan
from minsheng.progress import addons, policies, services
from minsheng.progress.choices import MilestoneProgress, ReportStatus
from minsheng.progress.models import MilestoneState, Period, ProgressReport, TargetValue

SHEET = "填报"
META = "_meta"
MAX_BYTES = 5 * 1024 * 1024
# Column numbers (1-based).
ID, PROJECT, ITEM, KIND, QUOTE, TARGET, MEASURE, DUE, LAST, REACHED, DONE_ON, PROGRESS, PROBLEMS, NEXT = (
    range(1, 15)
)
STATE_LABELS = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成"}
_LABEL_STATES = {label: value for value, label in STATE_LABELS.items()}
_EDIT_FILL = PatternFill("solid", fgColor="FFF8DC")


def _headers() -> list[str]:
    return [
        "id",
        _("Project"),
        _("Item"),
        _("Row"),
        _("Target or milestone"),
        _("Target value"),
        _("Unit of measure"),
        _("Due date"),
        _("Last approved"),
        _("Reached so far / state"),
        _("Done on"),
        _("Progress made"),
        _("Problems"),
        _("Next steps"),
    ]


def sheet_items(user: Any, plan: Plan) -> list[Item]:
    """Items the sheet covers: those the user's unit leads (all items of the plan for the office)."""
    items = (
        Item.objects.filter(project__plan=plan)
        .select_related("project__plan")
        .prefetch_related("item_units__unit", "targets", "milestones")
        .order_by("project__position", "project__no", "position")
    )
    if policies.is_office(user, plan) and not getattr(user, "unit_id", None):
        return list(items)
    if user.unit_id is None:
        return []
    return [
        i
        for i in items
        if any(
            iu.role == UnitRole.LEAD and policies.unit_stands_for(iu.unit, user.unit)
            for iu in i.item_units.all()
        )
    ]


def _current(
    items: list[Item], period: Period
) -> tuple[dict[int, ProgressReport], dict[int, Decimal], dict[int, str]]:
    """This period's reports, and the last approved target values and milestone states before or in it."""
    ids = [i.pk for i in items]
    reports = {
        r.item_id: r
        for r in ProgressReport.objects.filter(period=period, item_id__in=ids).prefetch_related(
            "target_values", "milestone_states"
        )
    }
    approved = {
        "report__status": ReportStatus.APPROVED,
        "report__period__start__lte": period.start,
        "report__item_id__in": ids,
    }
    values: dict[int, Decimal] = {}
    for row in (
        TargetValue.objects.filter(**approved)
        .order_by("target_id", "-report__period__start")
        .values("target_id", "value")
    ):
        values.setdefault(row["target_id"], row["value"])
    states: dict[int, str] = {}
    for milestone_id, state in (
        MilestoneState.objects.filter(**approved)
        .order_by("milestone_id", "-report__period__start")
        .values_list("milestone_id", "state")
    ):
        states.setdefault(milestone_id, state)
    return reports, values, states


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def sheet_build(*, user: Any, plan: Plan, period: Period, unit: Any = None) -> bytes:
    """The reporting sheet for `period` as .xlsx bytes."""
    items = sheet_items(user, plan)
    if unit is not None:
        items = [
            i
            for i in items
            if any(iu.role == UnitRole.LEAD and iu.unit_id == unit.pk for iu in i.item_units.all())
        ]
    reports, approved_values, approved_states = _current(items, period)
    extra_rows = _extra_rows(items, period, reports)
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = SHEET
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    states = DataValidation(
        type="list", formula1='"' + ",".join(STATE_LABELS.values()) + '"', allow_blank=True
    )
    numbers = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    for validation in (states, numbers, dates):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)

    def editable(row: int, col: int) -> None:
        cell = sheet.cell(row=row, column=col)
        cell.protection = Protection(locked=False)
        cell.fill = _EDIT_FILL

    for item in items:
        report = reports.get(item.pk)
        draft_values = {v.target_id: v.value for v in report.target_values.all()} if report else {}
        draft_states = {s.milestone_id: s for s in report.milestone_states.all()} if report else {}
        sheet.append(
            [
                f"i:{item.pk}",
                f"{item.project.no}. {item.project.name}",
                item.text,
                _("item"),
                report.get_status_display() if report else _("not reported"),
                None,
                None,
                None,
                None,
                None,
                None,
                report.progress if report else "",
                report.problems if report else "",
                report.next_steps if report else "",
            ]
        )
        row = sheet.max_row
        for col in (PROGRESS, PROBLEMS, NEXT):
            editable(row, col)
        for target in item.targets.all():
            last = approved_values.get(target.pk)
            reached = draft_values.get(target.pk, last)
            sheet.append(
                [
                    f"t:{target.pk}",
                    None,
                    None,
                    _("target"),
                    target.quote,
                    _num(target.value),
                    target.unit,
                    target.due_date,
                    _num(last),
                    _num(reached),
                ]
            )
            row = sheet.max_row
            editable(row, REACHED)
            numbers.add(sheet.cell(row=row, column=REACHED))
        for milestone in item.milestones.all():
            last_state = approved_states.get(milestone.pk)
            current = draft_states.get(milestone.pk)
            state = current.state if current else last_state
            sheet.append(
                [
                    f"m:{milestone.pk}",
                    None,
                    None,
                    _("milestone"),
                    milestone.quote,
                    milestone.state,
                    None,
                    milestone.due_date,
                    STATE_LABELS.get(last_state or ""),
                    STATE_LABELS.get(state or ""),
                    current.done_on if current else None,
                ]
            )
            row = sheet.max_row
            editable(row, REACHED)
            editable(row, DONE_ON)
            states.add(sheet.cell(row=row, column=REACHED))
            dates.add(sheet.cell(row=row, column=DONE_ON))
        for extra in extra_rows.get(item.pk, []):  # other apps' rows (progress.addons)
            numbers_of = [_num(extra.planned), extra.measure, None, _num(extra.last), _num(extra.current)]
            sheet.append([extra.key, None, None, extra.kind, extra.label, *numbers_of])
            editable(sheet.max_row, REACHED)
            numbers.add(sheet.cell(row=sheet.max_row, column=REACHED))
    widths = {
        ID: 8,
        PROJECT: 18,
        ITEM: 40,
        KIND: 8,
        QUOTE: 36,
        TARGET: 10,
        MEASURE: 8,
        DUE: 12,
        LAST: 12,
        REACHED: 14,
        DONE_ON: 12,
        PROGRESS: 40,
        PROBLEMS: 30,
        NEXT: 30,
    }
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column == DUE or cell.column == DONE_ON:
                cell.number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns
    meta = book.create_sheet(META)
    meta.append(["plan", plan.pk])
    meta.append(["period", period.pk])
    meta.append(["period_start", period.start.isoformat()])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    safe_workbook(book)
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class RowError:
    """A problem in the upload: sheet, row (1-based as Excel shows it), column letter, what."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}: {self.message}"


@dataclass
class ItemChange:
    """What the upload changes on one item's report."""

    item: Item
    row: int
    report: ProgressReport | None
    values: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    states: dict[int, tuple[str | None, tuple[str, dt.date | None]]] = field(default_factory=dict)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)  # other apps' rows
    rows: dict[str, int] = field(default_factory=dict)
    # Unusual values (beyond the target, below an approved cumulative value): confirmed before saving.
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.values or self.states or self.texts or self.extra)

    def lines(self) -> list[tuple[str, str, str]]:
        """(what, before, after) for the preview."""
        out: list[tuple[str, str, str]] = []
        for key, (old_value, new_value) in self.values.items():
            out.append((self.labels[f"t{key}"], _plain(old_value), _plain(new_value)))
        for key, (old_state, (state, done_on)) in self.states.items():
            after = STATE_LABELS[state] + (f" {done_on}" if done_on else "")
            out.append((self.labels[f"m{key}"], STATE_LABELS.get(old_state or "", ""), after))
        names = {"progress": _("Progress made"), "problems": _("Problems"), "next_steps": _("Next steps")}
        for name, (old_text, new_text) in self.texts.items():
            out.append((str(names[name]), old_text, new_text))
        for row_key, (old_extra, new_extra) in self.extra.items():
            out.append((self.labels[row_key], _plain(old_extra), _plain(new_extra)))
        return out


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class SheetPreview:
    """The result of reading an upload: changes per item and row-level errors."""

    changes: list[ItemChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def changed(self) -> list[ItemChange]:
        return [c for c in self.changes if c.changed]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unusual(self) -> list[ItemChange]:
        """Changed items whose values the uploader must confirm (as the web form asks)."""
        return [c for c in self.changed if c.warnings]


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("The spreadsheet is larger than %d MB.") % (MAX_BYTES // 1024 // 1024))
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationFailed(_("This is not an Excel (.xlsx) file."))
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationFailed(
            _("This Excel file cannot be read; download a new sheet and fill it in.")
        ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    return str(restore_cell(value)).strip()


def _parse_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    text = str(value).strip().replace(",", "").replace("，", "")
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError
    return number


def _parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text)


def sheet_preview(*, user: Any, plan: Plan, period: Period, data: bytes) -> SheetPreview:
    """Read an uploaded sheet without writing anything."""
    book = _open(data)
    preview = SheetPreview()
    if SHEET not in book.sheetnames:
        preview.errors.append(
            RowError(SHEET, 1, "A", _("The sheet “%s” is missing; use the downloaded file.") % SHEET)
        )
        return preview
    meta = {}
    if META in book.sheetnames:
        meta = {_cell_text(r[0]): r[1] for r in book[META].iter_rows(values_only=True) if r and r[0]}
    if str(meta.get("plan")) != str(plan.pk) or str(meta.get("period")) != str(period.pk):
        preview.errors.append(
            RowError(
                META,
                1,
                "B",
                _("This file was downloaded for another plan or period; download this period's sheet."),
            )
        )
        return preview
    items = {i.pk: i for i in sheet_items(user, plan)}
    allowed = {pk for pk, i in items.items() if policies.can_report(user, i)}
    targets = {t.pk: (i.pk, t) for i in items.values() for t in i.targets.all()}
    milestones = {m.pk: (i.pk, m) for i in items.values() for m in i.milestones.all()}
    reports, approved_values, approved_states = _current(list(items.values()), period)
    extras = _extra_rows(list(items.values()), period, reports)
    extra_rows = {r.key: r for rows in extras.values() for r in rows}
    extra_owner = {r.key: item_id for item_id, rows in extras.items() for r in rows}
    changes: dict[int, ItemChange] = {}
    sheet = book[SHEET]

    def change_for(item_id: int, row: int) -> ItemChange:
        if item_id not in changes:
            changes[item_id] = ItemChange(item=items[item_id], row=row, report=reports.get(item_id))
        return changes[item_id]

    def error(row: int, col: int, message: str) -> None:
        preview.errors.append(RowError(SHEET, row, get_column_letter(col), message))

    for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = list(row) + [None] * (NEXT - len(row))
        key = _cell_text(cells[ID - 1])
        if not key and not any(cells):
            continue
        kind, _sep, raw_id = key.partition(":")
        extra = extra_rows.get(key)  # another app's row: prefix:item id, or more (sv:item:site:target)
        if extra is None and (kind not in ("i", "t", "m") or not raw_id.isdigit()):
            error(row_no, ID, _("Unknown row id “%s”; do not add, move or change ids.") % key)
            continue
        pk = extra_owner[key] if extra is not None else int(raw_id)
        owner = (
            pk
            if kind == "i" or extra is not None
            else (targets.get(pk, (None,))[0] if kind == "t" else milestones.get(pk, (None,))[0])
        )
        if owner is None or owner not in items:
            error(row_no, ID, _("Row id “%s” is not one of your items in this plan.") % key)
            continue
        if owner not in allowed:
            error(row_no, ID, _("Your unit does not lead this item, so it cannot report on it."))
            continue
        change = change_for(owner, row_no)
        report = change.report
        if kind == "i":
            for col, name in ((PROGRESS, "progress"), (PROBLEMS, "problems"), (NEXT, "next_steps")):
                new = _cell_text(cells[col - 1])
                old = getattr(report, name) if report else ""
                if new != old:
                    change.texts[name] = (old, new)
            change.row = row_no
        elif extra is not None:
            change.labels[key], change.rows[key] = extra.label, row_no
            try:
                number = _parse_decimal(cells[REACHED - 1])
            except (InvalidOperation, ValueError):
                error(row_no, REACHED, _("“%s” is not a number.") % cells[REACHED - 1])
                continue
            if number != extra.current:
                change.extra[key] = (extra.current, number)
        elif kind == "t":
            target = targets[pk][1]
            change.labels[f"t{pk}"], change.rows[f"t{pk}"] = target.quote, row_no
            stored: Decimal | None = (
                next((v.value for v in report.target_values.all() if v.target_id == pk), None)
                if report
                else None
            )
            stored = stored if stored is not None else approved_values.get(pk)
            try:
                reached = _parse_decimal(cells[REACHED - 1])
            except (InvalidOperation, ValueError):
                error(row_no, REACHED, _("“%s” is not a number.") % cells[REACHED - 1])
                continue
            if reached is not None and reached < 0:
                error(row_no, REACHED, _("A value reached cannot be negative."))
                continue
            if reached is None and stored is not None:
                error(row_no, REACHED, _("The value reached cannot be emptied; enter 0 if nothing was done."))
                continue
            if reached is not None and (stored is None or reached.quantize(Decimal("0.0001")) != stored):
                change.values[pk] = (stored, reached)
        else:
            milestone = milestones[pk][1]
            change.labels[f"m{pk}"] = milestone.quote
            current = (
                next((s for s in report.milestone_states.all() if s.milestone_id == pk), None)
                if report
                else None
            )
            old_state = current.state if current else approved_states.get(pk)
            label = _cell_text(cells[REACHED - 1])
            if not label:
                continue
            state = _LABEL_STATES.get(label) or (label if label in MilestoneProgress.values else None)
            if state is None:
                error(
                    row_no,
                    REACHED,
                    _("“%(value)s” is not a state; use %(choices)s.")
                    % {"value": label, "choices": "、".join(STATE_LABELS.values())},
                )
                continue
            try:
                done_on = _parse_date(cells[DONE_ON - 1])
            except (ValueError, TypeError):
                error(row_no, DONE_ON, _("“%s” is not a date (YYYY-MM-DD).") % cells[DONE_ON - 1])
                continue
            if state == MilestoneProgress.DONE and done_on is None:
                error(row_no, DONE_ON, _("A completed milestone needs the date it was completed."))
                continue
            old_done = current.done_on if current else None
            if state != old_state or (state == MilestoneProgress.DONE and done_on != old_done):
                change.states[pk] = (old_state, (state, done_on if state == MilestoneProgress.DONE else None))

    for change in changes.values():
        if not change.changed:
            continue
        report = change.report
        if report is not None and report.status not in services.EDITABLE:
            error(
                change.row,
                ID,
                _("The report on this item is %s; it cannot change.") % report.get_status_display(),
            )
            continue
        _totals_from_parts(change, period, approved_values, error)
        progress = change.texts.get("progress", (None, report.progress if report else ""))[1]
        if not progress:
            error(change.row, PROGRESS, _("Describe the progress made before the report can be submitted."))
        missing = [
            t
            for t in change.item.targets.all()
            if t.pk not in change.values
            and (report is None or not any(v.target_id == t.pk for v in report.target_values.all()))
            and approved_values.get(t.pk) is None
        ]
        for target in missing:
            error(change.row, REACHED, _("“%s” has no value reached.") % target.quote[:40])
        # The same rule as the report form: the values the report will hold, against the approved ones.
        held = {v.target_id: v.value for v in report.target_values.all()} if report else {}
        final: dict[int, Decimal] = {}
        for t in change.item.targets.all():
            value = (
                change.values[t.pk][1] if t.pk in change.values else held.get(t.pk, approved_values.get(t.pk))
            )
            if value is not None:
                final[t.pk] = value
        change.warnings = services.value_warnings(change.item.targets.all(), final, approved_values)
        for part in addons.report_parts():
            found = {k: new for k, (_old, new) in change.extra.items() if addons.part_for(k) == part}
            if found and part.sheet_check is not None:
                for row_key, message in part.sheet_check(change.item, period, report, found).items():
                    error(change.rows.get(row_key, change.row), REACHED, message)
    preview.changes = list(changes.values())
    preview.errors.sort(key=lambda e: (e.row, e.column))
    return preview


@transaction.atomic
def sheet_apply(
    *,
    acting_user: Any,
    plan: Plan,
    period: Period,
    data: bytes,
    submit: bool = True,
    confirmed: bool = False,
) -> list[ProgressReport]:
    """Save (and submit) every changed report of the upload at once; errors change nothing.

    Unusual values (`ItemChange.warnings`) raise NeedsConfirmation before anything is saved unless
    `confirmed`, as the report form asks "unusual value, confirm"."""
    preview = sheet_preview(user=acting_user, plan=plan, period=period, data=data)
    if not preview.ok:
        raise ValidationFailed("; ".join(str(e) for e in preview.errors[:20]))
    warnings = [w for change in preview.unusual for w in change.warnings]
    if warnings and not confirmed:
        raise services.NeedsConfirmation(
            _("Check these values, then confirm them to submit: %s") % " ".join(warnings), warnings=warnings
        )
    saved = []
    for change in preview.changed:
        report = change.report
        values = {pk: new for pk, (_old, new) in change.values.items()}
        # Targets the upload leaves alone keep their draft value, else the last approved one.
        have = {v.target_id for v in report.target_values.all()} if report else set()
        approved = {pk: v for pk, v in _approved_values_of(change.item, period).items() if pk not in have}
        values = {**approved, **values}
        texts = {name: new for name, (_old, new) in change.texts.items()}
        report = services.report_save(
            acting_user=acting_user,
            item=change.item,
            period=period,
            expected_version=report.version if report else None,
            target_values=values,
            milestone_states={pk: new for pk, (_old, new) in change.states.items()},
            action="upload",
            progress=texts.get("progress"),
            problems=texts.get("problems"),
            next_steps=texts.get("next_steps"),
        )
        for part in addons.report_parts():
            found = {k: new for k, (_old, new) in change.extra.items() if addons.part_for(k) == part}
            if found and part.sheet_save is not None:
                part.sheet_save(acting_user=acting_user, report=report, values=found)
        if submit:
            report = services.report_submit(acting_user=acting_user, report=report, confirmed=confirmed)
        saved.append(report)
    return saved


def _totals_from_parts(
    change: ItemChange,
    period: Period,
    approved_values: dict[int, Decimal],
    error: Callable[[int, int, str], None],
) -> None:
    """Target values other apps derive from their rows (the sum of the sites' values) replace the
    target rows'; a target row typed otherwise is an error on that row."""
    report = change.report
    held = {v.target_id: v.value for v in report.target_values.all()} if report else {}
    quotes = {t.pk: t.quote for t in change.item.targets.all()}
    for part in addons.report_parts():
        if part.sheet_totals is None:
            continue
        found = {k: new for k, (_old, new) in change.extra.items() if addons.part_for(k) == part}
        for target_id, total in part.sheet_totals(change.item, period, report, found).items():
            current = held.get(target_id, approved_values.get(target_id))
            typed = change.values.get(target_id)
            if typed is not None and typed[1] is not None and typed[1] != total:
                error(
                    change.rows.get(f"t{target_id}", change.row),
                    REACHED,
                    _("“%(target)s” is the sum of its rows below (%(total)s); change those rows instead.")
                    % {"target": quotes.get(target_id, "")[:40], "total": _plain(total)},
                )
            elif total != current:
                change.values[target_id] = (current, total)
            else:
                change.values.pop(target_id, None)


def _approved_values_of(item: Item, period: Period) -> dict[int, Decimal]:
    _reports, values, _states = _current([item], period)
    return {t.pk: values[t.pk] for t in item.targets.all() if t.pk in values}


def _extra_rows(
    items: list[Item], period: Period, reports: dict[int, ProgressReport]
) -> dict[int, list[addons.SheetRow]]:
    """Other apps' rows per item (progress.addons), in the order of their parts."""
    rows: dict[int, list[addons.SheetRow]] = {}
    for part in addons.report_parts():
        if part.sheet_rows is not None:
            for item_id, found in part.sheet_rows(items, period, reports).items():
                rows.setdefault(item_id, []).extend(found)
    return rows
