"""`make devserver`: rebuilds on save, reloads the browser, survives an editor's mistake,
and never puts its reload script into a build."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from campaign.devserver import Builder
from campaign.devserver_http import EVENTS_PATH, SCRIPT_TAG, dev_policy, inject
from conftest import CONTENT, ROOT

PAGE = """<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; form-action 'none'">
</head><body><p>Hi</p></body></html>"""


def test_builds_take_turns_in_three_folders_never_the_one_on_screen_or_the_one_before(tmp_path):
    builder = Builder(CONTENT, ROOT / "pelicanconf.py", tmp_path, state=None)
    folder = {number: tmp_path / f"build-{number}" for number in (1, 2, 3)}
    shown = []
    for _ in range(7):  # every build succeeds
        target = builder.next_target()
        assert target not in shown[-2:]
        builder.kept = [f for f in builder.kept if f != target] + [target]
        shown.append(target)
    assert shown == [folder[1], folder[2], folder[3], folder[1], folder[2], folder[3], folder[1]]
    failed = builder.next_target()  # a build into folder 2 fails: the next one uses it again
    assert failed == folder[2] and builder.next_target() == folder[2]


def test_policy_allows_only_this_server_in_addition():
    assert (
        dev_policy("default-src 'none'; script-src 'self'; style-src 'self'")
        == "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'"
    )
    assert (
        dev_policy("default-src 'none'; script-src 'none'")
        == "default-src 'none'; script-src 'self'; connect-src 'self'"
    )
    assert "unsafe" not in dev_policy("default-src 'none'")


def test_injects_the_script_and_widens_the_policy():
    page = inject(PAGE)
    assert page.count(SCRIPT_TAG) == 1
    assert page.index(SCRIPT_TAG) < page.index("</body>")
    widened = "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'none'; connect-src 'self'"
    assert f'<meta http-equiv="Content-Security-Policy" content="{widened}">' in page
    assert "<p>Hi</p>" in page


class DevServer:
    """The devserver in a subprocess over a copy of the content, with its output in a queue."""

    def __init__(self, content: Path):
        environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "campaign.devserver", "--content", str(content), "--port", "0"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line(r"Serving the site at (http://\S+/)", timeout=120).group(1)
        self.builds = Path(re.search(r"builds go to (\S+),", "\n".join(self.output)).group(1))

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "the devserver stopped:\n" + "\n".join(self.output)
                continue
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r} in {timeout} s:\n" + "\n".join(self.output))

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class EventStream:
    """The Server-Sent Events the reload script listens to, collected in a thread until the
    server stops."""

    def __init__(self, url: str):
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.response = urllib.request.urlopen(url, timeout=60)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "":
                    if data:
                        self.events.put((name, "\n".join(data)))
                    name, data = "message", []
        except Exception:  # the server closed the stream: the test is over
            return

    def next(self, wanted: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                name, data = self.events.get(timeout=max(deadline - time.monotonic(), 0.1))
            except queue.Empty:
                break
            if name == wanted:
                return data
        raise AssertionError(f"no {wanted!r} event within {timeout} s")

    def until(self, server: DevServer, text: str, timeout: float) -> str:
        """Wait for builds until the home page shows the text (another save may also rebuild)."""
        deadline = time.monotonic() + timeout
        while True:
            generation = self.next("build", timeout=max(deadline - time.monotonic(), 0.1))
            if text in server.get()[1]:
                return generation


@pytest.fixture
def devserver(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    server = DevServer(content)
    yield server, content
    server.stop()


def test_rebuilds_on_save_and_tells_the_page(devserver):
    server, content = devserver
    status, page = server.get()
    assert status == 200
    assert SCRIPT_TAG in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "connect-src 'self'" in policy.split("; ") and "default-src 'none'" in policy.split("; ")
    built = sorted(server.builds.glob("build-*/index.html"))
    assert built and SCRIPT_TAG not in built[-1].read_text(encoding="utf-8"), (
        "the script must never be written into a build"
    )
    assert "/__devserver/" not in (ROOT / "theme").joinpath("templates", "base.html").read_text(encoding="utf-8")

    events = EventStream(server.url.rstrip("/") + EVENTS_PATH)
    first = events.next("build", timeout=30)

    home = content / "pages" / "home.en.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nFirstsave\n", encoding="utf-8")
    second = events.until(server, "Firstsave", timeout=120)
    assert second != first

    # a mistake: the problem line is printed and streamed, and the last good build stays
    text = home.read_text(encoding="utf-8")
    broken = re.sub(r"(?m)^date: .*$", "date: 2024-06-31", text, count=1)
    line = next(number for number, row in enumerate(broken.split("\n"), 1) if row.startswith("date:"))
    home.write_text(broken, encoding="utf-8")
    problems = events.next("problems", timeout=120)
    assert re.search(rf"home\.en\.md:{line}: date: '2024-06-31' is not a real day", problems), problems
    server.wait_for_line(rf"home\.en\.md:{line}: date:", timeout=30)
    status, page = server.get()
    assert status == 200 and "Firstsave" in page
    assert server.process.poll() is None

    # fixed: a new build, and the page is told to reload
    home.write_text(text + "\nSecondsave\n", encoding="utf-8")
    assert events.until(server, "Secondsave", timeout=120) not in (first, second)
    # (the stream ends as the server stops; closing it from here would wait for the thread
    # that reads it, up to the server's next 10 s keep-alive)


def test_clean_urls_404_and_cleanup(devserver):
    server, content = devserver
    assert server.get("nl/")[0] == 200
    status, page = server.get("no-such-page/")
    assert status == 404 and SCRIPT_TAG in page
    with urllib.request.urlopen(server.url + "nl", timeout=30) as response:  # follows the redirect to /nl/
        assert response.url.endswith("/nl/")
    builds = server.builds
    assert builds.is_dir()
    server.stop()
    assert server.process.returncode == 0
    assert not builds.exists(), "the temporary builds are removed when the devserver stops"


@pytest.mark.browser
def test_browser_reloads_on_save_under_the_sites_csp(devserver, browser):
    server, content = devserver
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(server.url, wait_until="load")
        page.wait_for_timeout(500)  # let the page open its event stream
        home = content / "pages" / "home.en.md"
        home.write_text(home.read_text(encoding="utf-8") + "\nBrowsersave\n", encoding="utf-8")
        page.get_by_text("Browsersave").wait_for(timeout=120_000)  # after the page reloaded itself
        assert not [error for error in errors if "Content Security Policy" in error], errors
    finally:
        page.close()
