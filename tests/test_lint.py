"""Ruff, configured in pyproject.toml ([tool.ruff]), finds nothing in the code, and the
code is laid out as `ruff format` lays it out."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CHECKED = ["plugins", "scripts", "tests", "pelicanconf.py", "publishconf.py"]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "error:" not in result.stderr, result.stderr  # a configuration ruff cannot read
    assert result.returncode == 0, f"ruff (`.venv/bin/ruff check --fix` fixes some):\n{result.stdout}"


def test_the_code_is_formatted():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"run `.venv/bin/ruff format {' '.join(CHECKED)}`:\n{result.stdout}{result.stderr}"
