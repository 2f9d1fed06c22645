"""Dependencies point one way, read from the imports themselves (ast), not from a promise.

selvhjelp ← contactpoints ← groups ← events; materials and newsletter stand beside groups and
depend only on selvhjelp and contactpoints. The composition roots, `selvhjelp/urls.py` and
`selvhjelp/management/commands/demo_data.py`, are the only modules that may import every app.
Area home pages reach later apps through template panels, never through Python imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("selvhjelp", "contactpoints", "groups", "events", "materials", "newsletter")
MAY_IMPORT = {
    "selvhjelp": {"selvhjelp"},
    "contactpoints": {"selvhjelp", "contactpoints"},
    "groups": {"selvhjelp", "contactpoints", "groups"},
    "events": {"selvhjelp", "contactpoints", "groups", "events"},
    "materials": {"selvhjelp", "contactpoints", "materials"},
    "newsletter": {"selvhjelp", "contactpoints", "newsletter"},
}
COMPOSITION_ROOTS = {"selvhjelp.urls", "selvhjelp.management.commands.demo_data"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module `path` imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from groups.services import interests` imports the module groups.services.interests
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in modules
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in APPS)
    return found


def test_no_app_imports_an_app_that_comes_after_it():
    modules = _project_modules()
    wrong = []
    for name, path in sorted(modules.items()):
        if name in COMPOSITION_ROOTS:
            continue
        app = name.split(".")[0]
        for imported in sorted(_imports(path, modules)):
            if imported.split(".")[0] not in MAY_IMPORT[app]:
                wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_there_are_no_import_cycles():
    modules = _project_modules()
    graph = {
        name: {m for m in _imports(path, modules) if m in modules and m != name}
        for name, path in modules.items()
    }
    cycles = []
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_the_rule_sees_a_forbidden_import(tmp_path):
    """The reader finds function-level imports too (the old services ↔ services_workspace cycle
    hid one there)."""
    source = tmp_path / "example.py"
    source.write_text("def f():\n    from groups.models import Group\n    import events.urls\n")
    assert _imports(source, _project_modules()) == {"groups.models", "events.urls"}
