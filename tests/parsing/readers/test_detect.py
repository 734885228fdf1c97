"""Format detection looks at the content; the file name is only a hint."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from builders import build_docx, build_html, build_xlsx, encrypted_office, png_bytes

from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import detect


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (build_docx, "清单.txt", detect.DOCX),  # a Word file with the wrong extension
        (build_xlsx, "清单.docx", detect.XLSX),
        (build_html, "清单.doc", detect.HTML),  # "Save as web page" kept the .doc name
    ],
)
def test_kind_comes_from_content_not_extension(make, name, kind):
    assert detect.detect(make(), name) == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", detect.PDF),
        (b"\n\n  <!DOCTYPE html><html><body><p>x</p></body></html>", detect.HTML),
        (b"\xef\xbb\xbf<html><head><meta charset='utf-8'></head></html>", detect.HTML),
        (b"<div><p>\xe4\xb8\x80</p><table><tr><td>1</td></tr></table></div>", detect.HTML),
        ("序号\t项目名称\n1\t优学金沙\n".encode(), detect.TEXT),
        ("序号\t项目名称\n1\t优学金沙\n".encode("gbk"), detect.TEXT),
        ("\ufeff序号 项目名称".encode("utf-16-le"), detect.TEXT),
        (b"{\\rtf1\\ansi\\ansicpg936 text}", detect.OFFICE_WORD),
        (
            b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n',
            detect.MHTML,
        ),
    ],
)
def test_kinds_by_signature(data, kind):
    assert detect.detect(data, "upload.bin") == kind


def test_old_office_files_by_stream_names():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert detect.detect(ole + "WordDocument".encode("utf-16-le"), "a.wps") == detect.OFFICE_WORD
    assert detect.detect(ole + "Workbook".encode("utf-16-le"), "a.et") == detect.OFFICE_SHEET


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (png_bytes(), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), "JPEG image"),
        (b"GIF89a" + bytes(50), "GIF image"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "gzip archive"),
        (b"\x7fELF\x02\x01\x01" + bytes(50), "ELF"),
        (b"", "empty"),
        (b"  \r\n\t \n", "empty"),
        (random.Random(1).randbytes(4000), "binary data"),
        (encrypted_office(), "password-protected"),
    ],
)
def test_not_a_list_is_refused_with_what_it_is(data, words):
    with pytest.raises(ParseError) as caught:
        detect.detect(data, "upload.docx")
    assert words in caught.value.reason
    assert caught.value.file == "upload.docx"


def test_other_zip_archive_lists_its_parts():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/1.jpg", b"x")
    with pytest.raises(ParseError, match=r"zip archive \(photos/1.jpg\)"):
        detect.detect(out.getvalue(), "附件.zip")


def test_truncated_docx_is_named_as_a_damaged_word_document():
    data = build_docx()[:5000]
    with pytest.raises(ParseError) as caught:
        detect.detect(data, "清单.docx")
    assert "damaged" in caught.value.reason
    assert "Word document" in caught.value.reason
