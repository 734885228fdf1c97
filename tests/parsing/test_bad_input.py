"""Files that are not lists give one ParseError naming the file and the reason; the command prints
that one line on stderr and exits 2. Nothing else escapes, whatever the input (hypothesis)."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from builders import (
    TEXT_PATH,
    build_docx,
    build_xlsx,
    encrypted_office,
    letter_docx,
    png_bytes,
    staff_xlsx,
    truncated,
    zip_bomb,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.parsing import ParseError, Plan, limits, parse_bytes, parse_file, parse_text
from minsheng.parsing.blocks import Cell, Document, Paragraph, Row, Table
from minsheng.parsing.cli import main as parse_command
from minsheng.parsing.layout import build_plan

GBK_LETTER = (
    "关于做好春节期间安全生产工作的通知\n各镇（街道）：\n请认真做好节日期间安全检查工作。\n区安委办\n".encode(
        "gbk"
    )
)

BAD_FILES: dict[str, tuple[str, bytes, str]] = {
    # label: (file name, content, words the reason must contain)
    "empty": ("清单.docx", b"", "empty"),
    "binary noise": ("清单.txt", random.Random(3).randbytes(20_000), "binary data"),
    "png image": ("清单.png", png_bytes(), "PNG image"),
    "png named .docx": ("清单.docx", png_bytes(), "PNG image"),
    "corrupted docx": ("清单.docx", truncated(build_docx(), 0.5), "damaged"),
    "password-protected docx": ("清单.docx", encrypted_office(), "password-protected"),
    "password-protected xlsx": ("清单.xlsx", encrypted_office(), "password-protected"),
    "corrupted xlsx": ("清单.xlsx", truncated(build_xlsx(), 0.5), "damaged"),
    "xlsx without list columns": ("通讯录.xlsx", staff_xlsx(), "no sheet holds a list"),
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("label", list(BAD_FILES))
def test_bad_file_gives_parse_error_with_file_and_reason(label, tmp_path):
    name, data, words = BAD_FILES[label]
    with pytest.raises(ParseError) as caught:
        parse_file(_write(tmp_path, name, data))
    assert caught.value.file == name
    assert words in caught.value.reason
    assert str(caught.value).startswith(f"{name}: ")


@pytest.mark.parametrize(
    ("name", "data"),
    [("通知.docx", letter_docx()), ("通知.txt", GBK_LETTER)],
    ids=["unrelated Word letter", "unrelated GBK text"],
)
def test_document_without_a_list_is_refused(name, data, tmp_path):
    with pytest.raises(ParseError) as caught:
        parse_file(_write(tmp_path, name, data))
    assert caught.value.file == name
    assert caught.value.reason


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = _write(tmp_path, "炸弹.docx", zip_bomb())
    assert path.stat().st_size < 200_000  # 24 MB of document inside
    with pytest.raises(ParseError, match="zip bomb") as caught:
        parse_file(path)
    assert "word/document.xml" in caught.value.reason


def test_total_uncompressed_size_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 20_000)
    with pytest.raises(ParseError, match=r"expands to .* MB \(limit 0 MB\)|zip bomb"):
        parse_bytes(build_docx(), "清单.docx")


def test_xml_part_size_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_PART_BYTES", 10_000)
    with pytest.raises(ParseError, match=r"'word/document.xml' is 0 MB of XML"):
        parse_bytes(build_docx(), "清单.docx")


def test_too_many_zip_members(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 5)
    with pytest.raises(ParseError, match="more than the limit of 5"):
        parse_bytes(build_docx(), "清单.docx")


def test_500_mb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "巨大.txt"
    with path.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: takes no disk space
    opened: list[Path] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    started = time.monotonic()
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    assert time.monotonic() - started < 2
    assert path not in opened
    assert caught.value.file == "巨大.txt"
    assert f"limit of {limits.MAX_FILE_BYTES // limits.MB} MB" in caught.value.reason


def test_file_one_byte_over_the_limit(tmp_path):
    path = tmp_path / "大.txt"
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(ParseError, match="larger than the limit"):
        parse_file(path)
    with pytest.raises(ParseError, match="larger than the limit"):
        parse_bytes(b"x" * (limits.MAX_FILE_BYTES + 1), "大.txt")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ParseError, match="cannot open"):
        parse_file(tmp_path / "没有.docx")
    with pytest.raises(ParseError, match="folder"):
        parse_file(tmp_path)


def test_text_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(ParseError, match="characters"):
        parse_bytes(build_docx(), "清单.docx")


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", list(BAD_FILES))
def test_command_prints_one_line_and_exits_2(label, tmp_path, capsys):
    name, data, _words = BAD_FILES[label]
    path = _write(tmp_path, name, data)
    assert parse_command([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert name in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "make"),
    [("图片.png", png_bytes), ("炸弹.docx", zip_bomb), ("加密.docx", encrypted_office)],
)
def test_installed_command_exit_status_and_stderr(name, make, tmp_path):
    path = _write(tmp_path, name, make())
    command = Path(sys.executable).parent / "minsheng"
    result = subprocess.run(
        [str(command), "parse", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert name in result.stderr
    assert "Traceback" not in result.stderr


# --- nothing else escapes -------------------------------------------------------------------------

_JINTAN = TEXT_PATH.read_text(encoding="utf-8")
_WORDS = [
    "序号", "项目名称", "主要内容", "责任单位", "配合单位", "牵头单位", "一、", "（一）", "1.", "2、", "第一项",
    "区教育局", "各镇（街道）", "新建学校3所", "惠及4.4万余名", "不少于400人次", "2024年", "启动建设",
    "（常有优学）", "\n", "\t", "：", "；", "。", "", " ", "１２", "十二", "%", "万元", "附件",
]  # fmt: skip
_cell_text = st.lists(st.sampled_from(_WORDS), max_size=5).map("".join) | st.text(max_size=12)
_rows = st.lists(st.lists(st.tuples(_cell_text, st.booleans()), min_size=1, max_size=6), max_size=12)
_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plan_or_parse_error(run) -> None:
    try:
        result = run()
    except ParseError as exc:
        assert exc.reason
        return
    assert isinstance(result, Plan)
    result.to_json()


@_FUZZ
@given(st.text(max_size=400))
def test_random_text(text):
    _plan_or_parse_error(lambda: parse_text(text, name="fuzz.txt"))


@_FUZZ
@given(st.data())
def test_mutated_jintan_text(data):
    text = _JINTAN
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["cut", "delete", "insert", "truncate"]))
        if action == "cut":
            text = text[at:]
        elif action == "truncate":
            text = text[:at]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 200)) :]
        else:
            text = text[:at] + data.draw(st.sampled_from(_WORDS) | st.text(max_size=5)) + text[at:]
    _plan_or_parse_error(lambda: parse_text(text, name="mutated.txt"))


def _document(rows, paragraphs) -> Document:
    blocks: list = [Paragraph(text=p, location=f"line {i}") for i, p in enumerate(paragraphs, start=1)]
    table = Table(
        rows=[
            Row(cells=[Cell(text=t, continued=c) for t, c in row], location=f"table 1, row {n}")
            for n, row in enumerate(rows, start=1)
        ],
        location="table 1",
    )
    blocks.append(table)
    return Document(blocks=blocks, name="fuzz.docx")


@_FUZZ
@given(_rows, st.lists(_cell_text, max_size=3), st.booleans())
def test_random_tables_through_the_layout(rows, paragraphs, with_header):
    if with_header:
        rows = [[(label, False) for label in ("序号", "项目名称", "主要内容", "责任单位")], *rows]
    _plan_or_parse_error(lambda: build_plan(_document(rows, paragraphs)))


def _docx_bytes(rows) -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph("附件")
    width = max((len(r) for r in rows), default=1)
    table = word.add_table(rows=len(rows) + 1, cols=width)
    for c, label in enumerate(["序号", "项目名称", "主要内容", "责任单位", "配合单位", "备注"][:width]):
        table.cell(0, c).text = label
    for r, row in enumerate(rows, start=1):
        for c, (text, merge_down) in enumerate(row):
            cell = table.cell(r, c)
            if merge_down and r < len(rows):
                cell = cell.merge(table.cell(r + 1, c))
            cell.text = text.replace("\x00", "")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


_printable = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)
_doc_rows = st.lists(
    st.lists(st.tuples(st.sampled_from(_WORDS) | _printable, st.booleans()), min_size=1, max_size=5),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_doc_rows)
def test_random_tables_as_docx_bytes(rows):
    _plan_or_parse_error(lambda: parse_bytes(_docx_bytes(rows), "fuzz.docx"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_doc_rows)
def test_random_tables_as_xlsx_bytes(rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "主要内容", "责任单位", "配合单位"])
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows, start=2):
        for c, (text, _merge_down) in enumerate(row, start=1):
            try:
                sheet.cell(row=r, column=c, value=text)
            except IllegalCharacterError:
                sheet.cell(row=r, column=c, value="?")
    for r, row in enumerate(rows, start=2):
        for c, (_text, merge_down) in enumerate(row, start=1):
            if merge_down and r < len(rows) + 1 and (r, c) not in covered:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
                covered.add((r + 1, c))
    out = io.BytesIO()
    book.save(out)
    _plan_or_parse_error(lambda: parse_bytes(out.getvalue(), "fuzz.xlsx"))


_JINTAN_DOCX = build_docx()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(_JINTAN_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=20)
)
def test_mutated_docx_bytes(flips):
    data = bytearray(_JINTAN_DOCX)
    for at, value in flips:
        data[at] = value
    _plan_or_parse_error(lambda: parse_bytes(bytes(data), "mutated.docx"))


def test_mutated_docx_part_still_a_valid_zip():
    """A zip whose document part is valid zip data but broken XML: a reader error, not a crash."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_JINTAN_DOCX)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                content = content[: len(content) // 2]
            dst.writestr(info, content)
    with pytest.raises(ParseError) as caught:
        parse_bytes(out.getvalue(), "半截.docx")
    assert caught.value.file == "半截.docx"


@_FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    _plan_or_parse_error(lambda: parse_bytes(data, "random.bin"))


_JINTAN_XLSX = build_xlsx()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(_JINTAN_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=20)
)
def test_mutated_xlsx_bytes(flips):
    data = bytearray(_JINTAN_XLSX)
    for at, value in flips:
        data[at] = value
    _plan_or_parse_error(lambda: parse_bytes(bytes(data), "mutated.xlsx"))


@_FUZZ
@given(
    st.text(max_size=300),
    st.sampled_from(["<html><body>{}</body></html>", "<table><tr><td>{}</td></tr></table>"]),
)
def test_random_html(text, page):
    _plan_or_parse_error(
        lambda: parse_bytes(page.format(text).encode("utf-8", "surrogatepass"), "random.html")
    )
