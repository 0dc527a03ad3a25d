"""Build speed and page weight of the campaign site: what `make bench` prints.

    make bench                       # N = 100, 300 and 1000 documents per language, 3 runs each
    make bench BENCH_N=300 BENCH_RUNS=5  # (a site of 1000 or more is built once, cold, and checked once)
    make bench LIGHTHOUSE=1          # adds Lighthouse scores (~11 s a page and form factor;
                                     # installs Lighthouse into build/lighthouse the first time)

Every build is a fresh `pelican` process, as `make html` runs it, on a copy of the
content in a temporary directory (the repository is never written to). Each time is
the median of the runs: the wall-clock time an editor waits, and the CPU time of the
build process, which other work on a busy machine disturbs less.

- cold: no output (a clean clone, as CI builds): `pelican` alone;
- warm, nothing changed: the output of the previous build is there, and the build runs
  as `make html` runs it: plugins/campaign/up_to_date.py first, which finds nothing
  changed, so Pelican does not run;
- warm, one file changed: the same, after an edit to one page's text, and after an
  edit to one page's title, which the home page shows: the check says what changed,
  then Pelican builds everything (times are the two together);
- after those builds, the output is compared with a cold build of the edited content;
- stock Pelican: the same documents (front matter as Pelican's own metadata, the same
  Markdown body and Markdown settings) built by `pelican` with no plugin and its default
  theme, in the same run: the ratio shows at once a regression against the engine the
  site stands on;
- editors' loop: `make devserver` on the real site; the time from saving a page to the
  page served with the edit, after the server has told the browser to reload.

Sites of BIG_SITE documents per language or more are built once, cold, then checked once
("nothing changed"): the edits and the comparison builds would take minutes.

The synthetic sites hold the real content plus copies of the real action, petition and
press documents under new slugs, so they are valid under the content model and the
build's checks pass, up to N documents in each of the three languages.

Beside each page's weight: where the action starts on a phone (390×844, Chromium), the
first control to act and the first control that e-mails, copies or prints a letter, with
and without JavaScript, measured as tests/test_action_first.py does (scripts/action_positions.py).

This is a measurement, not a test: it prints the targets beside the figures and never
fails because of them (tests/test_bench.py only checks that it runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import html.parser
import http.server
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from action_positions import FIRST_SCREEN, PHONE, SECOND_SCREEN  # this folder: the tests measure the same way
from action_positions import measure_site as measure_positions
from conversion_time import measure as measure_conversion
from conversion_time import section as conversion_section

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
sys.path.insert(0, str(ROOT / "plugins"))
from campaign.languages import HOME_SLUG, LANGUAGES, written  # noqa: E402

LANGS = tuple(LANGUAGES)
WRITTEN = tuple(written())  # a generated language's files are made by the build, not copied

# The tests' clock (tests/conftest.py): one action open, one closed, so both states are built.
CLOCK = dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC)

# The file edited for "warm, one file changed": a Dutch action page (Markdown and typogrify).
EDITED_FILE = Path("pages") / "urgent-action.nl.md"

GZIP_LEVEL = 6  # what web servers and CDNs commonly use

# Lighthouse is installed on first use into build/ (ignored by git), not as a devDependency:
# one of its dependencies asks for other packages' "latest" versions, so `npm ci` (and with
# it `make test`) would fail whenever one of those is published again.
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_PREFIX = ROOT / "build" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
    " --no-first-run"
)
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# Targets from issues 7 and 22, on this machine kind (2 cores, quiet).
TARGET_REAL_COLD_S = 0.55
TARGET_300_COLD_S = 3.8
TARGET_1000_OVER_300 = 3.4  # 1000 × 3 cold at most this many times 300 × 3 cold (pages: × 3.3)
TARGET_WARM_S = 0.25  # "nothing changed", real site
TARGET_DEVSERVER_S = 1.0  # a save shown in the browser
TARGET_PEAK_MB = 300
TARGET_SCALING = 1.1  # time ∝ pages^k: k near 1 is linear in the number of documents
BIG_SITE = 1000  # documents per language from which a site is built once
LOAD_AT_START = 0.0  # the load average as the bench starts (main)


# --- Synthetic content -------------------------------------------------------------------


def document_slugs(pages: Path) -> dict[str, list[str]]:
    """slug -> its languages, for every document of the real site."""
    found: dict[str, list[str]] = {}
    for path in sorted(pages.glob("*.md")):
        slug, _, rest = path.name.partition(".")
        found.setdefault(slug, []).append(rest.removesuffix(".md"))
    return found


def copy_content(destination: Path) -> Path:
    shutil.copytree(CONTENT, destination)
    return destination


def make_synthetic_content(destination: Path, per_language: int) -> Path:
    """The real content plus copies of its documents, up to `per_language` documents per language."""
    copy_content(destination)
    pages = destination / "pages"
    real = document_slugs(pages)
    sources = [slug for slug, langs in real.items() if slug != HOME_SLUG and set(WRITTEN) <= set(langs)]
    if per_language < len(real):
        raise SystemExit(f"bench: N must be at least {len(real)}, the number of real documents")
    if not sources:
        raise SystemExit("bench: the real content has no action, petition or press document to copy")
    for number in range(1, per_language - len(real) + 1):
        source = sources[(number - 1) % len(sources)]
        slug = f"{source}-copy-{number:04d}"
        for lang in WRITTEN:
            text = (pages / f"{source}.{lang}.md").read_text(encoding="utf-8")
            text, count = re.subn(r"^slug:.*$", f"slug: {slug}", text, count=1, flags=re.MULTILINE)
            if count != 1:
                raise SystemExit(f"bench: {source}.{lang}.md has no 'slug:' line to change")
            (pages / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")
    return destination


def edit_one_file(content: Path, number: int) -> None:
    """A real edit: one more paragraph at the end of one page."""
    path = content / EDITED_FILE
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n") + f"\n\nBewerking {number} voor de meting.\n", encoding="utf-8"
    )


def edit_one_title(content: Path, number: int) -> None:
    """An edit to front matter, which other pages show (the home page lists the actions'
    titles)."""
    path = content / EDITED_FILE
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^title:.*$", text, flags=re.MULTILINE)
    if line is None:
        raise SystemExit(f"bench: {EDITED_FILE} has no 'title:' line to change")
    title = re.sub(r" \(edit \d+\)$", "", str(yaml.safe_load(line.group(0))["title"]))
    retitled = f"title: {json.dumps(f'{title} (edit {number})', ensure_ascii=False)}"  # a JSON string is YAML too
    path.write_text(text[: line.start()] + retitled + text[line.end() :], encoding="utf-8")


STOCK_SETTINGS = """
# Stock Pelican: no plugin, its default theme, the campaign's Markdown settings.
PATH = {content!r}
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
DEFAULT_LANG = "en"
TIMEZONE = "UTC"
MARKDOWN = {markdown!r}
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = LOAD_CONTENT_CACHE = False
"""


def make_stock_content(source: Path, destination: Path) -> Path:
    """The same pages for stock Pelican: the YAML front matter's title, date, slug and
    language as Pelican's own metadata lines, then the same Markdown body; and its settings."""
    pages = destination / "pages"
    pages.mkdir(parents=True)
    for path in sorted((source / "pages").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
        slug, _, rest = path.name.partition(".")
        lines = [
            f"Title: {' '.join(str(data.get('title') or slug).split())}",
            f"Date: {data.get('date') or '2023-09-21'}",
            f"Slug: {data.get('slug') or slug}",
            f"Lang: {rest.removesuffix('.md')}",
        ]
        (pages / path.name).write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    from pelican.settings import get_settings_from_file

    markdown = get_settings_from_file(str(SETTINGS))["MARKDOWN"]
    settings = destination / "stock_pelicanconf.py"
    settings.write_text(STOCK_SETTINGS.format(content=str(destination), markdown=markdown), encoding="utf-8")
    return settings


# --- Running a build -----------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system, of the build process
    peak_mb: float  # its peak resident memory
    skipped: bool = False  # the check found nothing changed: Pelican did not run


def pelican(content: Path, output: Path, settings: Path | None = None, cache: Path | None = None, **env: str) -> Run:
    """One build in a fresh process; stops the bench with the build's own message if it fails.
    cache: another folder for what builds keep of the templates (build_cache.py) than the
    project's cache/, which the other builds share."""
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings or SETTINGS), "-q"]
    if cache is not None:
        command += ["-e", f"CAMPAIGN_CACHE={json.dumps(str(cache))}"]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp())), **env}
    settle()
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would mix all builds).
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"bench: the build of {content} failed:\n{log.read().decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def settle() -> None:
    """The disk's pending writes (the last build's pages, the tree just deleted) are written
    out before the clock starts: the kernel would otherwise do it during the build measured,
    and charge it seconds of system time it did not cause."""
    os.sync()


