"""Shared fixtures: a real Pelican build of the real content into a temp dir, and a
local HTTP server over it. Builds run in a subprocess, as `make html` does, so each
one starts with a clean Pelican (its signals are process-wide)."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LANGS = ("en", "nl", "zh")
HTML_LANG = {"en": "en", "nl": "nl", "zh": "zh-Hans"}
SLUGS = ("home", "press-release", "urgent-action", "petition")

# The build's clock for most tests: the urgent action (until 2025-03-18) is open,
# the petition (until 2024-02-19) is closed, so both states are on the site.
DEFAULT_CLOCK = dt.date(2025, 1, 15)


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


def run_pelican(output: Path, content: Path = CONTENT, settings: str = "pelicanconf.py", clock: dt.date | None = DEFAULT_CLOCK, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    if clock is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch(clock)
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(ROOT / settings)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )


def build(output: Path, **kwargs) -> Path:
    result = run_pelican(output, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return output


def page_path(site: Path, slug: str, lang: str) -> Path:
    prefix = "" if lang == "en" else f"{lang}/"
    return site / prefix / ("" if slug == "home" else slug) / "index.html"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with the default clock."""
    return build(tmp_path_factory.mktemp("site") / "output")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (no trailing slash) of a local HTTP server over the built site."""
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
