"""The lock files (pip-compile, with hashes) follow pyproject.toml: every declared
dependency is pinned with a hash, production's file holds no dev tools. A dependency
added to pyproject.toml without `make lock` fails here, not on a fresh install."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9_.-]+", req).group()) for req in requirements}


def pinned(lock_file: str) -> dict[str, int]:
    """Package -> number of hashes, for each `name==version` line of a lock file."""
    text = (ROOT / lock_file).read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==\S+", block)
        if match:
            pins[canonical(match.group(1))] = block.count("--hash=sha256:")
    return pins


@pytest.mark.parametrize(
    ("lock_file", "groups"),
    [("requirements.txt", ["main"]), ("requirements-dev.txt", ["main", "dev"])],
)
def test_lock_file_pins_every_declared_dependency_with_hashes(lock_file, groups):
    wanted = set()
    for group in groups:
        wanted |= declared(
            PROJECT["dependencies"] if group == "main" else PROJECT["optional-dependencies"][group]
        )
    pins = pinned(lock_file)
    assert wanted - set(pins) == set()
    assert [name for name, hashes in pins.items() if hashes == 0] == []


def test_production_lock_holds_no_dev_tools():
    dev = declared(PROJECT["optional-dependencies"]["dev"])
    assert dev & set(pinned("requirements.txt")) == set()


def test_both_lock_files_agree_on_shared_versions():
    def versions(lock_file):
        text = (ROOT / lock_file).read_text(encoding="utf-8")
        return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE))

    main, dev = versions("requirements.txt"), versions("requirements-dev.txt")
    assert {
        name: (version, dev.get(name)) for name, version in main.items() if dev.get(name) != version
    } == {}
