"""Old and other office formats (.doc, .wps, .rtf, Word 2003 XML, .odt; .xls, .et, .ods): converted
to .docx/.xlsx by LibreOffice (`soffice --headless --convert-to`) in a private temporary directory,
then read by the .docx/.xlsx reader. Without LibreOffice the error says how to convert by hand.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path, PurePath

from minsheng.parsing import limits
from minsheng.parsing.blocks import Document
from minsheng.parsing.errors import ParseError

_WORD_SUFFIXES = {".doc", ".wps", ".wpt", ".dot", ".rtf", ".odt", ".xml"}
_SHEET_SUFFIXES = {".xls", ".et", ".ett", ".xlt", ".ods", ".xml"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_word(data: bytes, name: str) -> Document:
    from minsheng.parsing.readers import docx

    converted = convert(
        data, name, target="docx", suffixes=_WORD_SUFFIXES, default=".doc", kind="Word/WPS document"
    )
    return _renamed(docx.read(converted, name), name)


def read_sheet(data: bytes, name: str) -> Document:
    from minsheng.parsing.readers import xlsx

    converted = convert(
        data, name, target="xlsx", suffixes=_SHEET_SUFFIXES, default=".xls", kind="Excel/WPS spreadsheet"
    )
    return _renamed(xlsx.read(converted, name), name)


def _renamed(document: Document, name: str) -> Document:
    document.name = name
    return document


def convert(data: bytes, name: str, *, target: str, suffixes: set[str], default: str, kind: str) -> bytes:
    """Convert `data` to `target` ("docx" or "xlsx") with LibreOffice and return the converted bytes."""
    office = soffice_path()
    if office is None:
        raise ParseError(
            f"this is an old-format {kind}; it can only be read after conversion, and LibreOffice (soffice) "
            f"is not installed here — open it in WPS or Word and save it as .{target}, then upload that file",
            file=name,
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in suffixes:
        suffix = default
    with tempfile.TemporaryDirectory(prefix="minsheng-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"input{suffix}"
        source.write_bytes(data)
        command = [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # private profile: parallel runs
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        env = {**os.environ, "HOME": tmp}
        try:
            _run(command, env)
        except subprocess.TimeoutExpired as exc:
            raise ParseError(
                f"converting the {kind} with LibreOffice took longer than {limits.SOFFICE_TIMEOUT_SECONDS} s; "
                f"open it in WPS or Word and save it as .{target}",
                file=name,
            ) from exc
        except OSError as exc:
            raise ParseError(
                f"LibreOffice could not be started to convert the {kind}: {exc}", file=name
            ) from exc
        result = folder / "out" / f"input.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise ParseError(
                f"LibreOffice could not convert the {kind} (it may be damaged or password-protected); "
                f"open it in WPS or Word and save it as .{target}",
                file=name,
            )
        if result.stat().st_size > limits.MAX_FILE_BYTES:
            raise ParseError(
                f"the converted file is larger than the limit of {limits.MAX_FILE_BYTES // limits.MB} MB",
                file=name,
            )
        return result.read_bytes()


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run LibreOffice in its own process group so that a timeout stops all of its processes."""
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=limits.SOFFICE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
