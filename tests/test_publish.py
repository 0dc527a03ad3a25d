"""What search engines and social networks read, on the site built for publishing
(publishconf.py with a GitHub Pages project URL): the sitemap with its language
alternates, robots.txt, the share cards (Open Graph, Twitter), JSON-LD, the share
links, and the optional custom domain (CNAME)."""

from __future__ import annotations

import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from campaign.languages import DEFAULT_CODE, LANGUAGES
from conftest import CONTENT, HTML_LANG, ROOT, build, page_path, page_source, run_pelican, serve, site_path, stop

SITEURL = "https://example.org/repo"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
OG_LOCALE = {code: language.og_locale for code, language in LANGUAGES.items()}
MAX_IMAGE_BYTES = 60_000


def documents() -> list[tuple[str, str]]:
    """(slug, lang) of every page in content/pages, from the file names."""
    found = []
    for path in sorted((CONTENT / "pages").glob("*.md")):
        slug, lang, _ = path.name.split(".")
        found.append((slug, lang))
    # A generated language's pages (Traditional Chinese) are made from their source's files.
    made = [
        (slug, code) for code, language in LANGUAGES.items() for slug, lang in found if lang == language.generated_from
    ]
    return found + made


def url_of(slug: str, lang: str, siteurl: str = SITEURL) -> str:
    return f"{siteurl}{site_path(slug, lang)}"


def kind_of(slug: str, lang: str) -> str:
    return page_source(slug, lang).parsed.data["kind"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Built as the publish workflow builds it: publishconf.py, SITEURL from configure-pages."""
    return build(tmp_path_factory.mktemp("publish") / "output", settings="publishconf.py", SITEURL=SITEURL)


def soup_of(site: Path, slug: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    """The content of every <meta property=key> or <meta name=key>, in order."""
    return [tag["content"] for tag in soup.find_all("meta") if key in (tag.get("property"), tag.get("name"))]


def one_meta(soup: BeautifulSoup, key: str) -> str:
    values = meta(soup, key)
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


DOCUMENTS = documents()


def test_every_language_of_every_document_is_published():
    assert {lang for _, lang in DOCUMENTS} == set(HTML_LANG)
    slugs = {slug for slug, _ in DOCUMENTS}
    assert all((slug, lang) in DOCUMENTS for slug in slugs for lang in HTML_LANG)


# --- Sitemap and robots.txt -------------------------------------------------------------------


def sitemap(site: Path) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} from the built sitemap.xml (which must be well-formed XML)."""
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in entries, f"{loc} is listed twice"
        lastmod = url.findtext("s:lastmod", namespaces=NS)
        assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), lastmod
        links = url.findall("x:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        entries[loc] = {link.get("hreflang"): link.get("href") for link in links}
        assert len(entries[loc]) == len(links), f"{loc}: a language is listed twice"
    return entries


def test_sitemap_lists_every_page_of_every_language_with_an_absolute_url(site):
    assert set(sitemap(site)) == {url_of(slug, lang) for slug, lang in DOCUMENTS}


def test_sitemap_lists_nothing_that_is_not_a_page(site):
    published = {url_of(slug, lang) for slug, lang in DOCUMENTS}
    for loc in sitemap(site):
        assert loc in published
        assert (site / urlsplit(loc).path.removeprefix("/repo/") / "index.html").is_file(), loc
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert len(pages) == len(published), "a page on the site is missing from the sitemap"


@pytest.mark.parametrize("slug,lang", DOCUMENTS)
def test_sitemap_alternates_name_every_language_the_page_itself_and_x_default(site, slug, lang):
    alternates = sitemap(site)[url_of(slug, lang)]
    assert set(alternates) == {*HTML_LANG.values(), "x-default"}
    for code, hreflang in HTML_LANG.items():
        assert alternates[hreflang] == url_of(slug, code)
    assert alternates[HTML_LANG[lang]] == url_of(slug, lang), "the page itself is among its alternates"
    assert alternates["x-default"] == url_of(slug, DEFAULT_CODE)
    assert all(href.startswith(SITEURL + "/") for href in alternates.values())


def test_robots_allows_crawling_and_points_to_the_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in robots.splitlines()]
    assert "User-agent: *" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


