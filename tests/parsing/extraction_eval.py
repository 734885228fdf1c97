"""Evaluate target and milestone extraction on every gold item text.

Run: `.venv/bin/python tests/parsing/extraction_eval.py [-v]` (the seven shared gold files, then our
own hand-labelled lists in corpus/own when present). Targets match on the (value, unit)
multiset per item, as shared/tools/score_plan.py does; op is scored on matched targets; milestones
match on (state, subject). Importable: `evaluate()` returns the figures per gold file.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from minsheng.parsing.milestones import extract_milestones
from minsheng.parsing.targets import extract_targets

GOLD_DIR = Path(__file__).parent / "corpus" / "shared" / "gold"
OWN_GOLD_DIR = Path(__file__).parent / "corpus" / "own" / "gold"  # our own hand-labelled lists


def _key(value: Any, unit: str) -> tuple[Any, str]:
    f = float(Decimal(str(value)))
    return (int(f) if f == int(f) else round(f, 6), unit.strip())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    op_ok: int = 0
    op_total: int = 0
    m_tp: int = 0
    m_fp: int = 0
    m_fn: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("tp", "fp", "fn", "op_ok", "op_total", "m_tp", "m_fp", "m_fn"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.details += other.details

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def targets(self) -> tuple[float, float, float]:
        return self._f1(self.tp, self.fp, self.fn)

    @property
    def milestones(self) -> tuple[float, float, float]:
        return self._f1(self.m_tp, self.m_fp, self.m_fn)

    @property
    def op_accuracy(self) -> float:
        return self.op_ok / self.op_total if self.op_total else 1.0

    def line(self, name: str) -> str:
        p, r, f = self.targets
        mp, mr, mf = self.milestones
        return (
            f"{name:<24} targets P={p:.3f} R={r:.3f} F1={f:.3f} (tp {self.tp} fp {self.fp} fn {self.fn}) "
            f"op {self.op_ok}/{self.op_total} milestones P={mp:.3f} R={mr:.3f} F1={mf:.3f}"
        )


def score_item(gold_item: dict[str, Any], where: str) -> Score:
    out = Score()
    text = gold_item["text"]
    got = extract_targets(text).targets
    gk = Counter(_key(t["value"], t["unit"]) for t in gold_item["targets"])
    pk = Counter(_key(t.value, t.unit) for t in got)
    tp = gk & pk
    out.tp, out.fn, out.fp = sum(tp.values()), sum((gk - pk).values()), sum((pk - gk).values())
    gops: dict[Any, list[str]] = {}
    for t in gold_item["targets"]:
        gops.setdefault(_key(t["value"], t["unit"]), []).append(t["op"])
    pops: dict[Any, list[str]] = {}
    for t in got:
        pops.setdefault(_key(t.value, t.unit), []).append(t.op)
    for k, n in tp.items():
        out.op_total += n
        ok = min(n, sum((Counter(gops[k]) & Counter(pops[k])).values()))
        out.op_ok += ok
        if ok < n:
            out.details.append(f"{where} op   {k} gold {gops[k]} got {pops[k]}")
    for k in (gk - pk).elements():
        out.details.append(f"{where} missed   {k}")
    for k in (pk - gk).elements():
        quotes = [t.quote for t in got if _key(t.value, t.unit) == k]
        out.details.append(f"{where} spurious {k} {quotes}")
    gm = Counter((m["state"], m["subject"]) for m in gold_item["milestones"])
    pm = Counter((m.state, m.subject) for m in extract_milestones(text))
    mtp = gm & pm
    out.m_tp, out.m_fn, out.m_fp = sum(mtp.values()), sum((gm - pm).values()), sum((pm - gm).values())
    for k in (gm - pm).elements():
        out.details.append(f"{where} M missed   {k}")
    for k in (pm - gm).elements():
        out.details.append(f"{where} M spurious {k}")
    return out


def evaluate(gold_dir: Path = GOLD_DIR) -> dict[str, Score]:
    """Scores per gold file (by stem)."""
    results: dict[str, Score] = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        total = Score()
        for project in gold["projects"]:
            for idx, item in enumerate(project["items"]):
                total.add(score_item(item, f"{path.stem} P{project['no']}.{idx + 1}"))
        results[path.stem] = total
    return results


def main(argv: list[str]) -> int:
    results = evaluate()
    corpus = Score()
    for name, score in results.items():
        print(score.line(name))
        if name != "jintan-2024":
            corpus.add(score)
    print(corpus.line("corpus (6 files)"))
    own = Score()
    if OWN_GOLD_DIR.is_dir():
        for score in evaluate(OWN_GOLD_DIR).values():
            own.add(score)
        print(own.line("own corpus"))
    if "-v" in argv:
        for score in [*results.values(), own]:
            for line in score.details:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
