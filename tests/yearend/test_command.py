"""minsheng close-year --plan N [--on DATE] [--carry-over]"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from minsheng.audit.models import AuditEvent
from minsheng.yearend.models import CarryOver, FinalResult
from yearend.helpers import lagging

pytestmark = pytest.mark.django_db


def test_close_year_from_the_command_line(world):
    lagging(world)
    out = StringIO()
    call_command("close-year", "--plan", str(world.plan.pk), "--on", "2025-01-20", "--carry-over", stdout=out)
    text = out.getvalue()
    assert "Closed 2024" in text and "as of 2025-01-20: 1 severe" in text
    assert "Carried 1 unfinished item(s)" in text and "(new draft)" in text
    world.plan.refresh_from_db()
    assert world.plan.year_end_on == dt.date(2025, 1, 20) and world.plan.year_closed_at is not None
    assert FinalResult.objects.count() == 1 and CarryOver.objects.count() == 1
    event = AuditEvent.objects.get(message="year_close")
    assert event.actor is None  # the operator at the command line: audited as the system


def test_errors_are_messages(world):
    with pytest.raises(CommandError, match="No plan #999999"):
        call_command("close-year", "--plan", "999999")
    with pytest.raises(CommandError, match="not a date"):
        call_command("close-year", "--plan", str(world.plan.pk), "--on", "20 Jan")
    call_command("close-year", "--plan", str(world.plan.pk), stdout=StringIO())
    with pytest.raises(CommandError, match="was closed on"):
        call_command("close-year", "--plan", str(world.plan.pk))
