"""The campaign site, built for real: pages, languages, switcher, alternates, dates, facts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from campaign.i18n import load_translations
from campaign.languages import DEFAULT_CODE, LANGUAGES
from conftest import HTML_LANG, LANGS, ROOT, SLUGS, build, page_path, site_path


def soup_of(site, slug, lang) -> BeautifulSoup:
    return BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")


url_of = site_path


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """Built as the deploy workflow does, under a GitHub Pages project path."""
    return build(
        tmp_path_factory.mktemp("published") / "output",
        settings="publishconf.py",
        SITEURL="https://example.org/campaign/",
    )


def test_every_document_exists_in_every_language(built_site):
    for slug in SLUGS:
        for lang in LANGS:
            assert page_path(built_site, slug, lang).is_file(), f"{slug} in {lang} was not built"
    for name in (
        "404.html",
        "robots.txt",
        "sitemap.xml",
        *(f"{LANGUAGES[lang].prefix}feed.xml" for lang in LANGS),
        "theme/css/site.css",
    ):
        assert (built_site / name).is_file(), name


def test_no_listing_pages_pelican_would_add(built_site):
    for name in (
        "archives.html",
        "tags.html",
        "categories.html",
        "authors.html",
        "index2.html",
        "category",
        "tag",
        "author",
    ):
        assert not (built_site / name).exists(), f"{name} should not be published"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_html_lang_and_alternates(built_site, slug, lang):
    soup = soup_of(built_site, slug, lang)
    assert soup.html["lang"] == HTML_LANG[lang]
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert alternates == {
        **{HTML_LANG[code]: url_of(slug, code) for code in LANGS},
        "x-default": url_of(slug, DEFAULT_CODE),
    }


def test_alternates_are_reciprocal(built_site):
    for slug in SLUGS:
        for lang in LANGS:
            soup = soup_of(built_site, slug, lang)
            for link in soup.find_all("link", rel="alternate", hreflang=True):
                if link["hreflang"] == "x-default":
                    continue
                other_lang = next(code for code in LANGS if HTML_LANG[code] == link["hreflang"])
                other = soup_of(built_site, slug, other_lang)
                back = other.find("link", rel="alternate", hreflang=HTML_LANG[lang])
                assert back["href"] == url_of(slug, lang), f"{slug}: {other_lang} does not link back to {lang}"


def test_alternates_are_absolute_when_siteurl_is_set(published_site):
    soup = soup_of(published_site, "urgent-action", "nl")
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert alternates == {
        **{HTML_LANG[code]: f"https://example.org/campaign{url_of('urgent-action', code)}" for code in LANGS},
        "x-default": "https://example.org/campaign/urgent-action/",
    }
    assert alternates["nl"] == "https://example.org/campaign/nl/urgent-action/"
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("https://example.org/campaign/theme/css/site.css")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_language_switcher_links_the_same_page(built_site, slug, lang):
    soup = soup_of(built_site, slug, lang)
    switcher = soup.find("nav", class_="cs-language-switcher")
    assert switcher is not None and switcher.get("aria-label")
    links = switcher.find_all("a")
    assert [link.get_text(strip=True) for link in links] == [LANGUAGES[code].name for code in LANGS]
    for code, link in zip(LANGS, links, strict=True):
        assert link["href"] == url_of(slug, code)
        assert link["lang"] == link["hreflang"] == HTML_LANG[code]
        assert (link.get("aria-current") == "page") == (code == lang)


def test_interface_is_translated(built_site):
    """Each page shows its language's catalog (test_catalogs checks the catalogs translate)."""
    catalogs = load_translations(ROOT / "translations")
    skip_links = {
        lang: soup_of(built_site, "home", lang).find("a", class_="cs-skip-link").get_text(strip=True) for lang in LANGS
    }
    assert skip_links == {lang: catalogs[lang].gettext("Skip to main content") for lang in LANGS}
    assert skip_links[DEFAULT_CODE] == "Skip to main content" != skip_links["nl"]
    labels = {
        lang: soup_of(built_site, "petition", lang).find("nav", class_="cs-language-switcher")["aria-label"]
        for lang in LANGS
    }
    assert labels == {lang: catalogs[lang].gettext("Read this page in another language") for lang in LANGS}
    assert len(set(labels.values())) > 1, labels


@pytest.mark.parametrize(
    "lang, published, sentenced",
    [
        ("en", "21 September 2023", "14 June 2024"),
        ("nl", "21 september 2023", "14 juni 2024"),
        ("zh", "2023年9月21日", "2024年6月14日"),
    ],
)
def test_dates_are_localised(built_site, lang, published, sentenced):
    press = soup_of(built_site, "press-release", lang)
    assert published in press.find(class_="cs-document__meta").get_text()
    timeline = soup_of(built_site, "home", lang).find("ol", class_="cs-timeline")
    dates = {time["datetime"]: time.get_text(strip=True) for time in timeline.find_all("time")}
    assert dates["2024-06-14"] == sentenced
    assert dates["2019-10"] and dates["2022"]  # partial dates keep their precision


