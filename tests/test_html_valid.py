"""Every page and stylesheet of the built site is valid HTML and CSS for the Nu Html
Checker (npm `vnu-jar`, the checker behind validator.w3.org/nu)."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import require, require_node_module


@pytest.fixture(scope="module")
def checker_report(real_site):
    java = require("java", "install Java with `apt-get install default-jre-headless`")
    vnu = require_node_module("vnu-jar/build/dist/vnu.jar")
    files = sorted(str(path) for pattern in ("*.html", "*.css") for path in real_site.rglob(pattern))
    # A run of a few seconds: the JIT's quick tier alone halves its CPU (the same report); its
    # frames are larger, so the checker's thread gets the stack it then needs.
    quick_jit = ["-XX:TieredStopAtLevel=1", "-Xss8m"]
    result = subprocess.run(
        [java, *quick_jit, "-jar", str(vnu), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    return files, report["messages"]


def describe(message: dict, root: str) -> str:
    where = message.get("url", "").removeprefix("file:").removeprefix(root)
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}\n    {message.get('extract', '').strip()}"


def test_every_page_and_stylesheet_is_checked(checker_report):
    files, _ = checker_report
    assert any(f.endswith(".css") for f in files) and len([f for f in files if f.endswith(".html")]) >= 13


def test_nu_html_checker_reports_no_errors(checker_report, real_site):
    _, messages = checker_report
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(describe(m, str(real_site)) for m in errors)