def make_html(content: Path, output: Path) -> Run:
    """What `make html` runs: the "nothing changed" check, then Pelican only if it says so."""
    command = [
        sys.executable,
        "-m",
        "campaign.up_to_date",
        "--settings",
        str(SETTINGS),
        "--content",
        str(content),
        "--output",
        str(output),
    ]
    environment = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp())),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "plugins"), os.environ.get("PYTHONPATH")])),
    }
    settle()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    check = Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, skipped=True)
    if os.waitstatus_to_exitcode(status) == 0:
        return check
    build = pelican(content, output)
    return Run(check.wall + build.wall, check.cpu + build.cpu, max(check.peak_mb, build.peak_mb))


@dataclass
class SiteFigures:
    name: str
    pages: int = 0
    cold: list[Run] = field(default_factory=list)
    cold_empty_cache: list[Run] = field(default_factory=list)  # as a clean clone builds: nothing in cache/
    warm: list[Run] = field(default_factory=list)
    changed: list[Run] = field(default_factory=list)
    title_changed: list[Run] = field(default_factory=list)
    stock: list[Run] = field(default_factory=list)  # the same documents, stock Pelican
    warm_matches_cold: bool = True
    edited_matches_cold: bool | None = True  # None: not edited (a big site, built once)

    @staticmethod
    def median(runs: list[Run], attribute: str) -> float | str:
        return statistics.median(getattr(run, attribute) for run in runs) if runs else "–"

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.cold + self.warm + self.changed + self.title_changed)


