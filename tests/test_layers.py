"""The apps depend one way (DESIGN.md §5): zhongyuan → supervision → reporting →
projects → targets → workflow → org, never back. (DESIGN puts supervision and
reporting side by side; supervision reads the timeliness record that reporting
keeps, so it sits above it, and reporting learns of its kinds through the adapter
registry.) Scanned from the source, so a lazy
import inside a function counts too; migrations are history and are not scanned."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# app -> the apps it must never import.
FORBIDDEN = {
    "org": {"workflow", "targets", "projects", "reporting", "supervision"},
    "workflow": {"targets", "projects", "reporting", "supervision"},
    "targets": {"projects", "reporting", "supervision"},
    "projects": {"reporting", "supervision"},
    "reporting": {"supervision"},
}


def imported_apps(source: str) -> set[tuple[str, int]]:
    """The top-level packages a module imports, with the line of each import."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def violations(app: str) -> list[str]:
    app_dir = ROOT / app
    found = []
    for path in sorted(app_dir.rglob("*.py")):
        if "migrations" in path.relative_to(app_dir).parts:
            continue
        for package, line in sorted(imported_apps(path.read_text(encoding="utf-8"))):
            if package in FORBIDDEN[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {package}")
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_the_apps_below_it(app):
    if not (ROOT / app).is_dir():
        pytest.skip(f"no {app} app in this tree")
    assert violations(app) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import targets.models", {("targets", 1)}),
        ("from targets.models import Target", {("targets", 1)}),
        ("def f():\n    from projects import services", {("projects", 2)}),
        ("from . import models", set()),
        ("import os, reporting.views as v", {("os", 1), ("reporting", 1)}),
    ],
)
def test_imported_apps_sees_every_form_of_import(source, expected):
    assert imported_apps(source) == expected


def test_every_layered_app_is_scanned():
    # A renamed or new app must be added to FORBIDDEN, not silently skipped.
    assert {"org", "targets", "projects"} <= {app for app in FORBIDDEN if (ROOT / app).is_dir()}
