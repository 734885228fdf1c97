"""`minsheng evidence-verify`: a changed byte or a missing file is reported with its ids, exit status 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.progress import services
from minsheng.progress.models import Evidence
from progress.factories import World, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db


def upload(world: World, name: str, data: bytes) -> Evidence:
    report = filled_report(world, world.item, world.period(3))
    return services.evidence_add(
        acting_user=world.reporter, report=report, upload=SimpleUploadedFile(name, data)
    )


def test_intact_files_pass(world: World, capsys: Any) -> None:
    upload(world, "a.jpg", jpeg_with_gps())
    call_command("evidence-verify")
    assert "1 file(s) checked" in capsys.readouterr().out


def test_one_changed_byte_is_found_with_its_ids(world: World) -> None:
    evidence = upload(world, "a.jpg", jpeg_with_gps())
    path = Path(evidence.original.path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError) as failure:
        call_command("evidence-verify")
    message = str(failure.value)
    assert f"evidence {evidence.pk} (report {evidence.report_id})" in message
    assert "original altered" in message


def test_missing_original_and_public_copy_are_found(world: World) -> None:
    evidence = upload(world, "a.jpg", jpeg_with_gps())
    Path(evidence.original.path).unlink()
    Path(evidence.public_copy.path).unlink()
    with pytest.raises(CommandError) as failure:
        call_command("evidence-verify")
    message = str(failure.value)
    assert "original missing" in message and "public copy missing" in message
    assert message.startswith("2 problem(s) in 1 evidence file(s)")


def test_exit_status_is_not_zero(world: World, tmp_path: Path) -> None:
    from minsheng.cli import main

    evidence = upload(world, "a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    Path(evidence.original.path).write_bytes(b"%PDF-1.4 changed")
    with pytest.raises(SystemExit) as leaving:
        main(["minsheng", "evidence-verify"])
    assert leaving.value.code == 1
