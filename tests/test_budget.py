"""Page budget for slow and filtered networks: on a first visit a page needs at most
14 KB of gzipped HTML and CSS together (what arrives in the first round trip) and at
most 3 requests; no web fonts; scripts never hold up reading. The sizes depend only on
the build, so they are asserted here; figures for people are in build/page-budget.txt."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

FIRST_ROUND_TRIP = 14 * 1024  # bytes of gzipped HTML + CSS
MAX_REQUESTS = 3
FONT_FILES = (".woff", ".woff2", ".ttf", ".otf", ".eot")
REPORT = ROOT / "build" / "page-budget.txt"


def gzipped_size(data: bytes) -> int:
    # Level 6 is the zlib default most servers use; mtime=0 keeps the size exact.
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def local_file(site, url: str):
    path = urlsplit(url).path
    return site / path.lstrip("/")


def css_urls(css: str) -> list[str]:
    return [url for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if not url.startswith("data:")]


def first_visit(site, html_path):
    """What a browser fetches for the page before the reader does anything."""
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    fetched = set(stylesheets)
    fetched |= {tag["src"] for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio"], src=True)}
    fetched |= {
        link["href"]
        for link in soup.find_all("link", href=True)
        if {"icon", "preload", "modulepreload", "prefetch", "manifest"} & {rel.lower() for rel in link.get("rel", [])}
    }
    css_bytes = b""
    for href in stylesheets:
        css_file = local_file(site, href)
        assert css_file.is_file(), f"{html_path}: the stylesheet {href} is not in the build"
        css_bytes_one = css_file.read_bytes()
        css_bytes += css_bytes_one
        fetched |= set(css_urls(css_bytes_one.decode("utf-8")))
    fetched = {url for url in fetched if not url.startswith("data:")}
    html_size = gzipped_size(html_path.read_bytes())
    css_size = sum(gzipped_size(local_file(site, href).read_bytes()) for href in stylesheets)
    return soup, html_size, css_size, sorted(fetched)


@pytest.fixture(scope="module")
def visits(real_site):
    pages = sorted(real_site.rglob("*.html"))
    result = {str(path.relative_to(real_site)): first_visit(real_site, path) for path in pages}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        "page: gzipped HTML + CSS = first round trip (budget 14336 bytes); requests (budget 3)\n"
        + "".join(
            f"{name}: {html} + {css} = {html + css}; {1 + len(fetched)}\n"
            for name, (_, html, css, fetched) in result.items()
        ),
        encoding="utf-8",
    )
    return result


def test_every_page_is_measured(visits):
    assert len(visits) >= 13


def test_html_and_css_fit_in_the_first_round_trip(visits):
    over = [
        f"{name}: {html} + {css} = {html + css} bytes"
        for name, (_, html, css, _) in visits.items()
        if html + css > FIRST_ROUND_TRIP
    ]
    assert not over, f"more than {FIRST_ROUND_TRIP} bytes of gzipped HTML and CSS:\n" + "\n".join(over)


def test_a_first_visit_needs_at_most_three_requests(visits):
    over = [
        f"{name}: the page and {fetched}"
        for name, (_, _, _, fetched) in visits.items()
        if 1 + len(fetched) > MAX_REQUESTS
    ]
    assert not over, f"more than {MAX_REQUESTS} requests:\n" + "\n".join(over)


def test_no_web_fonts(real_site, visits):
    font_files = [
        str(path.relative_to(real_site)) for path in real_site.rglob("*") if path.suffix.lower() in FONT_FILES
    ]
    assert not font_files, f"font files in the build: {font_files}"
    css = "".join(path.read_text(encoding="utf-8") for path in real_site.rglob("*.css"))
    assert "@font-face" not in css
    preloads = [name for name, (soup, *_) in visits.items() if soup.find("link", attrs={"as": "font"})]
    assert not preloads, f"fonts preloaded on {preloads}"


def test_scripts_never_hold_up_reading(visits):
    blocking = [
        f"{name}: {script['src']}"
        for name, (soup, *_) in visits.items()
        for script in soup.find_all("script", src=True)
        if not (script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module")
    ]
    assert not blocking, "scripts that block rendering (add defer):\n" + "\n".join(blocking)
