"""Hostile evidence uploads are refused and leave nothing; originals are downloads only (and audited);
a replayed upload makes one row; per-report quotas; ClamAV through a clamd socket when configured."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from fpdf import FPDF
from PIL import Image

from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import ValidationFailed
from minsheng.progress import evidence, services
from minsheng.progress.models import Evidence
from progress.factories import World, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def report(world: World) -> Any:
    return filled_report(world, world.item, world.period(3))


def add(world: World, report: Any, name: str, data: bytes) -> Evidence:
    return services.evidence_add(
        acting_user=world.reporter, report=report, upload=SimpleUploadedFile(name, data)
    )


def plain_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Completion certificate")
    return bytes(pdf.output())


def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n1 0 obj\n" + body + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def flate_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (
        b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


def docx(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


HOSTILE = [
    (
        "js.pdf",
        pdf_with(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        "active content",
    ),
    ("aa.pdf", pdf_with(b"<< /Type /Page /AA << /O 2 0 R >> >>"), "/AA"),
    ("launch.pdf", pdf_with(b"<< /S /Launch /F (cmd.exe) >>"), "/Launch"),
    ("attach.pdf", pdf_with(b"<< /Type /EmbeddedFile /Length 3 >>"), "/EmbeddedFile"),
    ("escaped.pdf", pdf_with(b"<< /S /J#61vaScript /JS (x) >>"), "/JavaScript"),
    ("hidden.pdf", pdf_with(flate_stream(b"<< /OpenAction << /S /JavaScript /JS (x) >> >>")), "/OpenAction"),
    (
        "polyglot.pdf",
        pdf_with(b"<< >>") + b"<html><script>alert(document.cookie)</script></html>",
        "web-page code",
    ),
    ("appended.jpg", jpeg_with_gps() + b"<html><body><script>alert(1)</script>", "web-page code"),
    ("upper.jpg", jpeg_with_gps() + b"< \tSCRIPT>alert(1)", "web-page code"),
    ("mixed.jpg", jpeg_with_gps() + b"<IfRaMe src=x>", "web-page code"),
    ("url.jpg", jpeg_with_gps() + b"JavaScript:alert(1)", "web-page code"),
    ("svg.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>", "web-page code"),
    ("bomb.docx", docx({"word/filler.xml": b"\0" * (3 * 1024 * 1024)}), "expands to more than"),
    ("macro.docx", docx({"word/vbaProject.bin": b"Attribute VB_Name"}), "macros"),
    ("page.pdf.html", b"<!doctype html><script>alert(1)</script>", "not a photo"),
]


@pytest.mark.parametrize("name, data, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_and_leave_nothing(world, report, settings, name, data, message):
    settings.MINSHENG_EVIDENCE_MAX_INFLATED_BYTES = 1024 * 1024
    with pytest.raises(ValidationFailed, match=message):
        add(world, report, name, data)
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_words_that_only_look_like_tags_are_no_markup(world, report):
    # "<svgx", "<bodyguard" and "javascript" without a colon are not the tags or the URL scheme.
    data = jpeg_with_gps() + b"<svgx <bodyguard javascript alert"
    assert add(world, report, "near.jpg", data).original_name == "near.jpg"


def test_plain_pdf_and_office_files_are_accepted(world, report):
    assert add(world, report, "certificate.pdf", plain_pdf()).content_type == "application/pdf"
    assert (
        add(world, report, "notes.docx", docx({"word/styles.xml": b"<w:styles/>"})).original_name
        == "notes.docx"
    )


def test_big_photo_copy_has_a_long_edge_of_2000_and_no_exif(world, report):
    stored = add(world, report, "wide.jpg", jpeg_with_gps((3000, 1200)))
    with Image.open(stored.public_copy) as copy:
        assert max(copy.size) == 2000 and copy.size == (2000, 800)
        assert not copy.getexif()


def test_a_phone_photo_copy_keeps_its_picture_and_orientation(world, report):
    """A 4000 × 3000 JPEG (decoded at half size, _decode_reduced) turned upright by its EXIF: the copy is
    2000 on its long edge and shows the photo where it was, red above, blue below."""
    image = Image.new("RGB", (4000, 3000), (220, 30, 30))
    image.paste((30, 30, 220), (2000, 0, 4000, 3000))  # right half blue: after turning, the lower half
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif)
    stored = add(world, report, "phone.jpg", out.getvalue())
    with Image.open(stored.public_copy) as copy:
        assert copy.size == (1500, 2000)
        pixels = copy.convert("RGB")
        top, bottom = pixels.getpixel((750, 500)), pixels.getpixel((750, 1500))
    assert top[0] > 180 and top[2] < 80, top
    assert bottom[2] > 180 and bottom[0] < 80, bottom
    with Image.open(stored.thumbnail) as thumb:
        assert max(thumb.size) == 320


def test_the_same_file_twice_is_one_row(world, report, settings):
    data = jpeg_with_gps()
    first = add(world, report, "a.jpg", data)
    again = add(world, report, "a-again.jpg", data)
    assert again.pk == first.pk and Evidence.objects.count() == 1
    assert len([p for p in media_files(settings) if "original" in str(p) or p.name.startswith("f")]) >= 1


def test_per_report_file_and_byte_quota(world, report, settings):
    settings.MINSHENG_EVIDENCE_MAX_FILES = 2
    add(world, report, "1.jpg", jpeg_with_gps((10, 10)))
    add(world, report, "2.jpg", jpeg_with_gps((11, 10)))
    with pytest.raises(ValidationFailed, match="at most 2 files"):
        add(world, report, "3.jpg", jpeg_with_gps((12, 10)))
    settings.MINSHENG_EVIDENCE_MAX_FILES = 20
    settings.MINSHENG_EVIDENCE_MAX_REPORT_BYTES = sum(e.size for e in Evidence.objects.all()) + 10
    with pytest.raises(ValidationFailed, match="does not fit"):
        add(world, report, "4.jpg", jpeg_with_gps((13, 10)))
    assert Evidence.objects.count() == 2


def test_too_many_files_in_one_post_is_a_400_and_stores_nothing(client, world, report, settings):
    client.force_login(world.reporter)
    url = reverse("progress:report", args=[world.item.pk, report.period.pk])
    files = [SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps((8 + n, 8))) for n in range(25)]
    response = client.post(url, {"action": "save", "files": files})
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_originals_are_attachments_with_nosniff_and_audited(client, world, report):
    photo = add(world, report, "现场.jpg", jpeg_with_gps())
    pdf = add(world, report, "验收.pdf", plain_pdf())
    client.force_login(world.reviewer)
    for stored, variant in ((photo, "original"), (pdf, "public"), (pdf, "original")):
        response = client.get(reverse("progress:evidence", args=[stored.pk, variant]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    shown = client.get(reverse("progress:evidence", args=[photo.pk, "public"]))
    assert shown["Content-Disposition"].startswith("inline")  # the re-encoded copy, no metadata
    downloads = AuditEvent.objects.filter(action="download")
    assert downloads.count() == 3
    assert {e.actor for e in downloads} == {world.reviewer}
    assert {e.object_id for e in downloads} == {str(photo.pk), str(pdf.pk)}


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_identical_uploads_make_one_row(district, settings):
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share SQLite's in-memory test database; the report lock is PostgreSQL's")
    from progress.factories import build_world

    world = build_world(district)
    report = filled_report(world, world.item, world.period(3))
    data = jpeg_with_gps()
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            add(world, report, "same.jpg", data)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Evidence.objects.count() == 1
    originals = [p for p in media_files(settings) if p.suffix == ".jpg" and "thumb" not in str(p)]
    assert len({p.read_bytes() for p in originals}) <= 2  # one original and its clean copy


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submits_of_one_report_make_one_submission(district):
    """A replayed submit finds the report already submitted: one history entry, the others refused."""
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share SQLite's in-memory test database; the report lock is PostgreSQL's")
    from minsheng.core.exceptions import ServiceError
    from minsheng.progress.models import ReportRevision
    from progress.factories import build_world

    world = build_world(district)
    report = filled_report(world, world.item, world.period(3))
    outcomes: list[str] = []

    def submit() -> None:
        try:
            services.report_submit(acting_user=world.reporter, report=report)
            outcomes.append("submitted")
        except ServiceError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 9 + ["submitted"]
    assert ReportRevision.objects.filter(report=report, action="submit").count() == 1


class FakeClamd:
    """A tiny clamd: a Unix socket speaking INSTREAM (zINSTREAM\\0, 4-byte big-endian chunk lengths, 0 ends)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(4)
        self.scanned = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def _exact(self, conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            block = conn.recv(n - len(data))
            if not block:
                raise ConnectionError
            data += block
        return data

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                assert self._exact(conn, 10) == b"zINSTREAM\0"
                data = b""
                while length := struct.unpack("!L", self._exact(conn, 4))[0]:
                    data += self._exact(conn, length)
                self.scanned += 1
                verdict = b"stream: Win.Test.EICAR_HDB-1 FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(verdict)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(tmp_path: Path, settings: Any) -> Iterator[FakeClamd]:
    server = FakeClamd(tmp_path / "clamd.sock")
    settings.MINSHENG_CLAMD_SOCKET = str(server.path)
    yield server
    server.close()


def test_clamd_rejects_eicar_and_passes_clean_files(world, report, settings, clamd):
    with pytest.raises(ValidationFailed, match=r"virus scanner.*EICAR"):
        add(world, report, "eicar.com", EICAR)
    with pytest.raises(ValidationFailed, match=r"virus scanner.*EICAR"):
        add(world, report, "photo.jpg", jpeg_with_gps() + EICAR)
    assert add(world, report, "clean.pdf", plain_pdf())
    assert clamd.scanned == 3
    assert Evidence.objects.count() == 1


def test_clamd_scan_speaks_instream_in_chunks(clamd):
    big = b"x" * 200_000 + EICAR
    assert evidence.clamd_scan(big, str(clamd.path)) == "Win.Test.EICAR_HDB-1"
    assert evidence.clamd_scan(b"hello", str(clamd.path)) is None


def test_a_configured_but_silent_scanner_refuses_the_upload(world, report, settings, tmp_path):
    settings.MINSHENG_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ValidationFailed, match="did not answer"):
        add(world, report, "photo.jpg", jpeg_with_gps())
    assert not Evidence.objects.exists()
