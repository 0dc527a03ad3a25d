"""The files that are not pages: 404, Atom feeds, sitemap, robots.txt, CNAME and the
actions' calendar files, written from the site model (model.py)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from feedgenerator import Atom1Feed

from . import lifecycle
from .ics import deadline_calendar
from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute
from .model import Calendar, Feed, PageModel
from .problems import Problem, log, report

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def feed_path(lang: str) -> str:
    return f"{LANGUAGES[lang].prefix}feed.xml"


def write_all(generator, writer, calendars: bool = True) -> None:
    """Written from the site model (model.Site, the context's `site`), after the pages.
    calendars: False where the processes that wrote the pages wrote them (stages/writing.py)."""
    context = generator.context
    site = context["site"]
    output = Path(generator.output_path)
    siteurl = generator.settings.get("SITEURL", "")

    writer.write_file("404.html", generator.get_template("404"), context, relative_urls=False)
    status = generator.get_template("partials/status")
    modules = {}  # the macros read the page from their argument, the language from the context

    def describe(page: PageModel) -> str:
        """What meta tags carry (partials/status.html), as escaped HTML: the summary, led by an
        outcome and by the day the case's status was last known true."""
        if page.lang not in modules:
            modules[page.lang] = status.make_module({**context, "lang": page.lang})
        return str(modules[page.lang].description(page.page))

    for lang, feed in site.feeds.items():
        _write_text(output / feed_path(lang), render_feed(feed, siteurl, site.action_states, describe))
    _write_text(output / "sitemap.xml", render_sitemap(site.pages, siteurl))
    _write_text(output / "robots.txt", render_robots(siteurl))
    if calendars:
        write_deadline_calendars(output, site.calendars)
    domain = str(generator.settings.get("CNAME") or "").strip()
    if domain:
        problem = cname_problem(domain)
        if problem is not None:
            log.critical(report([problem]))
            raise SystemExit(1)  # a wrong domain must not reach the host
        _write_text(output / "CNAME", render_cname(domain))


def write_deadline_calendars(output: Path, calendars: Iterable[Calendar]) -> None:
    """An .ics file next to each open action's page (none once it is closed)."""
    for calendar in calendars:
        if calendar.event is not None:
            path = output / calendar.save_as
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(deadline_calendar(calendar.event).encode("utf-8"))  # bytes: keep the CRLF line ends


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _feed_date(value) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def render_feed(feed: Feed, siteurl: str, states=None, describe=None) -> str:
    """Each document as of the build's day: its text resolved for the day, as the page is,
    but with nothing hidden (a feed runs no script), published on its issue day and
    updated on the day its state last changed (an action's end: the page model's
    `changed_on`), so that feed readers see the ended text."""
    states = states or {}
    lang, home = feed.lang, feed.home
    site_link = absolute(siteurl, LANGUAGES[lang].prefix)
    atom = Atom1Feed(
        title=home.title if home is not None else "",
        link=site_link,
        feed_url=absolute(siteurl, feed_path(lang)),
        description=home.page.summary if home is not None else "",
        language=LANGUAGES[lang].html_lang,
        feed_guid=site_link,
    )
    for entry in feed.entries:
        outcome = entry.action.outcome if entry.action is not None else ""  # what happened leads
        content = lifecycle.resolve(entry.page.content, states, entry.slug, switch=False)
        atom.add_item(
            title=entry.title,
            link=entry.absolute_url,
            unique_id=entry.absolute_url,
            # Atom's <summary type="html">; the title is text
            description=describe(entry) if describe else html.escape(entry.page.summary),  # HTML: the macro escapes
            content=f"<p><strong>{html.escape(outcome)}</strong></p>\n{content}" if outcome else content,
            pubdate=_feed_date(entry.issued),
            updateddate=_feed_date(entry.changed_on),
        )
    return atom.writeString("utf-8")


def render_sitemap(pages: Mapping[str, Mapping[str, PageModel]], siteurl: str) -> str:
    """Every page with the day it last changed and its alternates (pages: by slug, then by language)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for slug in sorted(pages, key=lambda s: (s != HOME_SLUG, s)):
        translations = pages[slug]
        alternates = [
            f'    <xhtml:link rel="alternate" hreflang="{LANGUAGES[code].html_lang}" '
            f"href={quoteattr(translations[code].absolute_url)}/>"
            for code in LANGUAGES
            if code in translations
        ]
        if DEFAULT_CODE in translations:
            alternates.append(
                '    <xhtml:link rel="alternate" hreflang="x-default" '
                f"href={quoteattr(translations[DEFAULT_CODE].absolute_url)}/>"
            )
        for code in LANGUAGES:
            page = translations.get(code)
            if page is None:
                continue
            lines += [
                "  <url>",
                f"    <loc>{escape(page.absolute_url)}</loc>",
                f"    <lastmod>{page.changed_on:%Y-%m-%d}</lastmod>",
                *alternates,
                "  </url>",
            ]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_robots(siteurl: str) -> str:
    robots = "User-agent: *\nAllow: /\n"
    if siteurl.startswith(("http://", "https://")):  # crawlers ignore a relative Sitemap line
        robots += f"\nSitemap: {absolute(siteurl, 'sitemap.xml')}\n"
    return robots


# A bare host name: letters, digits and hyphens in dot-separated labels (RFC 1123).
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def cname_problem(domain: str, source: str = "publishconf.py") -> Problem | None:
    """What is wrong with the CNAME setting, if anything: hosts expect only the domain."""
    if _HOSTNAME.match(domain):
        return None
    return Problem(
        source,
        0,
        "CNAME",
        f"'{domain}' is not a domain name",
        'write only the lower-case domain, for example CNAME = "campaign.example.org" (no https://, no path)',
    )


def render_cname(domain: str) -> str:
    return f"{domain}\n"