def tree_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("index.html"))


def measure_site(name: str, content: Path, work: Path, runs: int, edits: bool = True) -> SiteFigures:
    """Cold, warm and one-file-changed builds of one site, `runs` times each, and stock
    Pelican's cold build of the same documents; without `edits`, only cold and warm."""
    figures = SiteFigures(name)
    build = work / "build"
    output = build / "output"
    stock_settings = make_stock_content(content, work / "stock")
    pelican(content, work / "first" / "output")  # the project's cache/ holds these templates (as after any build)
    shutil.rmtree(work / "first", ignore_errors=True)
    for number in range(runs):  # in turns, so that a busier moment of the machine falls on each
        empty = work / f"empty-cache-{number}"
        figures.cold_empty_cache.append(pelican(content, empty / "output", cache=empty / "cache"))
        shutil.rmtree(empty, ignore_errors=True)
        shutil.rmtree(build, ignore_errors=True)
        figures.cold.append(pelican(content, output))
        shutil.rmtree(work / "stock-output", ignore_errors=True)
        figures.stock.append(pelican(work / "stock", work / "stock-output", settings=stock_settings))
    shutil.rmtree(work / "stock-output", ignore_errors=True)
    figures.pages = count_pages(output)
    cold_digest = tree_digest(output)
    for _ in range(runs):
        figures.warm.append(make_html(content, output))
    figures.warm_matches_cold = tree_digest(output) == cold_digest
    if not edits:
        figures.edited_matches_cold = None
        return figures
    for number in range(runs):
        edit_one_file(content, number)
        figures.changed.append(make_html(content, output))
    for number in range(runs):
        edit_one_title(content, number)
        figures.title_changed.append(make_html(content, output))
    # What the edited builds left must be what a cold build of the edited content writes.
    fresh = work / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    pelican(content, fresh / "output")
    figures.edited_matches_cold = tree_digest(output) == tree_digest(fresh / "output")
    shutil.rmtree(fresh, ignore_errors=True)
    return figures


@dataclass
class Scaling:
    """The 1000 × 3 site built cold between two cold builds of the 300 × 3 site: the ratio of
    builds a few seconds apart, which the machine's own speed (it drifts by a third over
    minutes on a shared host) does not bend as it bends figures taken minutes apart."""

    small: list[Run]
    big: Run

    @property
    def ratio(self) -> float:
        return self.big.wall / statistics.mean(run.wall for run in self.small)

    @property
    def cpu_ratio(self) -> float:
        return self.big.cpu / statistics.mean(run.cpu for run in self.small)


def measure_scaling(small: Path, big: Path, work: Path) -> Scaling:
    def cold(content: Path) -> Run:
        shutil.rmtree(work, ignore_errors=True)
        return pelican(content, work / "output")  # the cache holds what earlier builds kept, as for "cold"

    before = cold(small)
    figure = cold(big)
    after = cold(small)
    shutil.rmtree(work, ignore_errors=True)
    return Scaling([before, after], figure)


# --- Editors' loop ---------------------------------------------------------------------------


@dataclass
class DevserverFigures:
    seconds: list[float] = field(default_factory=list)  # each save, to the page served with it
    error: str = ""


