"""`minsheng parse FILE [--format json|table]`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from minsheng.parsing.cli import main

JINTAN = Path(__file__).parent / "corpus" / "shared" / "docs" / "jintan-2024.txt"


def test_json_output_is_plan_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(JINTAN), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["region"] == "常州市金坛区"
    assert data["source"] == "jintan-2024.txt"
    assert [p["name"] for p in data["projects"]][:2] == ["优学金沙", "健康金沙"]
    assert data["projects"][0]["items"][0]["targets"][0]["value"] == 3500


def test_json_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(JINTAN)]) == 0
    assert json.loads(capsys.readouterr().out)["year"] == 2024


def test_table_output_lists_projects_units_targets_and_milestones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(JINTAN), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "10 projects, 30 items" in out
    assert "1. 优学金沙（常有优学）" in out
    assert "lead: 区教育局   partner: 各镇（街道）、金坛建设" in out
    assert "target: 3500 名 ≥ ← 惠及学生3500余名" in out
    assert "target: 490 元/月 = (from 437)" in out
    assert "milestone: " in out


def test_table_output_shows_warnings_with_their_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "cut.txt"
    doc.write_text("1.新建学校2所。\n2.新建幼儿园1所。\n3.新增城市绿地面", encoding="utf-8")
    assert main([str(doc), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "(truncated)" in out
    assert "line 3: the document breaks off in this entry" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "cut.txt: "),
        (b"\x00\x01\x02binary\x00" * 50, "cut.txt: "),
    ],
)
def test_a_parse_error_is_one_line_on_stderr_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    doc = tmp_path / "cut.txt"
    doc.write_bytes(content)
    assert main([str(doc)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"minsheng parse: {expected}")
    assert "empty" in lines[0] or "binary" in lines[0]


def test_a_missing_file_is_one_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("minsheng parse: ") and "nope.txt" in err[0]


def test_the_console_command_runs_without_a_traceback(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("一段与清单无关的文字。", encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [bin_dir / "minsheng", "parse", str(doc)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("minsheng parse: notes.txt: no list of projects found")


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`minsheng parse FILE --format table | head -1`: the closed pipe ends the command quietly."""
    doc = tmp_path / "long.txt"  # far more output than a pipe buffers, so the write hits the closed pipe
    entries = [f"{n}.新建金坛区第{n}幼儿园1所，新增学位{n}个。（牵头单位：区教育局）" for n in range(1, 1501)]
    doc.write_text("\n".join(entries), encoding="utf-8")
    command = [Path(sys.executable).parent / "minsheng", "parse", str(doc), "--format", "table"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        proc.wait(timeout=60)
    assert first.strip()  # the head line arrived before the reader left
    assert "Traceback" not in stderr
