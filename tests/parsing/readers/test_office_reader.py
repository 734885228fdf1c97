"""Old office formats go through LibreOffice, or fail saying how to convert them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import build_docx, soffice

from minsheng.parsing import limits
from minsheng.parsing.blocks import Paragraph, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import office, read_bytes, read_path

OLE_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(512)
OLE_SHEET = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(512)


def test_without_libreoffice_the_error_says_how_to_convert(monkeypatch):
    monkeypatch.setattr(office.shutil, "which", lambda _name: None)
    with pytest.raises(ParseError) as caught:
        read_bytes(OLE_WORD, "清单.wps")
    assert "save it as .docx" in caught.value.reason
    assert "WPS or Word" in caught.value.reason
    with pytest.raises(ParseError, match=r"save it as \.xlsx"):
        read_bytes(OLE_SHEET, "清单.et")


def _fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def test_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    fake = _fake_soffice(tmp_path, "sleep 30\n")
    monkeypatch.setattr(office.shutil, "which", lambda _name: fake)
    monkeypatch.setattr(limits, "SOFFICE_TIMEOUT_SECONDS", 1)
    with pytest.raises(ParseError, match="longer than 1 s"):
        read_bytes(OLE_WORD, "慢.doc")


def test_conversion_that_produces_nothing_is_a_clear_error(monkeypatch, tmp_path):
    fake = _fake_soffice(tmp_path, "exit 1\n")
    monkeypatch.setattr(office.shutil, "which", lambda _name: fake)
    with pytest.raises(ParseError, match="could not convert"):
        read_bytes(OLE_WORD, "坏.doc")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_doc_saved_by_libreoffice_is_read(tmp_path):
    source = tmp_path / "清单.docx"
    source.write_bytes(build_docx())
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    doc = tmp_path / "out" / "清单.doc"
    renamed = tmp_path / "清单.wps"  # WPS Writer files are the same format
    shutil.copy(doc, renamed)
    document = read_path(renamed)
    assert document.name == "清单.wps"
    text = "".join(
        b.text if isinstance(b, Paragraph) else "".join(c.text for r in b.rows for c in r.cells)
        for b in document.blocks
        if isinstance(b, Paragraph | Table)
    )
    assert "2024年常州市金坛区民生实事项目清单" in text
    assert "优学金沙" in text
