"""The metamorphic layout suite: every gold list, rendered in every layout family that can express it,
parses like the gold: the same project numbers and no others, names, aliases, categories, item counts
and both unit lists exact, and targets F1 >= 0.97 (render.py makes the documents, verdict.py judges
them with score_plan.py).

KNOWN_GAPS lists the cases that fail with today's parser, each marked xfail(strict=True): a case that
starts passing fails the suite until it is taken off the list. After a parser commit, rewrite the list
from a fresh run: `.venv/bin/python -m tests.parsing.layouts.report --rev HEAD --write-gaps` (the reason
is what differs first; `--shrink FAMILY GOLD` gives a small failing example).
"""

from __future__ import annotations

import re

import pytest
from builders import soffice

from .render import (
    FAMILIES,
    GOLD_NAMES,
    applicable,
    flip_script,
    load_gold,
    render,
    with_categories,
)
from .verdict import evaluate

# BEGIN KNOWN_GAPS
KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("inline_named", "01-jiangshan-2023"): "parse error+numbers+units+targets: ParseError: 01-jiangshan-2023",
    ("pdf_table", "26-jiangbei-2023"): "units: 8/12, e.g. P1.1 lead_units ['區(qū)新興產', '(chǎn)業(yè)服務",
}
# END KNOWN_GAPS

CASES = [(f, g) for f in FAMILIES for g in GOLD_NAMES if applicable(f, g) is None]


def _case(family: str, gold: str) -> object:
    reason = KNOWN_GAPS.get((family, gold))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(family, gold, id=f"{family}-{gold}", marks=marks)


@pytest.mark.parametrize(("family", "gold"), [_case(f, g) for f, g in CASES])
def test_rendering_parses_like_the_gold(family: str, gold: str) -> None:
    if FAMILIES[family].extension == ".pdf" and soffice() is None:
        pytest.skip("LibreOffice (soffice) is needed to make the PDF")
    verdict = evaluate(family, gold)
    assert verdict.ok, verdict.summary()


def test_known_gaps_name_real_cases() -> None:
    """A gap for a family or gold that was renamed, or that the family no longer renders, is stale."""
    stale = sorted(key for key in KNOWN_GAPS if key not in set(CASES))
    assert not stale, stale


def test_every_family_renders_several_golds() -> None:
    counts = {f: sum(1 for family, _ in CASES if family == f) for f in FAMILIES}
    assert len([f for f in FAMILIES if not FAMILIES[f].binary]) >= 14
    assert min(counts.values()) >= 3, counts


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("family", [f for f in FAMILIES if not FAMILIES[f].binary])
def test_text_rendering_states_every_name_text_and_unit(family: str) -> None:
    """The generator itself: each document holds what its expected gold says, in order (a renderer
    that dropped an item or a unit would make a case that cannot fail for the right reason)."""
    for gold in GOLD_NAMES:
        if applicable(family, gold) is not None:
            continue
        case = render(family, gold)
        assert isinstance(case.document, str)
        # Wrapped cells break text over lines; the pipe shape ends every line with " |".
        document = _squeezed(case.document.replace(" |", ""))
        position = 0
        for project in case.expected["projects"]:
            for item in project["items"]:
                text = _squeezed(item["text"]).rstrip("。;；")
                found = document.find(text, position)
                assert found >= 0, (family, gold, project["no"], text[:30])
                position = found + len(text)
            for unit in {u for i in project["items"] for u in i["lead_units"] + i["partner_units"]}:
                assert unit in document, (family, gold, unit)
            assert project["name"] in document, (family, gold, project["name"])


def test_script_flip_converts_every_field_alike() -> None:
    jintan = flip_script(load_gold("jintan-2024"))
    first = jintan["projects"][0]["items"][0]
    assert first["lead_units"] == ["區教育局"]
    assert "學生" in first["text"]
    assert all(t["quote"] in first["text"] for t in first["targets"])
    yuzhong = flip_script(load_gold("04-yuzhong-2016"))  # a traditional list becomes simplified
    assert yuzhong["projects"][0]["name"] == "新修高标准基本农田10万亩"


def test_synthetic_categories_run_over_consecutive_projects() -> None:
    gold = with_categories(load_gold("04-yuzhong-2016"))
    categories = [p["category"] for p in gold["projects"]]
    assert len(set(categories)) == 3
    assert categories == sorted(categories, key=categories.index)  # each category is one run
    own = with_categories(load_gold("05-huaianqu-2024"))
    assert own["projects"][0]["category"] == "“优化教育资源布局”类"
