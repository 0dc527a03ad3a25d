"""No broken links: LinkChecker crawls the site over HTTP, both as it is served locally
and as GitHub Pages serves a project site, below /repo/, with 404.html at any depth.
Links to other hosts are listed in build/external-links.txt, never fetched."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, serve, stop

LINKCHECKER = Path(sys.executable).parent / "linkchecker"
EXTERNAL_LINKS = ROOT / "build" / "external-links.txt"
DEEP_MISSING = "some/deep/missing/"


def crawl(start_urls: list[str], internal: str, workdir: Path) -> list[dict]:
    """LinkChecker's verdict on every URL reached from `start_urls`. URLs matching
    `internal` are fetched; other hosts and mailto: are only syntax-checked."""
    if not LINKCHECKER.exists():
        pytest.fail(
            f"{LINKCHECKER} is missing: run `make test` (it installs the `test` extra of pyproject.toml)", pytrace=False
        )
    config = workdir / "linkcheckerrc"
    config.write_text(f"[checking]\nmaxrequestspersecond=1000\n[filtering]\ninternlinks={internal}\n", encoding="utf-8")
    result = subprocess.run(
        [
            str(LINKCHECKER),
            "--config",
            str(config),
            "--no-status",
            "--verbose",
            "--output",
            "csv/utf-8",
            "--ignore-url",
            "^mailto:",
            "--timeout",
            "10",
            *start_urls,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert rows, f"LinkChecker checked nothing:\n{result.stdout}\n{result.stderr}"
    return rows


def broken(rows: list[dict]) -> list[str]:
    return [
        f"{row['url']} (linked from {row['parentname'] or 'the start'}, line {row['line']}): {row['result']} {row['warningstring']}".strip()
        for row in rows
        if row["valid"] != "True"
    ]


def page_urls(site: Path, base: str) -> set[str]:
    pages = {path.relative_to(site).as_posix() for path in site.rglob("index.html")}
    return {base + page.removesuffix("index.html") for page in pages}


# --- The site as served locally ------------------------------------------------------------


@pytest.fixture(scope="module")
def local_crawl(real_site, real_site_url, tmp_path_factory):
    start = [f"{real_site_url}/", f"{real_site_url}/404.html", f"{real_site_url}/sitemap.xml"]
    return crawl(start, "^" + re.escape(real_site_url + "/"), tmp_path_factory.mktemp("linkchecker"))


def test_no_broken_links(local_crawl):
    assert not broken(local_crawl), "broken links:\n" + "\n".join(broken(local_crawl))


def test_every_page_is_reached_by_a_link(local_crawl, real_site, real_site_url):
    reached = {row["url"] for row in local_crawl}
    unreached = sorted(page_urls(real_site, real_site_url + "/") - reached)
    assert not unreached, f"no link leads to: {unreached}"


def test_external_links_are_listed_not_fetched(local_crawl, real_site_url):
    external = sorted(
        {
            row["url"]
            for row in local_crawl
            if not row["url"].startswith(real_site_url) and not row["url"].startswith("data:")
        }
    )
    EXTERNAL_LINKS.parent.mkdir(parents=True, exist_ok=True)
    EXTERNAL_LINKS.write_text("".join(f"{url}\n" for url in external), encoding="utf-8")
    fetched = [
        row["url"]
        for row in local_crawl
        if row["url"] in external and not row["result"].startswith(("filtered", "ignored"))
    ]
    assert not fetched, f"LinkChecker fetched URLs on other hosts: {fetched}"


# --- The site as a GitHub Pages project site, at http://host/repo/ -------------------------------


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """Built with publishconf.py and SITEURL=http://127.0.0.1:PORT/repo, served only below /repo/."""
    output = tmp_path_factory.mktemp("project-site") / "output"
    server = serve(output, base_path="/repo/")
    host = f"http://127.0.0.1:{server.server_address[1]}"
    build(output, settings="publishconf.py", SITEURL=f"{host}/repo")
    yield output, host, f"{host}/repo/"
    stop(server)


@pytest.fixture(scope="module")
def project_crawl(project_site, tmp_path_factory):
    _, host, base = project_site
    start = [base, f"{base}404.html", f"{base}sitemap.xml", f"{base}robots.txt"]
    # The whole host is internal, so a link that escapes /repo/ is fetched and fails.
    return crawl(start, "^" + re.escape(host + "/"), tmp_path_factory.mktemp("linkchecker-repo"))


def test_no_broken_links_below_a_project_path(project_crawl):
    assert not broken(project_crawl), "broken links under /repo/:\n" + "\n".join(broken(project_crawl))


def test_every_page_is_reached_below_a_project_path(project_crawl, project_site):
    output, _, base = project_site
    unreached = sorted(page_urls(output, base) - {row["url"] for row in project_crawl})
    assert not unreached, f"no link leads to: {unreached}"


def test_no_link_escapes_the_project_path(project_site):
    output, host, base = project_site
    escaping = []
    for path in sorted(output.rglob("*.html")) + sorted(output.rglob("*.xml")):
        for url in re.findall(r'(?:href|src|content)="([^"]+)"|<(?:loc|id)>([^<]+)<', path.read_text(encoding="utf-8")):
            url = "".join(url)
            if url.startswith("/") and not url.startswith("//") or url.startswith(host) and not url.startswith(base):
                escaping.append(f"{path.relative_to(output)}: {url}")
    assert not escaping, "links outside /repo/:\n" + "\n".join(escaping)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("missing", [DEEP_MISSING, "zh/urgent-action/old-name/", "nl/missing.html"])
def test_missing_page_deep_below_the_project_path_has_working_links(project_site, missing):
    output, _, base = project_site
    status, body = fetch(base + missing)
    assert status == 404 and body == (output / "404.html").read_bytes(), (
        f"{base + missing} does not show the site's 404 page"
    )
    soup = BeautifulSoup(body, "html.parser")
    links = {
        urljoin(base + missing, tag.get("href") or tag.get("src"))
        for tag in soup.find_all(["a", "link", "script", "img"])
        if tag.get("href") or tag.get("src")
    }
    # Links within the page itself (the skip link) must find their target on it.
    in_page = [urldefrag(url).fragment for url in links if urldefrag(url).url == base + missing]
    assert all(soup.find(id=fragment) for fragment in in_page), f"the 404 page links to missing targets: {in_page}"
    links = {urldefrag(url).url for url in links} - {base + missing}
    local = sorted(url for url in links if urlsplit(url).scheme in ("http", "https") and url.startswith(base))
    assert any(url.endswith(".css") for url in local) and any(url == base for url in local), (
        f"the 404 page links to: {sorted(links)}"
    )
    failing = [f"{url}: {status}" for url in local for status, _ in [fetch(url)] if status != 200]
    assert not failing, f"links on the 404 page at {base + missing} that do not work:\n" + "\n".join(failing)


@pytest.mark.browser
def test_missing_page_below_the_project_path_is_styled_in_a_browser(project_site, browser):
    _, host, base = project_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        failures = []
        page.on("requestfailed", lambda request: failures.append(request.url))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.url != base + DEEP_MISSING
                and failures.append(f"{response.url}: {response.status}")
            ),
        )
        response = page.goto(base + DEEP_MISSING)
        assert response.status == 404
        rules = page.evaluate("[...document.styleSheets].reduce((count, sheet) => count + sheet.cssRules.length, 0)")
        assert rules > 0, "the 404 page below /repo/ loads no stylesheet"
        assert not failures, f"the 404 page below /repo/ could not load: {failures}"
    finally:
        context.close()
