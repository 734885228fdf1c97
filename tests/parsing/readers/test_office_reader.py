"""Old office formats go through LibreOffice, or fail saying how to convert them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import build_docx, grid_mismatches, load_gold, soffice, table_grid

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


def _libreoffice_convert(source: Path, target: str, tmp_path: Path) -> Path:
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return tmp_path / "out" / f"{source.stem}.{target}"


needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


@needs_soffice
def test_rtf_saved_as_doc_is_converted_with_its_merged_table(tmp_path):
    """Many ".doc" files on government sites are RTF; the conversion keeps the table and its merges."""
    source = tmp_path / "清单.docx"
    source.write_bytes(build_docx())
    renamed = tmp_path / "清单.doc"
    shutil.copy(_libreoffice_convert(source, "rtf", tmp_path), renamed)
    document = read_path(renamed)
    assert document.name == "清单.doc"
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    assert grid_mismatches(table.rows[1:], table_grid(load_gold())) == []


@needs_soffice
def test_word_97_file_named_wps_is_converted(tmp_path):
    source = tmp_path / "清单.docx"
    source.write_bytes(build_docx())
    renamed = tmp_path / "清单.wps"  # WPS Writer files are the same format
    shutil.copy(_libreoffice_convert(source, "doc", tmp_path), renamed)
    document = read_path(renamed)
    assert document.name == "清单.wps"
    text = "".join(
        b.text if isinstance(b, Paragraph) else "".join(c.text for r in b.rows for c in r.cells)
        for b in document.blocks
    )
    # (LibreOffice 7.4 re-imports its own .doc export without the table structure, so only the text
    # is checked here; the RTF test above checks the table path.)
    assert "2024年常州市金坛区民生实事项目清单" in text
    assert "优学金沙" in text