# --- Share cards ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug,lang", DOCUMENTS)
def test_open_graph_card_in_the_pages_language(site, slug, lang):
    soup = soup_of(site, slug, lang)
    url = url_of(slug, lang)
    assert one_meta(soup, "og:url") == url == soup.find("link", rel="canonical")["href"]
    assert one_meta(soup, "og:locale") == OG_LOCALE[lang]
    assert sorted(meta(soup, "og:locale:alternate")) == sorted(v for k, v in OG_LOCALE.items() if k != lang)
    # The title as the page shows it, without the typesetter's no-break spaces (content review 2, EN-m7).
    assert one_meta(soup, "og:title") == soup.h1.get_text(" ", strip=True).replace("\xa0", " ")
    assert one_meta(soup, "og:description") == one_meta(soup, "description") != ""
    assert one_meta(soup, "og:site_name") == soup.find(class_="cs-header__title").get_text(strip=True)
    assert one_meta(soup, "og:type") == ("article" if kind_of(slug, lang) == "press" else "website")
    assert one_meta(soup, "twitter:card") == "summary_large_image"
    assert one_meta(soup, "twitter:title") == one_meta(soup, "og:title")
    assert one_meta(soup, "twitter:description") == one_meta(soup, "og:description")


@pytest.mark.parametrize("slug,lang", DOCUMENTS)
def test_share_image_is_absolute_and_is_the_languages_own_card(site, slug, lang):
    soup = soup_of(site, slug, lang)
    image = one_meta(soup, "og:image")
    assert image == f"{SITEURL}/theme/images/{LANGUAGES[lang].share_image}" == one_meta(soup, "twitter:image")
    path = site / urlsplit(image).path.removeprefix("/repo/")
    assert path.is_file(), f"{image} is not in the output"
    width, height = png_size(path)
    assert (
        (str(width), str(height))
        == (one_meta(soup, "og:image:width"), one_meta(soup, "og:image:height"))
        == ("1200", "630")
    )
    assert one_meta(soup, "og:image:type") == "image/png"
    assert path.stat().st_size < MAX_IMAGE_BYTES, f"{path.name}: {path.stat().st_size} bytes"
    assert one_meta(soup, "og:image:alt") == one_meta(soup, "twitter:image:alt") != ""


def test_share_card_text_is_translated(site):
    for key in ("og:image:alt", "og:site_name"):
        values = {lang: one_meta(soup_of(site, "home", lang), key) for lang in HTML_LANG}
        assert len(set(values.values())) == len(HTML_LANG), f"{key} is the same in two languages: {values}"
    assert re.search(r"[\u4e00-\u9fff]", one_meta(soup_of(site, "home", "zh"), "og:image:alt"))


def test_committed_share_images_are_small_cards_in_every_language():
    for lang in HTML_LANG:
        path = ROOT / "theme" / "static" / "images" / LANGUAGES[lang].share_image
        assert png_size(path) == (1200, 630)
        assert path.stat().st_size < MAX_IMAGE_BYTES


# --- JSON-LD ----------------------------------------------------------------------------------


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


