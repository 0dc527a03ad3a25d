"""The site model (plugins/campaign/model.py): what the build decided about the site on its
day, in one typed object that the templates and site_files.py read, instead of attributes
added to Pelican's pages and loose context keys.

On its own: the lists it orders (navigation, documents, open and past actions) and its
lookups. In a real build of the fixture site, seen from inside by a small plugin: Pelican's
pages carry nothing the site's plugin added but Pelican's own URL override, the template
context holds the model and no loose key, and what the pages, feeds and sitemap show is
what the model says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from campaign import model
from campaign.languages import LANGUAGES
from campaign.model import Alternate, PageModel, Site
from campaign.schema import KINDS
from conftest import HTML_LANG, LANGS, SLUGS, build, page_path, with_plugins

SITEURL = "https://example.org/campaign"


def page_model(slug: str, kind: str, issued: dt.date, lang: str = "en", deadline=None, is_open=None) -> PageModel:
    """A page's model as the site-model stage makes one, around a stand-in for Pelican's page."""
    url = f"{LANGUAGES[lang].prefix}{slug}/"
    return PageModel(
        page=SimpleNamespace(slug=slug, lang=lang),
        slug=slug,
        lang=lang,
        kind=kind,
        title=slug.title(),
        url=url,
        issued=issued,
        language=LANGUAGES[lang],
        absolute_url=f"{SITEURL}/{url}",
        x_default_url=f"{SITEURL}/{slug}/",
        alternates=(Alternate(LANGUAGES[lang], f"{SITEURL}/{url}", True),),
        changed_on=issued,
        action=None if is_open is None else SimpleNamespace(is_open=is_open),
        deadline=deadline,
    )


HOME = page_model("home", "home", dt.date(2023, 9, 1))
OLD_ACTION = page_model("first-action", "action", dt.date(2023, 9, 1), deadline=dt.date(2023, 10, 1), is_open=False)
NEW_ACTION = page_model("second-action", "action", dt.date(2024, 1, 5), deadline=dt.date(2025, 3, 1), is_open=True)
SOON_ACTION = page_model("third-action", "action", dt.date(2024, 1, 5), deadline=dt.date(2025, 2, 1), is_open=True)
PETITION = page_model("petition", "petition", dt.date(2023, 12, 1), deadline=dt.date(2024, 2, 19), is_open=False)
PRESS = page_model("press-release", "press", dt.date(2023, 9, 14))
PAGES = (PRESS, OLD_ACTION, HOME, PETITION, NEW_ACTION, SOON_ACTION)


def test_navigation_is_the_home_page_and_the_newest_of_each_kind_in_the_tables_order():
    nav = model.navigation(PAGES)
    assert [page.kind for page in nav] == [kind for kind in KINDS if kind in {p.kind for p in PAGES}]
    # of two actions issued the same day, the first by slug
    assert nav == (HOME, NEW_ACTION, PETITION, PRESS)


def test_documents_are_every_page_but_home_newest_first():
    assert model.newest_first(PAGES, "home") == (NEW_ACTION, SOON_ACTION, PETITION, PRESS, OLD_ACTION)


def test_open_actions_nearest_deadline_first_and_past_ones_latest_first():
    assert model.open_actions(PAGES) == (SOON_ACTION, NEW_ACTION)
    assert model.past_actions(PAGES) == (PETITION, OLD_ACTION)  # pages without an action are in neither


def test_a_page_is_found_by_its_slug_and_language_and_the_model_cannot_be_changed():
    site = Site(
        day=dt.date(2025, 1, 15),
        pages={p.slug: {p.lang: p} for p in PAGES},
        navigation={"en": model.navigation(PAGES)},
        documents={"en": model.newest_first(PAGES, "home")},
        open_actions={"en": model.open_actions(PAGES)},
        past_actions={"en": model.past_actions(PAGES)},
        action_states={},
        timeline=(),
        status_as_of=None,
        calendars=(),
        feeds={"en": model.Feed("en", HOME, model.newest_first(PAGES, "home"))},
    )
    assert site.page(SimpleNamespace(slug="petition", lang="en")) is PETITION
    with pytest.raises(KeyError):
        site.page(SimpleNamespace(slug="petition", lang="nl"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        PETITION.changed_on = dt.date(2030, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.day = dt.date(2030, 1, 1)
    # one model per page: a copy with the same facts is another page (the navigation marks
    # the current page by identity, `is sameas`)
    assert dataclasses.replace(PETITION) != PETITION and PETITION == PETITION


def test_feeds_and_sitemap_are_written_from_the_model_alone():
    """site_files.py needs nothing but the model: the entries it lists, their addresses and days."""
    from campaign.site_files import render_feed, render_sitemap

    ended = dataclasses.replace(
        PETITION,
        page=SimpleNamespace(content="<p>Thank you.</p>", summary="Signed & sent."),
        action=SimpleNamespace(is_open=False, outcome="Delivered"),
        changed_on=dt.date(2024, 2, 20),
    )
    home = dataclasses.replace(HOME, page=SimpleNamespace(summary="The campaign"))
    feed = ET.fromstring(render_feed(model.Feed("en", home, (ended,)), SITEURL))
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = feed.iter(f"{atom}entry")
    assert feed.findtext(f"{atom}title") == "Home"
    assert entry.findtext(f"{atom}id") == ended.absolute_url
    assert entry.findtext(f"{atom}published").startswith("2023-12-01")
    assert entry.findtext(f"{atom}updated").startswith("2024-02-20")  # the day it ended, not its issue day
    assert entry.findtext(f"{atom}content").startswith("<p><strong>Delivered</strong></p>")

    sitemap = ET.fromstring(render_sitemap({"petition": {"en": ended}}, SITEURL))
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert [(url.findtext(f"{ns}loc"), url.findtext(f"{ns}lastmod")) for url in sitemap] == [
        (ended.absolute_url, "2024-02-20")
    ]


# --- In a real build ------------------------------------------------------------------------

PROBE = """
# Once the pages are written: what Pelican's pages carry that Pelican itself would not have
# set on them, the template context's keys, and the site model, as JSON (MODEL_PROBE).
import json, os
from pelican import signals
from pelican.contents import Page

