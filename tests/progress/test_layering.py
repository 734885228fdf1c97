"""`progress` imports nothing from the apps above it (issue 11): alerts reads progress, and supplies the
lights progress pages show through `progress.providers`."""

from __future__ import annotations

import ast
from pathlib import Path

import minsheng

SRC = Path(minsheng.__file__).parent
ABOVE = ("alerts", "supervision", "bulletins", "dashboard", "portal")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_progress_and_plans_import_no_app_above_them() -> None:
    offending = []
    for app in ("progress", "plans"):
        for path in sorted((SRC / app).rglob("*.py")):
            for name in _imports(path):
                if any(
                    name == f"minsheng.{above}" or name.startswith(f"minsheng.{above}.") for above in ABOVE
                ):
                    offending.append(f"{path.relative_to(SRC)} imports {name}")
    assert offending == []


def test_alerts_supplies_the_lights_progress_shows(world) -> None:
    from minsheng.alerts.lights import item_lights
    from minsheng.alerts.status import Status
    from minsheng.progress import providers

    assert set(providers.light_values()) == {s.value for s in Status}
    assert providers.item_lights([world.plan]) == item_lights([world.plan])
