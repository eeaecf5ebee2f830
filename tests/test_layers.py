"""The apps' dependencies run one way (DESIGN.md §5): org → workflow → targets →
projects → reporting, supervision; never back. Every import statement in an app's
modules (at the top or inside a function) is checked."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# app → the apps it must never import
FORBIDDEN = {
    "org": {"workflow", "targets", "projects", "reporting", "supervision"},
    "workflow": {"targets", "projects", "reporting", "supervision"},
    "targets": {"projects", "reporting", "supervision"},
    "projects": {"reporting", "supervision"},
}


def imported_apps(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def violations(app: str) -> list[str]:
    forbidden = FORBIDDEN[app]
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for module, line in sorted(imported_apps(path))
        if module in forbidden
    ]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_the_apps_below_it(app):
    if not (ROOT / app).is_dir():
        pytest.skip(f"no {app} app in this tree")
    assert violations(app) == []


def test_the_scan_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from reporting.views import entry\n", encoding="utf-8")
    assert imported_apps(module) == {("reporting", 2)}