@pytest.mark.parametrize("lang", list(HTML_LANG))
def test_press_release_is_a_news_article(site, lang):
    slugs = [slug for slug, code in DOCUMENTS if code == lang and kind_of(slug, lang) == "press"]
    assert slugs, "no press release?"
    for slug in slugs:
        soup = soup_of(site, slug, lang)
        (article,) = json_ld(soup)
        assert article["@context"] == "https://schema.org"
        assert article["@type"] == "NewsArticle"
        assert article["headline"] == one_meta(soup, "og:title")
        assert article["inLanguage"] == HTML_LANG[lang] == soup.html["lang"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article["datePublished"])
        assert article["datePublished"] == one_meta(soup, "article:published_time")
        assert article["url"] == article["mainEntityOfPage"] == url_of(slug, lang)
        assert article["image"] == [one_meta(soup, "og:image")]
        assert article["publisher"]["@type"] == "Organization" and article["publisher"]["name"]
        assert article["isPartOf"]["url"] == url_of("home", lang)


@pytest.mark.parametrize("slug,lang", [d for d in DOCUMENTS if kind_of(*d) != "press"])
def test_other_pages_claim_no_news_article(site, slug, lang):
    assert all(item.get("@type") != "NewsArticle" for item in json_ld(soup_of(site, slug, lang)))


def test_json_ld_cannot_end_its_script_element(site):
    for slug, lang in DOCUMENTS:
        for tag in soup_of(site, slug, lang).find_all("script", type="application/ld+json"):
            assert "<" not in tag.string and ">" not in tag.string, "escape < and > in JSON-LD"


# --- Share links ----------------------------------------------------------------------------

NETWORK_HOSTS = {"bsky.app", "www.facebook.com", "www.linkedin.com", "t.me", "wa.me", "x.com"}


@pytest.mark.parametrize("slug,lang", DOCUMENTS)
def test_share_links_are_plain_encoded_links(site, slug, lang):
    soup = soup_of(site, slug, lang)
    share = soup.find("footer").find(class_="cs-share")
    assert share is not None, "the footer has share links"
    assert share.find(["script", "img", "iframe", "link", "object", "embed"]) is None, "share links load nothing"
    url = url_of(slug, lang)
    title = one_meta(soup, "og:title")
    anchors = share.find_all("a", href=True)

    copy = [a for a in anchors if a["href"] == url]
    assert copy and copy[0].get_text(strip=True) == url, "the page's address is shown to copy"

    (mail,) = [a for a in anchors if a["href"].startswith("mailto:")]
    href = mail["href"]
    assert not re.search(r"[\s+\u0080-\uffff]", href), f"not percent-encoded: {href}"
    query = parse_qs(urlsplit(href).query)
    (subject,) = query["subject"]
    assert subject.endswith(title), subject  # led by what happened, if anything has (partials/status.html)
    assert query["body"][0].endswith(url) and subject in query["body"][0]

    networks = [a for a in anchors if a["href"].startswith("https://") and a["href"] != url]
    assert {urlsplit(a["href"]).hostname for a in networks} == NETWORK_HOSTS
    for anchor in networks:
        assert {"noopener", "noreferrer"} <= set(anchor.get("rel", [])), anchor["href"]
        assert not re.search(r"[\s\u0080-\uffff]", anchor["href"]), f"not percent-encoded: {anchor['href']}"
        values = [value for values in parse_qs(urlsplit(anchor["href"]).query).values() for value in values]
        assert any(url in value for value in values), f"{anchor['href']} does not carry {url}"


def test_share_links_speak_the_pages_language(site):
    headings = {
        lang: soup_of(site, "petition", lang).find(class_="cs-share__heading").get_text(strip=True)
        for lang in HTML_LANG
    }
    assert len(set(headings.values())) == len(HTML_LANG), headings


def test_development_build_shares_root_relative_urls(built_site):
    soup = soup_of(built_site, "urgent-action", "nl")
    assert one_meta(soup, "og:url") == "/nl/urgent-action/"
    assert one_meta(soup, "og:image") == "/theme/images/share-nl.png"


# --- Custom domain ------------------------------------------------------------------------------


