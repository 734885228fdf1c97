"""The Jintan list scores the same in every format as in its text version.

The documents are built from the gold structure (tests/parsing/builders.py) with real merged cells;
each is parsed from its bytes (format detected from the content) and scored with score_plan.py.
"""

from __future__ import annotations

import pytest
from builders import (
    CORPUS,
    TEXT_PATH,
    build_docx,
    build_html,
    build_xlsx,
    docx_from_document,
    html_from_document,
    jintan_pdf,
    load_gold,
    pdf_from_docx,
)
from score_plan import score

from minsheng.parsing import parse_bytes, parse_text
from minsheng.parsing.readers.text import document_from_text


def _figures(plan) -> dict[str, float]:
    s = score(load_gold(), plan.to_dict())
    precision = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
    recall = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
    return {
        "projects": s["projects_matched"] / s["projects_gold"],
        "names": s["name_ok"] / s["projects_gold"],
        "aliases": s["alias_ok"] / s["projects_gold"],
        "item_counts": s["items_count_ok"] / s["projects_gold"],
        "units": s["units_ok"] / s["units_total"],
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "op": s["op_ok"] / s["op_total"] if s["op_total"] else 0.0,
    }


def _pdf() -> bytes:
    try:
        return jintan_pdf()[0]
    except RuntimeError as exc:
        pytest.skip(str(exc))


FORMATS = {
    "docx": lambda: build_docx(),
    "docx split over two tables, auto-numbered": lambda: build_docx(split_after=15, auto_number=True),
    "xlsx": lambda: build_xlsx(),
    "xlsx columns reordered": lambda: build_xlsx(order=[2, 4, 0, 3, 1], notes_sheet=False),
    "pdf": _pdf,
    "html (GBK page)": lambda: build_html(),
}
EXTENSIONS = {"docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "html": ".html"}


@pytest.fixture(scope="module")
def text_figures() -> dict[str, float]:
    return _figures(parse_text(TEXT_PATH.read_text(encoding="utf-8"), name=TEXT_PATH.name))


@pytest.mark.parametrize("label", list(FORMATS))
def test_format_scores_like_the_text(label, text_figures):
    data = FORMATS[label]()
    name = "jintan-2024" + EXTENSIONS[label.split()[0]]
    plan = parse_bytes(data, name)
    figures = _figures(plan)
    for exact in ("projects", "names", "aliases", "item_counts", "units"):
        assert figures[exact] == 1.0, (exact, figures)
    assert figures["f1"] >= 0.97, figures
    assert figures["op"] >= 0.95, figures
    assert figures["f1"] >= text_figures["f1"] - 0.01, (figures, text_figures)
    assert plan.title == load_gold()["title"]


def test_same_bytes_with_a_misleading_name_give_the_same_plan():
    data = build_xlsx()
    assert parse_bytes(data, "清单.txt").to_dict() == parse_bytes(data, "清单.xlsx").to_dict()


def test_gbk_text_file_parses_like_utf8():
    text = TEXT_PATH.read_text(encoding="utf-8")
    gbk = parse_bytes(text.encode("gb18030"), "jintan-gbk.txt")
    assert gbk.to_dict() == parse_text(text, name="jintan-gbk.txt").to_dict()


# --- every corpus list, whatever its layout, reads the same from Word, a web page and a PDF ---------

CORPUS_DOCS = sorted((CORPUS / "docs").glob("*.txt"))


def _projects(plan) -> list[dict]:
    projects = plan.to_dict()["projects"]
    for project in projects:
        for item in project["items"]:
            item.pop("location", None)
    return projects


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=[p.stem for p in CORPUS_DOCS])
def test_corpus_list_reads_the_same_from_docx_and_html(path):
    text = path.read_text(encoding="utf-8")
    expected = _projects(parse_text(text, name=path.name))
    document = document_from_text(text, path.name)
    assert _projects(parse_bytes(docx_from_document(document), path.stem + ".docx")) == expected
    assert _projects(parse_bytes(html_from_document(document), path.stem + ".html")) == expected


@pytest.mark.parametrize("stem", ["03-yueqing-2020", "06-ninghai-2022"])  # numbered paragraphs; a wide table
def test_corpus_list_reads_the_same_from_pdf(stem):
    path = CORPUS / "docs" / f"{stem}.txt"
    text = path.read_text(encoding="utf-8")
    try:
        pdf = pdf_from_docx(docx_from_document(document_from_text(text, path.name)))
    except RuntimeError as exc:
        pytest.skip(str(exc))
    assert _projects(parse_bytes(pdf, stem + ".pdf")) == _projects(parse_text(text, name=path.name))
