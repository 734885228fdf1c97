"""Evidence uploads: type by content, size limit, empty files, metadata stripped, nothing half-saved."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.progress import services
from minsheng.progress.models import Evidence, ReportRevision
from progress.factories import World, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def office_zip(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return out.getvalue()


@pytest.fixture
def report(world: World) -> Any:
    return filled_report(world, world.item, world.period(3))


def add(world: World, report: Any, name: str, data: bytes, user: Any = None) -> Evidence:
    return services.evidence_add(
        acting_user=user or world.reporter, report=report, upload=SimpleUploadedFile(name, data)
    )


def test_gps_jpeg_keeps_original_and_strips_public_copy(world: World, report: Any, settings: Any) -> None:
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)  # the fixture really has GPS
    evidence = add(world, report, "现场.jpg", data)
    assert evidence.content_type == "image/jpeg" and evidence.size == len(data)
    with evidence.original.open("rb") as handle:
        assert handle.read() == data
    with evidence.public_copy.open("rb") as handle:
        public = Image.open(io.BytesIO(handle.read()))
        assert not public.getexif() and "exif" not in public.info
        assert public.size == (64, 48)
    with evidence.thumbnail.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).format == "JPEG"
    # Stored under random names, never the uploaded one.
    assert "现场" not in evidence.original.name and evidence.original.name.startswith("evidence/original/")
    assert len(media_files(settings)) == 3
    assert ReportRevision.objects.filter(report=report, action="evidence").exists()


def test_png_copy_has_no_text_chunks(world: World, report: Any) -> None:
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    meta.add_text("Location", "31.73N 119.56E")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=meta)
    evidence = add(world, report, "图.png", out.getvalue())
    with evidence.public_copy.open("rb") as handle:
        copy = Image.open(io.BytesIO(handle.read()))
    assert "Location" not in copy.info and copy.mode == "RGBA"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("说明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"),
        ("汇报.docx", office_zip("word/document.xml"), "wordprocessingml"),
        ("台账.xlsx", office_zip("xl/workbook.xml"), "spreadsheetml"),
    ],
)
def test_documents_are_recognised_by_content(
    world: World, report: Any, name: str, data: bytes, content_type: str
) -> None:
    evidence = add(world, report, name, data)
    assert content_type in evidence.content_type
    assert not evidence.public_copy and not evidence.thumbnail


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"MZ\x90\x00 this is an executable", "not a photo"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not a photo"),
        ("sheet.xlsx", b"PK\x03\x04 not really a zip", "not a photo"),
        ("other.docx", office_zip("content.xml"), "not a photo"),
        ("broken.jpg", b"\xff\xd8\xff\xe0 truncated", "damaged image"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_refused_uploads_leave_nothing(
    world: World, report: Any, settings: Any, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        add(world, report, name, data)
    assert not Evidence.objects.exists()
    assert media_files(settings) == []
    assert not ReportRevision.objects.filter(action="evidence").exists()


def test_oversized_upload_is_refused(world: World, report: Any, settings: Any) -> None:
    settings.MINSHENG_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed, match="limit is"):
        add(world, report, "big.pdf", b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF")
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_a_failure_after_the_files_are_written_removes_them(
    world: World, report: Any, settings: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    from minsheng.progress.services import uploads

    monkeypatch.setattr(uploads, "_record", broken)  # the revision written after the files
    with pytest.raises(RuntimeError):
        add(world, report, "现场.jpg", jpeg_with_gps())
    assert media_files(settings) == []


def test_only_the_items_units_add_evidence_and_not_after_submission(world: World, report: Any) -> None:
    with pytest.raises(NotAllowed):
        add(world, report, "a.jpg", jpeg_with_gps(), user=world.other_reporter)
    add(world, report, "partner.jpg", jpeg_with_gps(), user=world.partner_reporter)
    services.report_submit(acting_user=world.reporter, report=report)
    with pytest.raises(services.TransitionError):
        add(world, report, "late.jpg", jpeg_with_gps())


def test_heic_is_recognised_and_refused_without_a_decoder(
    world: World, report: Any, monkeypatch: Any
) -> None:
    from minsheng.progress import evidence as files

    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert files.sniff(heic) is files.HEIC
    monkeypatch.setattr(files, "HEIC_SUPPORTED", False)
    with pytest.raises(ValidationFailed, match="HEIC"):
        add(world, report, "IMG_1234.HEIC", heic)
    assert not Evidence.objects.exists()
