"""Shared fixtures: real Pelican builds into a temp dir, and a local HTTP server over them.

Most tests build the fixture site (tests/fixtures/site/content, a frozen copy of the
campaign's documents, in every declared language: fixture_site.py), so an editor's change
to content/ breaks no test; its output is also compared with tests/fixtures/golden (`make golden` updates it; tests/golden.py).
The real content has checks of its own (`real_site`: links, HTML, page budget,
privacy; tests/test_lifecycle.py: every page true on the day). Builds run in a subprocess, as `make html` does, so each
one starts with a clean Pelican (its signals are process-wide)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import fixture_site
import pytest
from jinja2 import Environment, FileSystemLoader

from campaign import schema, templating
from campaign.deadlines import build_day
from campaign.i18n import load_translations
from campaign.languages import LANGUAGES, page_url

ROOT = Path(__file__).resolve().parent.parent
# The fixture site: what most tests build, in every language of the table. Its pages are
# written by hand in English, Dutch and Chinese (tests/fixtures/site/content); a language
# declared since gets its own from the English (tests/fixture_site.py), so it needs no
# fixture files (tests/test_fourth_language.py runs the tests on a copy with one added).
CONTENT = fixture_site.content()
REAL_CONTENT = ROOT / "content"  # the campaign's content, as editors change it
# The site's languages, from its one table (plugins/campaign/languages.py): a language
# added there is tested everywhere (tests/test_fourth_language.py).
LANGS = tuple(LANGUAGES)
# Those editors write: a generated language (Traditional Chinese) is made from its source's files.
WRITTEN = tuple(code for code in LANGS if not LANGUAGES[code].generated_from)
HTML_LANG = {code: language.html_lang for code, language in LANGUAGES.items()}


def worded(expected: dict) -> list[str]:
    """The languages of LANGS that `expected` (a test's words in each language) has: a test
    of exact wording checks those. A language declared later has no words there: the tests
    that read the table check it instead, so declaring it breaks no test."""
    return [code for code in LANGS if code in expected]


SLUGS = ("home", "press-release", "urgent-action", "petition")

# The build's clock for most tests: the urgent action (until 2025-03-18) is open,
# the petition (until 2024-02-19) is closed, so both states are on the site.
DEFAULT_CLOCK = dt.date(2025, 1, 15)
# `make test-fast` (the daily publishing run) sets TEST_CLOCK=today: its tests then see
# the site as it is published today (the site's day, deadlines.py), rather than as on the day above.
if os.environ.get("TEST_CLOCK") == "today":
    DEFAULT_CLOCK = build_day({})


# --- Example data, built from the declarations ------------------------------------------------
# A target with every field plugins/campaign/schema.py declares, each with a valid value of
# its type: a field declared there is in every example at once, so declaring one breaks no
# test that is not about it (tests/test_schema.py proves it on a copy of the schema).
_EXAMPLE_OF_TYPE = {
    schema.TEXT: "Director",
    schema.LINES: ["Road 1"],
    schema.EMAIL: "a@example.org",
    schema.PHONE: "+86 20 8311 5000",
    schema.URL: "https://example.org/contact",
    schema.ROLE: schema.ROLES[0],
    schema.PRIORITY: 1,
}
_OTHER_OF_TYPE = {  # another valid value of each type: a translation that differs
    schema.TEXT: "Other",
    schema.LINES: ["Other road 2"],
    schema.EMAIL: "b@example.org",
    schema.PHONE: "+86 20 8311 5001",
    schema.URL: "https://example.org/other",
    schema.ROLE: schema.ROLES[-1],
    schema.PRIORITY: 2,
}
_EXAMPLE_OF_FIELD = {"name": "Zhang Rui", "address_lang": LANGS[0]}  # a TEXT checked as a language code


def example_value(target_field: schema.TargetField, other: bool = False) -> object:
    """A valid value for a declared target field (another one if `other`)."""
    if other:
        return _OTHER_OF_TYPE[target_field.type] if target_field.name != "address_lang" else LANGS[1]
    return _EXAMPLE_OF_FIELD.get(target_field.name, _EXAMPLE_OF_TYPE[target_field.type])


def example_target(**values) -> dict:
    """A front-matter target with every declared field (schema.TARGET_FIELDS), `values` instead of some."""
    return {f.name: example_value(f) for f in schema.TARGET_FIELDS} | values


def undeclared_target_field() -> str:
    """A field name no TargetField declares."""
    name = "not_a_field"
    while name in schema.TARGET_FIELD_NAMES:
        name += "_either"
    return name


def page_source(slug: str, lang: str, content: Path = CONTENT):
    """A document as the build reads it (sources.PageFile): its file, or for a generated
    language (Traditional Chinese) its source language's file, converted."""
    from campaign import traditional
    from campaign.sources import read_page

    return read_page(content / "pages" / f"{slug}.{lang}.md", conversions=traditional.load(ROOT / "translations"))


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


def run_pelican(
    output: Path,
    content: Path = CONTENT,
    settings: str = "pelicanconf.py",
    clock: dt.date | None = DEFAULT_CLOCK,
    options: tuple[str, ...] = (),
    **env,
) -> subprocess.CompletedProcess:
    """options: more of pelican's command-line options, such as ("-e", "NAME=value")."""
    environment = {**os.environ, **env}
    if clock is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch(clock)
    args = [str(content), "-o", str(output), "-s", str(ROOT / settings), *options]
    if _BUILD_SERVER.serves(environment):
        return _BUILD_SERVER.run(args, environment, timeout=300)
    return subprocess.run(
        [sys.executable, "-m", "pelican", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


class BuildServer:
    """This test process's build server (tests/build_server.py), started at its first build."""

    # What a build may set that a forked build reads as a new process would (at the build, not at
    # start-up); HOOK_*: what the tests' own Pelican plugins read as they run (EDIT_WHILE_READING...).
    PER_BUILD = frozenset({"SOURCE_DATE_EPOCH", "SITEURL"})
    PER_BUILD_PREFIXES = ("HOOK_", "PYTEST_")

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.socket = ""
        self.environment: dict[str, str] = {}

    @staticmethod
    def _compared(environment: dict[str, str]) -> dict[str, str]:
        return {
            key: value
            for key, value in environment.items()
            if key not in BuildServer.PER_BUILD and not key.startswith(BuildServer.PER_BUILD_PREFIXES)
        }

    def serves(self, environment: dict[str, str]) -> bool:
        if os.environ.get("BUILD_SERVER") == "0" or not hasattr(os, "fork"):
            return False
        return self._compared(environment) == self._compared(self.environment or dict(os.environ))

    def _start(self) -> None:
        folder = tempfile.mkdtemp(prefix="build-server-")
        self.socket = os.path.join(folder, "socket")
        self.environment = dict(os.environ)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "build_server.py"), self.socket],
            cwd=ROOT,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.process.stdout.readline()
        assert ready == "ready\n", f"the build server did not start: {ready!r}"
        atexit.register(self.stop)  # (and it stops on its own once this process is gone)

    def run(self, args: list[str], environment: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
        if self.process is None or self.process.poll() is not None:
            self._start()
        with tempfile.TemporaryDirectory(prefix=".build-log-") as logs:
            out, err = os.path.join(logs, "out"), os.path.join(logs, "err")
            request = {"args": args, "env": environment, "cwd": str(ROOT), "stdout": out, "stderr": err}
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(timeout)
                connection.connect(self.socket)
                connection.sendall(json.dumps(request).encode() + b"\n")
                with connection.makefile("r") as reader:
                    pid = int(reader.readline())
                    try:
                        status = reader.readline()
                    except TimeoutError:
                        os.kill(pid, 9)
                        raise subprocess.TimeoutExpired(["pelican", *args], timeout) from None
            returncode = int(status) if status.strip() else -9  # no status: the build was killed

            def text(path: str) -> str:
                with open(path, encoding="utf-8", errors="replace", newline=None) as file:
                    return file.read()

            return subprocess.CompletedProcess(["pelican", *args], returncode, text(out), text(err))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # it removes its socket's folder
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                shutil.rmtree(os.path.dirname(self.socket), ignore_errors=True)


_BUILD_SERVER = BuildServer()


def pytest_sessionfinish(session, exitstatus):
    _BUILD_SERVER.stop()


def build(output: Path, **kwargs) -> Path:
    result = run_pelican(output, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return output


def site_path(slug: str, lang: str) -> str:
    """A page's root-relative address, e.g. /nl/petition/."""
    return "/" + page_url(slug, lang)


def page_path(site: Path, slug: str, lang: str) -> Path:
    return site / page_url(slug, lang) / "index.html"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The fixture site, built once per test session with the default clock."""
    return build(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The campaign's own content, built once per test session with the default clock."""
    return build(tmp_path_factory.mktemp("real-site") / "output", content=REAL_CONTENT)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _GitHubPagesHandler(_QuietHandler):
    """Serves the site as GitHub Pages does: below `base_path` (a project site is at
    /repo/), and the site's own 404.html, with status 404, for any missing path."""

    base_path = "/"

    def translate_path(self, path):
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / ".missing" / "outside-the-site")
        return super().translate_path("/" + path[len(self.base_path) :])

    def end_headers(self):
        # LinkChecker waits up to 0.6 s between requests unless the server allows more.
        if "LinkChecker/" in self.headers.get("User-Agent", ""):
            self.send_header("LinkChecker", "allow")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file() or not self.path.startswith(self.base_path):
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(directory: Path, base_path: str = "/"):
    """Serve `directory` at http://127.0.0.1:PORT{base_path}, as GitHub Pages would."""
    handler_class = type("Handler", (_GitHubPagesHandler,), {"base_path": base_path})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server: http.server.ThreadingHTTPServer) -> None:
    """server.shutdown() without waiting up to 0.5 s for its loop to look again: a connection
    wakes it. (A loop that looked more often would cost CPU all the time the server is up.)"""
    stopping = threading.Thread(target=server.shutdown)
    stopping.start()
    while stopping.is_alive():
        with contextlib.suppress(OSError):
            socket.create_connection(server.server_address, timeout=1).close()
        stopping.join(0.01)
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (no trailing slash) of a local HTTP server over the built site."""
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop(server)


@pytest.fixture(scope="session")
def real_site_url(real_site):
    """Base URL (no trailing slash) of a local HTTP server over the real site."""
    server = serve(real_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop(server)


# --- Helpers the test modules share (no test module imports from another) -----------------
SETTINGS = ROOT / "pelicanconf.py"
TRANSLATIONS = ROOT / "translations"


def tree(directory: Path) -> dict[str, str]:
    """Every file below the folder, by relative path, as its SHA-256."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def settings_file(path: Path, **settings) -> Path:
    """pelicanconf.py as it is, written to `path` with its folders made absolute (the theme,
    the plugins and the catalogs of this project) and `settings` added, such as THEME=... ."""
    values = {
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "CAMPAIGN_TRANSLATIONS": str(TRANSLATIONS),
        **{name: str(value) if isinstance(value, Path) else value for name, value in settings.items()},
    }
    path.write_text(
        SETTINGS.read_text(encoding="utf-8")
        + "".join(f"\n{name} = {value!r}" for name, value in values.items())
        + "\n",
        encoding="utf-8",
    )
    return path


def with_plugins(folder: Path, *plugins: str) -> tuple[str, ...]:
    """Pelican options that add small plugins of a test (modules in `folder`) to the site's own:
    they see a real build from inside, through Pelican's signals."""
    return (
        "-e",
        f"PLUGINS={json.dumps(['campaign', *plugins])}",
        f"PLUGIN_PATHS={json.dumps([str(ROOT / 'plugins'), str(folder)])}",
    )


def copy_site(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture site's content and of the catalogs (without compiled ones): (content, translations)."""
    content, translations = tmp_path / "content", tmp_path / "translations"
    shutil.copytree(CONTENT, content)
    shutil.copytree(TRANSLATIONS, translations, ignore=shutil.ignore_patterns("*.mo"))
    return content, translations


def run_check(content: Path, translations: Path | None = None, *options: str) -> subprocess.CompletedProcess:
    """`make check`, as the Makefile runs it."""
    command = [sys.executable, "-m", "campaign.check", str(content), "--settings", str(SETTINGS), *options]
    if translations:
        command += ["--translations", str(translations)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def replace(path: Path, old: str, new: str) -> None:
    """An edit in a copied file: the first `old` becomes `new` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}: the test needs updating"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fill_in(path: Path) -> None:
    """What the editor does: replace every TODO with real text (and a real date)."""
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("deadline:"):
            line = "deadline: 2025-02-28"
        line = re.sub(r"TODO[^\"\n]*", "Filled in by the editor.", line)
        lines.append(line)
    path.write_text("\n".join(lines), encoding="utf-8")


@functools.cache
def _translations():
    return load_translations(TRANSLATIONS)


def component_env() -> Environment:
    """As pelicanconf.py's JINJA_ENVIRONMENT, with the site's gettext and filters."""
    env = Environment(
        loader=FileSystemLoader(str(ROOT / "theme" / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    templating.install(env, _translations())
    return env


def render(env: Environment, file: str, macro: str, params: dict, lang: str = "en") -> str:
    """Call the macro in components/<file> as a page template would, in language `lang`."""
    source = f'{{% from "components/{file}" import {macro} with context %}}{{{{ {macro}(params) }}}}'
    return env.from_string(source).render(params=params, lang=lang)


# --- Tools of the browser, HTML and link tests ---------------------------------------------
# `make test` installs them all; a missing one fails its tests (under CI=true too), with
# a message that says what to install, rather than skipping them.
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; never Playwright's own download
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = ROOT / "node_modules"
SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def screenshot(page, name: str) -> Path:
    """The whole page as build/screenshots/NAME.jpg, for people to look at (as a JPEG: a
    long page's PNG costs Chromium three times the CPU to encode)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.jpg"
    page.screenshot(path=path, full_page=True, type="jpeg", quality=85)
    return path


def jpeg_width(path: Path) -> int:
    """The width, in pixels, in a JPEG's frame header."""
    data = path.read_bytes()
    assert data[:2] == b"\xff\xd8", f"{path} is not a JPEG"
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame, not a table
            return int.from_bytes(data[at + 7 : at + 9], "big")
        at += 2 + length
    raise AssertionError(f"{path} has no frame header")


def require(path: Path | str, install: str) -> str:
    """The path of a file or command the tests need; fails the test if it is missing."""
    found = str(path) if Path(path).is_absolute() and Path(path).exists() else shutil.which(str(path))
    if not found:
        pytest.fail(f"{path} is missing: {install}", pytrace=False)
    return found


def require_node_module(relative: str) -> Path:
    path = NODE_MODULES / relative
    require(path, "run `make test` (or `npm ci`) to install the npm packages in package.json")
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    require(CHROMIUM, "install Debian's Chromium with `apt-get install chromium fonts-noto-cjk` (`make test` does)")
    fc_list = require("fc-list", "install fontconfig with `apt-get install fontconfig fonts-noto-cjk`")
    if not subprocess.run([fc_list, ":lang=zh-cn"], capture_output=True, text=True).stdout.strip():
        pytest.fail(
            "no Chinese font: install it with `apt-get install fonts-noto-cjk` (`make test` does)", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Tabs:
    """Pages for the browser tests, in browser contexts shared by every test that asks for the
    same options (viewport, JavaScript, time zone...), and one local server per site.

    Chromium spends about 0.6 s of CPU on a new context and its first page, 0.3 to 0.55 s on
    a new page in an open context (a phone's more), and 0.1 s on loading another page in
    an open tab; the browser tests read some 200 pages. So `page()` lends the tab kept for
    its options: the clock set again, routes and print media gone, ready for a `goto`
    (listeners a test added stay, and hear nothing it waits for). `new_page()` is a new one,
    for a test that needs two at once or changes what a tab keeps (an init script). What a
    context keeps between pages (cookies, storage) the site never writes
    (test_action_first.py checks)."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts: dict[str, object] = {}
        self.kept: dict[str, object] = {}
        self.servers: dict[tuple[Path, str], http.server.HTTPServer] = {}

    def origin(self, site: Path, base_path: str = "/") -> str:
        """http://127.0.0.1:PORT of a server over `site` (one per site, for the session)."""
        key = (Path(site), base_path)
        if key not in self.servers:
            self.servers[key] = serve(site, base_path)
        return f"http://127.0.0.1:{self.servers[key].server_address[1]}"

    @staticmethod
    def key(options: dict) -> str:
        return repr(sorted(options.items()))

    def _context(self, options: dict):
        key = self.key(options)
        if key not in self.contexts:
            context = self.browser.new_context(**options)
            context.grant_permissions(["clipboard-read", "clipboard-write"])  # the local servers'
            self.contexts[key] = context
        return self.contexts[key]

    @staticmethod
    def _set_clock(page, moment: dt.date | dt.datetime) -> None:
        """The reader's clock: `moment`, or noon UTC of a day."""
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime(moment.year, moment.month, moment.day, 12, tzinfo=dt.UTC)
        page.clock.set_fixed_time(moment)

    def page(self, moment: dt.date | dt.datetime = DEFAULT_CLOCK, **options):
        """The tab kept for `options`, its clock at `moment`, ready for a `goto`."""
        key = self.key(options)
        page = self.kept.get(key)
        if page is None or page.is_closed():
            page = self.kept[key] = self._context(options).new_page()
        else:
            page.unroute_all(behavior="ignoreErrors")
            page.emulate_media(media="null")
        self._set_clock(page, moment)
        return page

    def new_page(self, moment: dt.date | dt.datetime = DEFAULT_CLOCK, **options):
        """A new page in the context for `options`, its clock at `moment`: the caller closes it."""
        page = self._context(options).new_page()
        self._set_clock(page, moment)
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        for server in self.servers.values():
            stop(server)


@pytest.fixture(scope="session")
def tabs(browser):
    tabs = Tabs(browser)
    yield tabs
    tabs.close()


@pytest.fixture()
def opened(tabs):
    """opened(site, path, day, **context options) -> a Playwright page read on `day` (the
    tab kept for those options; a second one in the same test is a new page)."""
    lent, new = set(), []

    def open_page(site: Path, path: str, day: dt.date = DEFAULT_CLOCK, **options):
        if tabs.key(options) in lent:
            page = tabs.new_page(day, **options)
            new.append(page)
        else:
            lent.add(tabs.key(options))
            page = tabs.page(day, **options)
        page.goto(tabs.origin(site) + path, wait_until="load")
        return page

    yield open_page
    for page in new:
        page.close()


@functools.cache
def modules_with(text: str) -> frozenset[str]:
    return frozenset(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").glob("test_*.py")
        if text in path.read_text(encoding="utf-8")
    )


def worker_group(nodeid: str) -> str:
    """The tests of one group go to one worker together (SharedFixtureScheduler): those of a
    module with a module-scoped fixture (a site built once for them), so that it is built
    once; those with the same parameters in a module with a session-scoped fixture of its
    own, which keeps what it found for each (test_browser.py: a page's visit, which a dozen
    tests read), so that the page is visited once, not once on each worker. Any other test
    is a group of its own."""
    module = nodeid.split("::", 1)[0]
    if module in modules_with('scope="module"'):
        return module
    if module in modules_with('scope="session"') and nodeid.endswith("]"):
        return f"{module}[{nodeid.split('[', 1)[1]}"
    return nodeid


class SharedFixtureScheduler:
    """`make test` (pytest-xdist, --dist loadgroup) shares the tests out one by one between the
    cores, which keeps every core busy to the end, but a group (worker_group) goes to one
    worker whole. (pytest-xdist's own xdist_group marks are lost under pytest 9, which no
    longer reads the node id that pytest-xdist rewrites.)"""

    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") != "loadgroup":
            return None
        from xdist.scheduler import LoadScopeScheduling

        class SharedFixtureScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return worker_group(nodeid)

        return SharedFixtureScheduling(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):  # a run with -p no:xdist does not know the hook
        config.pluginmanager.register(SharedFixtureScheduler(), "shared-fixture-scheduler")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (CI=true) every test must run: a skipped test is reported as a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be skipped: {reason}"


# --- Edits the incremental and up-to-date matrices both make -----------------------------------

SKIP_LINK_NL = re.compile(r'(?<=msgid "Skip to main content"\nmsgstr ")[^"\n]*(?=")')  # a string every page shows


def delete_document(s) -> None:
    """A document deleted in every language, and the links to it (s: a copy with .content)."""
    for path in (s.content / "pages").glob("press-release.*.md"):
        path.unlink()
    for path in (s.content / "pages").glob("*.md"):  # and the links to it
        text = path.read_text(encoding="utf-8")
        path.write_text("\n".join(line for line in text.split("\n") if "press-release." not in line), encoding="utf-8")


SHADOW_SMARTYPANTS = """
# smartypants as installed, except that it writes a right single quote as &#x2019;
import importlib.machinery, sys
here = __file__.rsplit("/", 1)[0]
spec = importlib.machinery.PathFinder.find_spec("smartypants", [p for p in sys.path if p not in ("", here)])
exec(compile(open(spec.origin, encoding="utf-8").read(), spec.origin, "exec"))
_convert_quotes = convert_quotes
def convert_quotes(text, *args, **kwargs):
    return _convert_quotes(text, *args, **kwargs).replace("&#8217;", "&#x2019;")
"""


EDIT_WHILE_READING = """
# After Pelican has read every page and before the build stamps or writes anything,
# an editor saves the page again.
import os
from pelican import signals

def save(generator):
    path = os.environ["HOOK_EDIT_PATH"]
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace(os.environ["HOOK_EDIT_FROM"], os.environ["HOOK_EDIT_TO"]))

def register():
    signals.page_generator_finalized.connect(save)
"""