def devserver_loop(content: Path, saves: int) -> DevserverFigures:
    """`make devserver` on a copy of the real site: each save of a page, to the moment the
    server has said "reload" and serves the page with the edit (what the browser does next)."""
    figures = DevserverFigures()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "plugins"),
        "PYTHONUNBUFFERED": "1",
        "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp())),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "campaign.devserver", "--content", str(content), "--port", "0"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = None
        for line in process.stdout:
            found = re.search(r"Serving the site at (http://\S+/)", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            figures.error = "the devserver did not start"
            return figures
        events = urllib.request.urlopen(url + "__devserver/events", timeout=60)
        generation = _next_build(events)
        page = content / EDITED_FILE
        for number in range(saves):
            marker = f"Devserverbewerking{number}"
            time.sleep(0.5)  # a save comes at any moment of the server's polling
            started = time.perf_counter()
            page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            while True:
                generation = _next_build(events, generation)
                with urllib.request.urlopen(url + "nl/urgent-action/", timeout=60) as response:
                    if marker in response.read().decode("utf-8"):
                        break
            figures.seconds.append(time.perf_counter() - started)
        events.close()
    except (OSError, ValueError) as error:
        figures.error = f"not measured: {error}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return figures


def _next_build(events, seen: str | None = None) -> str:
    """The generation of the next good build the server announces (Server-Sent Events)."""
    name = None
    for raw in events:
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name == "build" and line[6:] != seen:
            return line[6:]
    raise ValueError("the devserver closed its event stream")


# --- Page weight -----------------------------------------------------------------------------


class _Resources(html.parser.HTMLParser):
    """The same-site files a browser fetches for a page on a first visit."""

    def __init__(self):
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attributes.get("href"):
            self.stylesheets.append(attributes["href"])
        elif tag == "link" and ("icon" in rel or "preload" in rel or "modulepreload" in rel) and attributes.get("href"):
            self.images.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        elif tag in ("img", "input") and attributes.get("src"):
            self.images.append(attributes["src"])


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def local_file(output: Path, page_url: str, reference: str) -> Path | None:
    """The built file a reference points to, or None for other hosts and data: URLs."""
    if reference.startswith(("data:", "#", "mailto:", "tel:")):
        return None
    parts = urlsplit(urljoin(page_url, reference))
    if parts.netloc not in ("", "site.invalid"):
        return None
    path = output / parts.path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


@dataclass
class PageWeight:
    url: str
    html: int
    html_gzip: int
    css: int = 0
    css_gzip: int = 0
    js: int = 0
    js_gzip: int = 0
    images: int = 0
    requests: int = 1

    @property
    def transfer(self) -> int:
        """Bytes over the wire on a first visit: text gzipped, images as they are."""
        return self.html_gzip + self.css_gzip + self.js_gzip + self.images


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def page_weights(output: Path) -> list[PageWeight]:
    pages = sorted(output.rglob("index.html")) + sorted(output.glob("404.html"))
    return [page_weight(output, page) for page in pages]


def page_weight(output: Path, page: Path) -> PageWeight:
    relative = page.relative_to(output).as_posix()
    url = "/" + (relative.removesuffix("index.html"))
    data = page.read_bytes()
    parser = _Resources()
    parser.feed(data.decode("utf-8", errors="replace"))
    page_url = "http://site.invalid" + url
    weight = PageWeight(url, len(data), gzip_size(data))
    fetched: set[Path] = set()

    def fetch(reference: str, base: str) -> Path | None:
        path = local_file(output, base, reference)
        if path is None or path in fetched:
            return None
        fetched.add(path)
        weight.requests += 1
        return path

    for reference in parser.stylesheets:
        path = fetch(reference, page_url)
        if path is not None:
            css = path.read_bytes()
            weight.css += len(css)
            weight.css_gzip += gzip_size(css)
            css_url = "http://site.invalid/" + path.relative_to(output).as_posix()
            for inner in _CSS_URL.findall(css.decode("utf-8", errors="replace")):
                found = fetch(inner, css_url)  # fonts and images the stylesheet loads
                if found is not None:
                    weight.images += found.stat().st_size
    for reference in parser.scripts:
        path = fetch(reference, page_url)
        if path is not None:
            js = path.read_bytes()
            weight.js += len(js)
            weight.js_gzip += gzip_size(js)
    for reference in parser.images:
        path = fetch(reference, page_url)
        if path is not None:
            weight.images += path.stat().st_size
    return weight


# --- Lighthouse --------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class LighthouseResults:
    scores: list[tuple[str, dict[str, dict[str, int]]]] = field(
        default_factory=list
    )  # (page, form factor -> category -> 0-100)
    below: list[str] = field(default_factory=list)  # each audit that keeps a category below 100, and where
    error: str = ""  # why Lighthouse could not run (on every page)


def lighthouse_scores(content: Path, work: Path) -> LighthouseResults:
    """Scores (0-100) for every page, mobile and desktop, and what keeps any below 100."""
    results = LighthouseResults()
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            results.error = "npm is missing (`apt-get install npm`), so Lighthouse cannot be installed"
            return results
        print(
            f"bench: installing Lighthouse {LIGHTHOUSE_VERSION} into {LIGHTHOUSE_PREFIX.relative_to(ROOT)}…",
            file=sys.stderr,
        )
        installed = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(LIGHTHOUSE_PREFIX),
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if installed.returncode != 0 or not LIGHTHOUSE.exists():
            results.error = f"Lighthouse could not be installed: {installed.stderr.strip()[-500:]}"
            return results
    if not Path(CHROMIUM).exists():
        results.error = f"{CHROMIUM} is missing: `apt-get install chromium`"
        return results
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    siteurl = f"http://127.0.0.1:{port}"
    output = work / "lighthouse-site"
    # The publishing settings with this server as the site's URL: canonical, hreflang and
    # robots.txt then hold absolute URLs, as on the real host.
    pelican(content, output, settings=PUBLISH_SETTINGS, SITEURL=siteurl)
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    misses: dict[str, set[str]] = {}
    try:
        for weight in page_weights(output):
            url = siteurl + weight.url
            scores = {}
            for form_factor in ("mobile", "desktop"):
                report = work / "lighthouse.json"
                command = [
                    str(LIGHTHOUSE),
                    url,
                    "--output=json",
                    f"--output-path={report}",
                    "--quiet",
                    f"--chrome-flags={CHROME_FLAGS}",
                    f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                ]
                if form_factor == "desktop":
                    command.append("--preset=desktop")
                finished = subprocess.run(
                    command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300
                )
                if finished.returncode != 0 or not report.exists():
                    results.error = f"Lighthouse failed on {url}: {finished.stderr.strip()[-500:]}"
                    return results
                result = json.loads(report.read_text(encoding="utf-8"))
                categories, audits = result["categories"], result["audits"]
                scores[form_factor] = {
                    name: round((categories[name]["score"] or 0) * 100) for name in LIGHTHOUSE_CATEGORIES
                }
                for name in LIGHTHOUSE_CATEGORIES:  # what keeps a category below 100
                    for ref in categories[name]["auditRefs"]:
                        audit = audits[ref["id"]]
                        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
                            why = f"{name} {ref['id']}: {audit['title']}" + (
                                f" ({audit['explanation']})" if audit.get("explanation") else ""
                            )
                            misses.setdefault(why, set()).add(f"{weight.url} {form_factor}")
                report.unlink()
            results.scores.append((weight.url, scores))
    finally:
        server.shutdown()
    results.below = [f"{why}: {', '.join(sorted(where))}" for why, where in sorted(misses.items())]
    return results


# --- The report ----------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.2f}"
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", " ")
        return str(value)

    cells = [header] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    rules = ("-" * (w + 1) + ":" if right else "-" * (w + 2) for w, right in zip(widths, numeric, strict=True))
    lines.append("|" + "|".join(rules) + "|")
    for row in cells[1:]:
        values = (v.rjust(w) if right else v.ljust(w) for v, w, right in zip(row, widths, numeric, strict=True))
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


@dataclass
class PositionResults:
    found: list = field(default_factory=list)  # action_positions.Positions
    error: str = ""


def page_positions(output: Path, weights: list[PageWeight]) -> PositionResults:
    """Where the action starts on a phone, for every page but the missing-page screen."""
    if not Path(CHROMIUM).exists():
        return PositionResults(error=f"not measured: {CHROMIUM} is missing (`apt-get install chromium`)")
    try:
        found = measure_positions(output, [w.url for w in weights if w.url.endswith("/")], CLOCK.date())
    except Exception as error:  # a figure, not a test: say why it is missing
        return PositionResults(error=f"not measured: {error}")
    return PositionResults(found)


def report(
    sites: list[SiteFigures],
    synthetic: dict[int, SiteFigures],
    weights: list[PageWeight],
    runs: int,
    lighthouse: LighthouseResults | None,
    positions: PositionResults | None = None,
    devserver: DevserverFigures | None = None,
    scaling: Scaling | None = None,
) -> str:
    import pelican as pelican_package

    out = [
        "# make bench",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"Pelican {pelican_package.__version__}. Each time is the median of the runs (runs: how many); "
        f"load average at the start: {LOAD_AT_START:.2f}, at the end: {os.getloadavg()[0]:.2f} "
        "(another process on a core slows a build down: compare figures of one run).",
        "",
        "## Build time",
        "",
    ]
    rows = []
    for site in sites:
        cold, warm, changed, title_changed, stock = (
            SiteFigures.median(runs_, "wall")
            for runs_ in (site.cold, site.warm, site.changed, site.title_changed, site.stock)
        )
        same = site.warm_matches_cold and site.edited_matches_cold is not False
        rows.append(
            [
                site.name,
                site.pages,
                len(site.cold),
                cold,
                SiteFigures.median(site.cold, "cpu"),
                1000 * cold / site.pages,
                SiteFigures.median(site.cold_empty_cache, "wall"),
                warm,
                SiteFigures.median(site.warm, "cpu"),
                changed,
                title_changed,
                stock,
                cold / stock,
                round(site.peak_mb),
                sum(run.skipped for run in site.warm),
                "yes" if same else "NO",
            ]
        )
    out.append(
        table(
            [
                "site",
                "pages",
                "runs",
                "cold s",
                "cold CPU s",
                "cold ms/page",
                "cold, empty cache s",
                "nothing changed s",
                "nothing changed CPU s",
                "one text edit s",
                "one title edit s",
                "stock Pelican cold s",
                "cold ÷ stock",
                "peak MB",
                "warm builds skipped",
                "rebuilt = cold output",
            ],
            rows,
        )
    )
    out += [
        "",
        "cold: no output, `pelican` alone, with what earlier builds of the same inputs kept in the cache "
        "(plugins/campaign/build_cache.py: compiled templates, the templates' strings, the pages' Markdown "
        "and Traditional Chinese conversions, each under a key of everything that decides it); cold, empty "
        "cache: the same with nothing kept, as a clean clone builds. nothing changed: the output of the last build is there, and "
        "`make html` runs: plugins/campaign/up_to_date.py finds nothing changed and Pelican does not run "
        "(warm builds skipped: how many of the runs it skipped). "
        "edits: the check, then a whole build into a folder swapped in at the end (plugins/campaign/staging.py). "
        "one text edit: a paragraph added to one page. "
        "one title edit: one page's title changed, which the home page shows. "
        f"Sites of {BIG_SITE} documents per language or more are built once, and not edited (–). "
        "stock Pelican: the same documents and Markdown, no plugin, Pelican's default theme, in the same run "
        "(cold ÷ stock: what the campaign's checks, templates, languages and typography cost on top). "
        "peak MB: the build's largest resident memory. "
        "rebuilt = cold output: after the warm and edited builds, the output is byte for byte a cold build's.",
        "",
    ]

    out += ["## Editors' loop (make devserver, real site)", ""]
    if devserver is None:
        out += ["not measured", ""]
    elif devserver.error:
        out += [devserver.error, ""]
    else:
        shown = ", ".join(f"{seconds:.2f}" for seconds in devserver.seconds)
        out += [
            table(
                ["from saving a page to the page served with the edit", "median s", "each save s"],
                [["save → reloaded page", statistics.median(devserver.seconds), shown]],
            ),
            "",
            "The devserver polls for changes, waits for a burst of saves to end, builds in a subprocess, "
            "tells the page to reload (Server-Sent Events), and the page is fetched again.",
            "",
        ]

    out += ["## Targets", ""]
    targets = []
    real = sites[0]
    real_cold = SiteFigures.median(real.cold, "wall")
    real_empty = SiteFigures.median(real.cold_empty_cache, "wall")
    targets.append(
        [
            f"real site cold ≤ {TARGET_REAL_COLD_S} s",
            f"{real_cold:.2f} s (empty cache: {real_empty:.2f} s)",
            verdict(real_cold <= TARGET_REAL_COLD_S),
        ]
    )
    real_warm = SiteFigures.median(real.warm, "wall")
    targets.append(
        [
            f"real site nothing changed ≤ {TARGET_WARM_S} s",
            f"{real_warm:.2f} s",
            verdict(real_warm <= TARGET_WARM_S),
        ]
    )
    if devserver is not None and devserver.seconds:
        loop = statistics.median(devserver.seconds)
        targets.append(
            [
                f"devserver: a save shown ≤ {TARGET_DEVSERVER_S:.0f} s",
                f"{loop:.2f} s",
                verdict(loop <= TARGET_DEVSERVER_S),
            ]
        )
    if 300 in synthetic:
        big = synthetic[300]
        cold = SiteFigures.median(big.cold, "wall")
        # The target was set for three languages; the generated zh-hant adds a fourth page per document.
        share = len(written()) / len(LANGUAGES)
        targets.append(
            [
                f"300 × 3 cold ≤ {TARGET_300_COLD_S} s",
                f"{cold:.2f} s for {big.pages} pages ({cold * share:.2f} s for the pages of the written languages)",
                verdict(cold <= TARGET_300_COLD_S),
            ]
        )
        peak = big.peak_mb
        targets.append(["peak memory ≤ 300 MB at 300 × 3", f"{peak:.0f} MB", verdict(peak <= TARGET_PEAK_MB)])
        if 1000 in synthetic:
            apart = SiteFigures.median(synthetic[1000].cold, "wall") / cold
            if scaling is not None:
                ratio, cpu_ratio, how = scaling.ratio, scaling.cpu_ratio, "built between two 300 × 3 builds"
                how += f"; from the figures above, taken minutes apart: {apart:.2f} ×"
            else:
                cpu_ratio = SiteFigures.median(synthetic[1000].cold, "cpu") / SiteFigures.median(big.cold, "cpu")
                ratio, how = apart, "from the figures above"
            targets.append(
                [
                    f"1000 × 3 cold ≤ {TARGET_1000_OVER_300} × 300 × 3 cold",
                    f"{ratio:.2f} × ({how}; CPU time: {cpu_ratio:.2f} ×)",
                    verdict(ratio <= TARGET_1000_OVER_300),
                ]
            )
    if len(synthetic) >= 2:
        small_n, large_n = min(synthetic), max(synthetic)
        small, large = synthetic[small_n], synthetic[large_n]
        # CPU time is used here: it is what grows with the work, and a busy machine bends it less.
        exponents, measured = [], []
        for label, attribute in (("cold", "cold"), ("nothing changed", "warm")):
            t_small = SiteFigures.median(getattr(small, attribute), "cpu")
            t_large = SiteFigures.median(getattr(large, attribute), "cpu")
            exponent = math.log(t_large / t_small) / math.log(large.pages / small.pages)
            marginal = 1000 * (t_large - t_small) / (large.pages - small.pages)
            exponents.append(exponent)
            measured.append(f"{label}: CPU time ∝ pages^{exponent:.2f}, {marginal:.1f} ms per extra page")
        targets.append(
            [
                f"build time grows with documents, not documents × languages ({small_n} × 3 to {large_n} × 3)",
                "; ".join(measured),
                verdict(max(exponents) <= TARGET_SCALING),
            ]
        )
    lighthouse_target = "Lighthouse 100 in all four categories, mobile and desktop, every page"
    if lighthouse is None:
        targets.append([lighthouse_target, "not measured", "run with LIGHTHOUSE=1"])
    elif lighthouse.error:
        targets.append([lighthouse_target, "not measured", lighthouse.error])
    else:
        lowest = min(
            score
            for _, scores in lighthouse.scores
            for by_category in scores.values()
            for score in by_category.values()
        )
        targets.append([lighthouse_target, f"lowest score {lowest}", verdict(lowest == 100)])
    out.append(table(["target", "measured", ""], targets))

    out += ["", "## Page weight (real site, first visit, no cache)", ""]
    found = {(p.path, p.javascript): p for p in positions.found} if positions else {}

    def px(url: str, javascript: bool, attribute: str) -> object:
        measured = found.get((url, javascript))
        value = getattr(measured, attribute) if measured else None
        return value if value is not None else "–"

    rows = [
        [
            w.url,
            w.html,
            w.html_gzip,
            w.css,
            w.css_gzip,
            w.js,
            w.js_gzip,
            w.images,
            w.requests,
            w.transfer,
            px(w.url, True, "act"),
            px(w.url, True, "send"),
            px(w.url, False, "send"),
        ]
        for w in weights
    ]
    out.append(
        table(
            [
                "page",
                "HTML B",
                "HTML gzip B",
                "CSS B",
                "CSS gzip B",
                "JS B",
                "JS gzip B",
                "images B",
                "requests",
                "transfer B",
                "act px",
                "letter controls px",
                "no-JS letter controls px",
            ],
            rows,
        )
    )
    out += [
        "",
        f"gzip at level {GZIP_LEVEL}; requests: the page and the same-site stylesheets, scripts, images and "
        "fonts it loads; transfer: text gzipped plus images. Budget: HTML + CSS gzip ≤ 14 336 B, ≤ 3 requests.",
        f"act px: on a {PHONE['width']}×{PHONE['height']} phone in Chromium, read on the build's day, the top of the first "
        f"control that leads to acting (the primary control or a link to the action panel; goal < {FIRST_SCREEN}); "
        f"letter controls px: the first control that e-mails, copies or prints a letter (goal < {SECOND_SCREEN}), "
        "with JavaScript and without (scripts/action_positions.py, as tests/test_action_first.py measures). "
        "–: the page has none.",
        "",
    ]
    if positions and positions.error:
        out += [f"Positions: {positions.error}", ""]

    if lighthouse and lighthouse.scores:
        out += ["## Lighthouse (publishing settings, served locally)", ""]
        short = {"performance": "perf", "accessibility": "a11y", "best-practices": "practices", "seo": "SEO"}
        header = ["page"] + [f"{form} {short[c]}" for form in ("mobile", "desktop") for c in LIGHTHOUSE_CATEGORIES]
        rows = [
            [url] + [scores[form][c] for form in ("mobile", "desktop") for c in LIGHTHOUSE_CATEGORIES]
            for url, scores in lighthouse.scores
        ]
        out.append(table(header, rows))
        out.append("")
        if lighthouse.below:
            out += ["Below 100 because of:", *(f"- {line}" for line in lighthouse.below), ""]
    if lighthouse and lighthouse.error:
        out += [f"Lighthouse: {lighthouse.error}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    global LOAD_AT_START
    LOAD_AT_START = os.getloadavg()[0]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_N", "100 300 1000"),
        help=f"documents per language of the synthetic sites, e.g. '100 300 1000' (BENCH_N); from {BIG_SITE}, built once",
    )
    parser.add_argument(
        "--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")), help="builds per figure (BENCH_RUNS)"
    )
    parser.add_argument(
        "--lighthouse",
        action="store_true",
        default=os.environ.get("LIGHTHOUSE") == "1",
        help="also run Lighthouse on every page (LIGHTHOUSE=1)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in re.split(r"[\s,]+", args.sizes.strip()) if size})
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="campaign-bench-") as temporary:
        work = Path(temporary)
        global SETTINGS  # pelicanconf.py with a cache folder of the bench's own, not the project's cache/
        SETTINGS = work / "pelicanconf.py"
        SETTINGS.write_text(
            (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
            + f"\nTHEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = {[str(ROOT / 'plugins')]!r}"
            + f"\nCAMPAIGN_TRANSLATIONS = {str(ROOT / 'translations')!r}\nCAMPAIGN_CACHE = {str(work / 'cache')!r}\n",
            encoding="utf-8",
        )
        print(f"bench: building the real site {args.runs} × 3 times…", file=sys.stderr)
        real_content = copy_content(work / "real" / "content")
        sites = [
            measure_site(
                f"real site ({len(document_slugs(real_content / 'pages'))} × 3)", real_content, work / "real", args.runs
            )
        ]
        weights = page_weights(work / "real" / "build" / "output")
        print("bench: measuring where the action starts on a phone…", file=sys.stderr)
        positions = page_positions(work / "real" / "build" / "output", weights)
        print(f"bench: saving a page {args.runs} times under make devserver…", file=sys.stderr)
        devserver = devserver_loop(copy_content(work / "devserver" / "content"), args.runs)
        synthetic = {}
        for size in sizes:
            runs = 1 if size >= BIG_SITE else args.runs
            print(f"bench: building the synthetic site of {size} × 3 documents ({runs} run(s))…", file=sys.stderr)
            content = make_synthetic_content(work / f"n{size}" / "content", size)
            synthetic[size] = measure_site(
                f"synthetic {size} × 3", content, work / f"n{size}", runs, edits=size < BIG_SITE
            )
            sites.append(synthetic[size])
        scaling = None
        if 300 in synthetic and 1000 in synthetic:
            print("bench: building 300 × 3, 1000 × 3 and 300 × 3 again, one after the other…", file=sys.stderr)
            scaling = measure_scaling(work / "n300" / "content", work / "n1000" / "content", work / "scaling")
        lighthouse = None
        if args.lighthouse:
            print("bench: running Lighthouse on every page, mobile and desktop…", file=sys.stderr)
            lighthouse = lighthouse_scores(copy_content(work / "lighthouse" / "content"), work / "lighthouse")
        print(report(sites, synthetic, weights, args.runs, lighthouse, positions, devserver, scaling))
        cold = SiteFigures.median(sites[0].cold, "wall")
        print(conversion_section(measure_conversion(real_content, runs=args.runs), cold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
