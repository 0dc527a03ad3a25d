"""Python dependencies are locked: requirements.lock pins every package pyproject.toml needs
(and theirs) to one version with its hashes, and `make` installs only from it (R18's lock)."""

from __future__ import annotations

import re
import subprocess
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)")


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        if current and "--hash=sha256:" in line:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["test"]]


def test_every_declared_dependency_is_pinned_to_a_version_it_allows():
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} is outside {requirement}: run `make lock`"
        )


def test_every_pinned_package_has_a_hash():
    pins = locked()
    assert len(pins) > len(declared())  # their own dependencies are pinned too
    assert all(hashes >= 1 for _, hashes in pins.values()), [name for name, (_, hashes) in pins.items() if not hashes]


def test_make_installs_from_the_lock_and_make_lock_updates_it():
    install = subprocess.run(
        ["make", "-n", "--always-make", "deps"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    assert "--require-hashes" in install and "-r requirements.lock" in install
    assert "pip install" in install and "'.[test]'" not in install
    update = subprocess.run(["make", "-n", "lock"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "pip-compile" in update and "--generate-hashes" in update and "requirements.lock" in update
