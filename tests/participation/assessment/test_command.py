"""minsheng assess: the same services from the command line, bad weights refused with a message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from minsheng.participation.assessment.models import UnitScore

pytestmark = pytest.mark.django_db


def test_weights_compute_and_workbook(world, tmp_path: Path):
    out = io.StringIO()
    target = tmp_path / "scores.xlsx"
    call_command(
        "assess",
        str(world.plan.pk),
        "--weights",
        "on_time=40,completion=30,supervision=30,satisfaction=0,rectification=0",
        "--on",
        "2024-04-30",
        "-o",
        str(target),
        stdout=out,
    )
    score = UnitScore.objects.get(unit=world.lead)
    assert f"{score.total}" in out.getvalue() and "区住建局" in out.getvalue()
    sheet = load_workbook(target).active
    assert sheet.cell(row=4, column=2).value == "区住建局"


@pytest.mark.parametrize(
    ("weights", "message"),
    [("on_time=50,completion=30", "80"), ("speed=100", "unknown part"), ("on_time=lots", "whole number")],
)
def test_bad_weights_are_refused(world, weights, message):
    with pytest.raises(CommandError, match=message):
        call_command("assess", str(world.plan.pk), "--weights", weights)
    assert not UnitScore.objects.exists()


def test_an_unknown_plan_is_refused():
    with pytest.raises(CommandError, match="no plan"):
        call_command("assess", "999999")
