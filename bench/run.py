"""Benchmarks behind docs/benchmarks.md (`make bench`).

Parser: the Jintan 2024 text (target < 50 ms) and generated lists of 250 … 2,000 items (target: 1,000 items
< 2 s, time linear in length). Prints a Markdown table; timings are the median of several runs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from minsheng.parsing import parse_text  # noqa: E402

SEED = ROOT / "src/minsheng/demo/data/jintan-2024.txt"
GOLD = ROOT / "tests/parsing/corpus/shared/gold/jintan-2024.json"


def table_text(n_items: int) -> str:
    """A list of `n_items` items in the Jintan layout (a Word table flattened to tab-indented text),
    built by cycling through the Jintan projects and renumbering them."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    lines = [
        "附件",
        "2099年示例区民生实事项目清单",
        "",
        "\t序号",
        "\t项目名称",
        "\t主要内容",
        "\t责任单位",
        "\t配合单位",
        "",
    ]
    made, no = 0, 0
    while made < n_items:
        for project in gold["projects"]:
            no += 1
            for i, item in enumerate(project["items"]):
                if made >= n_items:
                    break
                head = [
                    f"\t{no}",
                    f"\t{project['name']}" + (f"\n（{project['alias']}）" if project["alias"] else ""),
                ]
                if i:
                    head = ["\t", "\t"]
                lines += [*head, f"\t{item['text']}"]
                lines.append("\t" + "\n".join(item["lead_units"]))
                lines.append("\t" + "\n".join(item["partner_units"]))
                lines.append("")
                made += 1
            if made >= n_items:
                break
    return "\n".join(lines)


def other_layouts(n_items: int) -> dict[str, str]:
    """The same kind of list in layouts the structure finder reads through other candidate readings:
    numbered paragraphs with unit brackets, one unnumbered entry per line, one cell per line."""
    return {
        "numbered paragraphs": "2099年示例区民生实事项目清单\n"
        + "\n".join(
            f"{i}.新建示例区第{i}幼儿园1所，新增学位{i}个。（牵头单位：区教育局）"
            for i in range(1, n_items + 1)
        ),
        "one entry per line": "2099年示例区民生实事项目清单\n"
        + "\n".join(f"示例项目第{i}项建设工程" for i in range(1, n_items + 1)),
        "one cell per line": "序号\n\n项目名称\n\n主要内容\n\n责任单位\n\n"
        + "\n\n".join(f"{i}\n\n项目{i}\n\n新建学校{i}所。\n\n区教育局" for i in range(1, n_items + 1)),
    }


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    jintan = SEED.read_text(encoding="utf-8")
    parse_text(jintan)  # warm up regex compilation and imports
    rows = [("Jintan 2024 text (30 items)", median_seconds(lambda: parse_text(jintan), 21), "< 50 ms")]
    per_item = {}
    for n in (250, 500, 1000, 2000):
        text = table_text(n)
        plan = parse_text(text)
        items = sum(len(p.items) for p in plan.projects)
        assert items == n, f"generated {n} items, parsed {items}"
        seconds = median_seconds(lambda text=text: parse_text(text), 5)
        per_item[n] = seconds / n
        rows.append((f"generated list, {n} items", seconds, "< 2 s" if n == 1000 else ""))
    print("| what | median time | target |")
    print("| --- | ---: | --- |")
    for what, seconds, target in rows:
        print(f"| {what} | {seconds * 1000:.1f} ms | {target} |")
    ratio = per_item[2000] / per_item[250]
    print(f"\nTime per item at 2,000 items / at 250 items: {ratio:.2f} (1.0 = perfectly linear)")
    print("\n| other layout | 250 items | 2,000 items | time per item, 2,000 / 250 |")
    print("| --- | ---: | ---: | ---: |")
    small, large = other_layouts(250), other_layouts(2000)
    for layout in small:
        assert len(parse_text(large[layout]).projects) == 2000, layout
        a = median_seconds(lambda t=small[layout]: parse_text(t), 5)
        b = median_seconds(lambda t=large[layout]: parse_text(t), 3)
        print(f"| {layout} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {b / 2000 / (a / 250):.2f} |")
    ok = rows[0][1] < 0.05 and {r[0]: r[1] for r in rows}["generated list, 1000 items"] < 2.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
