"""`make serve`, the README's first command, builds the site and serves every page in every language."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import LANGS, ROOT, SLUGS, site_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def test_make_serve_builds_and_serves_every_page(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", f"OUTPUTDIR={tmp_path / 'output'}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180  # the first run may install the dependencies
        while True:
            try:
                status, _ = fetch(base + "/")
                break
            except OSError:
                assert server.poll() is None, f"make serve stopped:\n{server.stdout.read()}"
                assert time.monotonic() < deadline, "make serve did not answer within 180 s"
                time.sleep(0.5)
        for slug in SLUGS:
            for lang in LANGS:
                path = site_path(slug, lang)
                status, html = fetch(base + path)
                assert status == 200 and "<html lang=" in html, path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
