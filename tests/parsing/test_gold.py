"""Every document of the development corpus (tests/parsing/corpus/shared) and of our own hand-labelled
corpus (tests/parsing/corpus/own) parsed and scored against its gold file with score_plan.py."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from minsheng.parsing import parse_bytes

HERE = Path(__file__).parent
SHARED = HERE / "corpus" / "shared"
OWN = HERE / "corpus" / "own"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_plan", HERE / "score_plan.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.score


score = _scorer()


def _run(corpus: Path, stem: str) -> tuple[dict, dict]:
    gold = json.loads((corpus / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    doc = corpus / "docs" / f"{stem}.txt"
    plan = parse_bytes(doc.read_bytes(), name=doc.name)
    return gold, json.loads(plan.to_json())


def _f1(s: Counter) -> float:
    p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
    r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def test_jintan_structure_is_exact_and_targets_meet_the_bar() -> None:
    gold, pred = _run(SHARED, "jintan-2024")
    s = score(gold, pred)
    n = s["projects_gold"]
    assert n == 10
    assert (s["projects_matched"], s["name_ok"], s["alias_ok"], s["items_count_ok"]) == (n, n, n, n)
    assert s["units_ok"] == s["units_total"] == 60
    assert _f1(s) >= 0.97
    assert s["op_ok"] >= 0.95 * s["op_total"]
    assert (pred["region"], pred["year"], pred["title"]) == (gold["region"], gold["year"], gold["title"])


def _stems(corpus: Path) -> list[str]:
    return sorted(p.stem for p in (corpus / "gold").glob("*.json"))


@pytest.mark.parametrize(
    ("corpus", "stem"), [(SHARED, s) for s in _stems(SHARED)] + [(OWN, s) for s in _stems(OWN)]
)
def test_corpus_document_structure_matches_its_gold(corpus: Path, stem: str) -> None:
    gold, pred = _run(corpus, stem)
    s = score(gold, pred)
    n = s["projects_gold"]
    assert s["projects_matched"] == n, "every gold project is found"
    assert len(pred["projects"]) == n, "no project beyond the gold ones (a truncated entry is dropped)"
    assert (s["name_ok"], s["alias_ok"], s["items_count_ok"]) == (n, n, n)
    assert s["units_ok"] == s["units_total"]
    assert (pred["region"], pred["year"], pred["title"]) == (gold["region"], gold["year"], gold["title"])
    for gp, pp in zip(gold["projects"], pred["projects"], strict=True):
        assert pp.get("category") == gp.get("category")
        assert bool(pp.get("starred")) == bool(gp.get("starred"))
        assert [i["text"] for i in pp["items"]] == [i["text"] for i in gp["items"]]


def test_own_corpus_marks_truncated_documents_with_a_warning() -> None:
    for stem in _stems(OWN):
        gold, pred = _run(OWN, stem)
        if gold.get("truncated_after_project"):
            assert pred.get("truncated") is True, stem
            assert any(w["code"] in ("truncated", "count") for w in pred["warnings"]), stem
        else:
            assert not pred.get("truncated"), stem


def test_corpus_targets_overall() -> None:
    total: Counter = Counter()
    for corpus in (SHARED, OWN):
        for stem in _stems(corpus):
            gold, pred = _run(corpus, stem)
            total += score(gold, pred)
    assert total["projects_matched"] == total["projects_gold"]
    assert total["units_ok"] == total["units_total"]
    assert _f1(total) >= 0.95


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n").encode("gbk"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
    ],
    ids=["gbk-crlf", "utf8-bom", "utf16"],
)
def test_jintan_reads_the_same_in_other_encodings_and_line_ends(transform) -> None:  # type: ignore[no-untyped-def]
    doc = SHARED / "docs" / "jintan-2024.txt"
    text = doc.read_bytes().decode("utf-8")
    expected = json.loads(parse_bytes(doc.read_bytes(), name="j.txt").to_json())
    assert json.loads(parse_bytes(transform(text), name="j.txt").to_json()) == expected