KEY_FACTS = {  # facts as each language writes them: checked in the languages listed here
    "en": {
        "names": ["Huang Xueqin", "Wang Jianbing"],
        "arrest": "19 September 2021",
        "sentenced": "14 June 2024",
        "trial": "22 September",
    },
    "nl": {
        "names": ["Huang Xueqin", "Wang Jianbing"],
        "arrest": "19 september 2021",
        "sentenced": "14 juni 2024",
        "trial": "22 september",
    },
    "zh": {"names": ["黄雪琴", "王建兵"], "arrest": "2021年9月19日", "sentenced": "2024年6月14日", "trial": "9月22日"},
}
CHARGE = "煽动颠覆国家政权"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang in KEY_FACTS])
def test_key_facts_on_every_language(built_site, lang):
    facts = KEY_FACTS[lang]
    texts = {slug: soup_of(built_site, slug, lang).find("main").get_text(" ") for slug in SLUGS}
    for slug, text in texts.items():
        for name in facts["names"][:1]:
            assert name in text, f"{name} missing on {slug} ({lang})"
    for slug in ("home", "urgent-action"):
        for name in facts["names"]:
            assert name in texts[slug], f"{name} missing on {slug} ({lang})"
        assert CHARGE in texts[slug], f"the charge in Chinese is missing on {slug} ({lang})"
        assert facts["sentenced"] in texts[slug]
    for slug in ("home", "press-release", "urgent-action"):
        assert facts["arrest"] in texts[slug], f"arrest date missing on {slug} ({lang})"
    for slug in ("home", "press-release"):
        assert facts["trial"] in texts[slug], f"trial date missing on {slug} ({lang})"


def test_dutch_elisions_and_chinese_quotes(built_site):
    for slug in SLUGS:
        for lang, language in LANGUAGES.items():
            text = soup_of(built_site, slug, lang).find("main").get_text()
            if language.dutch_elisions:
                html = page_path(built_site, slug, lang).read_text(encoding="utf-8")
                assert not re.search(r"(‘|&#8216;)(s|t|n)\b", html), (
                    f"wrong opening quote for an elision on {slug} ({lang})"
                )
            if not language.smartypants:
                assert "”" * 2 not in text and not re.search(r"[，。：；]”[^“]*?”", text), (
                    f"double closing quotes on {slug} ({lang})"
                )
            else:
                assert '"' not in text, f"straight double quote left on {slug} ({lang})"


def test_feeds_per_language(built_site):
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    for lang in LANGS:
        root = ET.parse(built_site / f"{LANGUAGES[lang].prefix}feed.xml").getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == HTML_LANG[lang]
        links = [entry.find("atom:link", ns).get("href") for entry in root.findall("atom:entry", ns)]
        assert sorted(links) == sorted(url_of(slug, lang) for slug in SLUGS if slug != "home")


def test_a_feed_holds_the_newest_documents_only(tmp_path):
    site = build(tmp_path / "site", options=("-e", "FEED_MAX_ITEMS=2"))
    root = ET.parse(site / "nl" / "feed.xml").getroot()
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    published = [entry.find("atom:published", ns).text for entry in root.findall("atom:entry", ns)]
    assert len(published) == 2 and published == sorted(published, reverse=True)
    # press release 2023-09, urgent action 2024-06, petition 2024-02: the oldest is left out
    assert url_of("press-release", "nl") not in [
        entry.find("atom:link", ns).get("href") for entry in root.findall("atom:entry", ns)
    ]


def test_not_found_page_speaks_every_language_and_links_from_root(built_site, published_site):
    soup = BeautifulSoup((published_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    sections = soup.find_all("section", class_="cs-not-found")
    assert [section["lang"] for section in sections] == [HTML_LANG[code] for code in LANGS]
    assert len(soup.find_all("h1")) == 1
    for anchor in soup.find_all("a", href=True):
        assert anchor["href"].startswith(("https://example.org/campaign/", "#")), anchor["href"]
    dev = BeautifulSoup((built_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert all(a["href"].startswith(("/", "#")) for a in dev.find_all("a", href=True))


def test_robots_points_to_sitemap(published_site):
    assert "Sitemap: https://example.org/campaign/sitemap.xml" in (published_site / "robots.txt").read_text()


def test_timeline_is_shown_where_a_document_asks_for_it(built_site):
    for lang in LANGS:
        assert soup_of(built_site, "home", lang).find("ol", class_="cs-timeline"), f"home ({lang})"
        assert soup_of(built_site, "urgent-action", lang).find("ol", class_="cs-timeline"), (
            f"urgent action ({lang}) has timeline: true"
        )
        assert not soup_of(built_site, "press-release", lang).find("ol", class_="cs-timeline"), (
            f"press release ({lang}) does not ask for it"
        )