def publishconf_with_cname(tmp_path: Path, domain: str) -> Path:
    """publishconf.py as committed, with its one CNAME setting set to `domain`. The copy
    lives in a temp dir, so the paths Pelican resolves beside a settings file are pinned."""
    text = (ROOT / "publishconf.py").read_text(encoding="utf-8")
    assert len(re.findall(r'^CNAME = "[^"]*"$', text, re.MULTILINE)) == 1, "publishconf.py has one CNAME setting"
    text = re.sub(r'^CNAME = "[^"]*"$', f"CNAME = {domain!r}", text, flags=re.MULTILINE)
    text += f"\nTHEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
    settings = tmp_path / "publishconf.py"
    settings.write_text(text, encoding="utf-8")
    return settings


def test_no_cname_file_without_a_custom_domain(site):
    assert not (site / "CNAME").exists()


def test_custom_domain_writes_cname_and_becomes_the_site_url(tmp_path):
    settings = publishconf_with_cname(tmp_path, "campaign.example.org")
    output = build(tmp_path / "output", settings=str(settings), SITEURL="")
    assert (output / "CNAME").read_text(encoding="utf-8") == "campaign.example.org\n"
    assert "Sitemap: https://campaign.example.org/sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")
    assert one_meta(soup_of(output, "home", "zh"), "og:url") == "https://campaign.example.org/zh/"


def test_the_url_from_github_pages_wins_over_the_custom_domain(tmp_path):
    settings = publishconf_with_cname(tmp_path, "campaign.example.org")
    output = build(tmp_path / "output", settings=str(settings), SITEURL="https://owner.github.io/repo/")
    assert one_meta(soup_of(output, "petition", "nl"), "og:url") == "https://owner.github.io/repo/nl/petition/"


def test_a_cname_that_is_not_a_domain_stops_the_build_with_one_line(tmp_path):
    settings = publishconf_with_cname(tmp_path, "https://campaign.example.org/")
    result = run_pelican(tmp_path / "output", settings=str(settings), SITEURL="")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        "publishconf.py: CNAME: 'https://campaign.example.org/' is not a domain name — write only the" in result.stderr
    )
    assert not (tmp_path / "output" / "CNAME").exists()


@pytest.mark.parametrize(
    "domain,ok",
    [
        ("campaign.example.org", True),
        ("xn--fiq228c.example", True),
        ("a-b.example.org", True),
        ("https://campaign.example.org", False),
        ("campaign.example.org/path", False),
        ("Campaign.Example.org", False),
        ("localhost", False),
        ("-a.example.org", False),
        ("a..org", False),
    ],
)
def test_cname_check(domain, ok):
    sys.path.insert(0, str(ROOT / "plugins"))
    from campaign.site_files import cname_problem, render_cname

    assert (cname_problem(domain) is None) is ok
    if ok:
        assert render_cname(domain) == domain + "\n"


# --- In the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_publish_build(tmp_path_factory):
    """The publish build at http://127.0.0.1:PORT/repo/, as GitHub Pages serves a project
    site; SITEURL is that address, so every absolute URL of the page stays local."""
    output = tmp_path_factory.mktemp("served") / "output"
    output.mkdir()
    server = serve(output, base_path="/repo/")
    siteurl = f"http://127.0.0.1:{server.server_address[1]}/repo"
    build(output, settings="publishconf.py", SITEURL=siteurl)
    yield siteurl
    stop(server)


@pytest.mark.browser
@pytest.mark.parametrize("lang", list(HTML_LANG))
def test_json_ld_raises_no_csp_violation_and_loads_nothing(tabs, served_publish_build, lang):
    page = tabs.new_page()
    try:
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        messages, requests = [], []
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url_of("press-release", lang, served_publish_build), wait_until="load")
        assert page.evaluate("window.__violations") == []
        assert [m for m in messages if m.startswith("error") or "Content Security Policy" in m] == []
        assert all(r.startswith(served_publish_build + "/") or r.startswith("data:") for r in requests), requests
        article = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert article["@type"] == "NewsArticle" and article["inLanguage"] == HTML_LANG[lang]
    finally:
        page.close()