def record(generator, writer):
    site = generator.context["site"]
    pages = [*generator.pages, *generator.translations, *generator.hidden_pages, *generator.hidden_translations]

    def as_pelican_makes_it(page):  # of the same file, text and metadata, with no plugin after it
        return Page(page._content, page.metadata, settings=generator.settings,
                    source_path=page.source_path, context=generator.context)

    def facts(page):
        this = site.page(page)
        return {
            "wraps_it": this.page is page,
            "url": this.absolute_url,
            "x_default": this.x_default_url,
            "alternates": {a.language.html_lang: a.url for a in this.alternates},
            "nav": [item.absolute_url for item in site.navigation[page.lang]],
            "changed_on": this.changed_on.isoformat(),
            "open": [item.absolute_url for item in site.open_actions[page.lang]],
        }

    found = {
        "added": {f"{p.slug}.{p.lang}": sorted(set(vars(p)) - set(vars(as_pelican_makes_it(p)))) for p in pages},
        "context": sorted(set(generator.context) - set(generator.settings)),
        "site": f"{type(site).__module__}.{type(site).__qualname__}",
        "pages": {f"{p.slug}.{p.lang}": facts(p) for p in pages},
        "feeds": {lang: [entry.absolute_url for entry in feed.entries] for lang, feed in site.feeds.items()},
    }
    with open(os.environ["MODEL_PROBE"], "w", encoding="utf-8") as handle:
        json.dump(found, handle)

def register():
    signals.page_writer_finalized.connect(record)
"""

# What Pelican's own generators put in the template context (Pelican 4.12), besides the settings.
PELICAN_CONTEXT = {
    "articles",
    "authors",
    "categories",
    "dates",
    "draft_pages",
    "drafts",
    "generated_content",
    "hidden_articles",
    "hidden_pages",
    "localsiteurl",
    "pages",
    "period_archives",
    "related_posts",
    "static_content",
    "static_links",
    "staticfiles",
    "tags",
}
# The one thing the plugin sets on Pelican's pages: Pelican's own URL override
# (stages/site_model.py says why), which a home page already has from its metadata.
PELICAN_OVERRIDES = {"override_url", "override_save_as"}


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """The fixture site, published under a path, with the probe above: (output, what it found)."""
    root = tmp_path_factory.mktemp("model")
    (root / "hooks").mkdir()
    (root / "hooks" / "model_probe.py").write_text(PROBE, encoding="utf-8")
    found = root / "found.json"
    output = build(
        root / "output",
        settings="publishconf.py",
        options=(*with_plugins(root / "hooks", "model_probe"), "CAMPAIGN_PROCESSES=1"),
        SITEURL=SITEURL + "/",
        MODEL_PROBE=str(found),
    )
    return output, json.loads(found.read_text(encoding="utf-8"))


def test_pelicans_pages_carry_nothing_the_plugin_added_but_pelicans_url_override(probed):
    _, found = probed
    assert set(found["added"]) == {f"{slug}.{lang}" for slug in SLUGS for lang in LANGS}
    added = {page: set(names) - PELICAN_OVERRIDES for page, names in found["added"].items()}
    assert {page: names for page, names in added.items() if names} == {}
    assert all(found["pages"][page]["wraps_it"] for page in found["pages"])


def test_the_template_context_holds_the_site_model_and_no_loose_key(probed):
    _, found = probed
    assert found["site"] == "campaign.model.Site"
    assert set(found["context"]) - PELICAN_CONTEXT == {"site"}


def test_pages_feeds_and_sitemap_show_what_the_model_says(probed):
    site, found = probed
    for key, facts in found["pages"].items():
        slug, lang = key.split(".", 1)
        soup = BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")
        assert soup.find("link", rel="canonical")["href"] == facts["url"]
        hreflang = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
        assert hreflang == {**facts["alternates"], "x-default": facts["x_default"]}
        assert set(facts["alternates"]) == set(HTML_LANG.values())
        assert [a["href"] for a in soup.select(".cs-site-nav__link")] == facts["nav"]
        assert (soup.find("script", src=True) is not None) == bool(facts["open"]), key
    atom = "{http://www.w3.org/2005/Atom}"
    for lang, entries in found["feeds"].items():
        feed = ET.parse(site / f"{LANGUAGES[lang].prefix}feed.xml").getroot()
        assert [entry.findtext(f"{atom}id") for entry in feed.iter(f"{atom}entry")] == entries
        assert len(entries) == len(SLUGS) - 1  # every document but the home page
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {
        url.findtext(f"{sitemap}loc"): url.findtext(f"{sitemap}lastmod")
        for url in ET.parse(site / "sitemap.xml").getroot()
    }
    assert lastmod == {facts["url"]: facts["changed_on"] for facts in found["pages"].values()}
