"""The plugin's imports follow docs/architecture.md's module map: every module is in it, and
a module imports only modules named before it. So there is no import cycle, and the map a
new maintainer reads is the code's."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "campaign"
COMMANDS = {"check", "scaffold", "devserver"}  # `make check`, `make new`, `make devserver`: they share nothing
# Imports the map already forbids, in files another branch changes at the same time: devserver.py
# (issue 22) takes PROJECT and Locations from check, which has them from config and sources.
PENDING: set[tuple[str, str]] = set()  # an import against the map, while it is being moved


def module_map() -> list[str]:
    """The modules of the map's table, in its order (dotted names: stages.reading)."""
    section = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("## Module map", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return [name.removesuffix(".py").replace("/", ".") for row in rows for name in re.findall(r"`([^`]+)`", row)]


def imports() -> dict[str, set[str]]:
    """Each module of the plugin and the plugin's modules it imports."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            continue
        package, imported = parts[:-1], set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                names = [node.module] if node.module else [alias.name for alias in node.names]
                imported |= {".".join([*base, *name.split(".")]) for name in names}
        found[".".join(parts)] = imported
    return found


def test_every_module_is_in_the_map_and_imports_only_modules_before_it():
    order = module_map()
    graph = imports()
    assert sorted(set(graph) - set(order)) == [], "add these modules to docs/architecture.md's module map"
    assert sorted(set(order) - set(graph)) == [], "the module map names modules that are gone"
    against = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in sorted(targets & set(order))
        if order.index(target) >= order.index(module) and (module, target) not in PENDING
    ]
    assert against == [], "imports against the module map (docs/architecture.md): " + "; ".join(against)


def test_the_commands_share_nothing_with_each_other():
    graph = imports()
    shared = [
        (module, target)
        for module in COMMANDS
        for target in graph[module] & COMMANDS
        if (module, target) not in PENDING
    ]
    assert shared == []
    assert all(target in graph[module] for module, target in PENDING), "an exception no longer needed: remove it"


def test_the_map_is_read_whole():
    """Guards the two tests above against a vacuous pass: the table has every stage and the glue."""
    order = module_map()
    assert {"languages", "schema", "stages.reading", "stages.site_model", "stages.writing", "plugin"} <= set(order)
    assert order.index("plugin") == len(order) - 1 and len(order) >= 40
