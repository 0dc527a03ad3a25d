"""The site model: once every file is read, the site is checked as a whole, each page is
linked to its translations, and each action gets its state on the build's day
(stages/__init__.py). Nothing is written yet, so a problem stops the build with the
output as it was."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator, PagesGenerator

from .. import lifecycle, site_files, templating, traditional
from ..actions import action_view
from ..catalogs import cached_template_strings, check_catalogs
from ..config import BUILD_STATE, cache_folder, setting
from ..deadlines import ClockError, build_day, is_issued
from ..ics import DeadlineEvent
from ..languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute
from ..problems import Problem, log, report
from ..schema import ACTION_KINDS, KINDS
from ..site_checks import PageRecord, validate_links, validate_site
from ..sources import display_path, page_files, read_timeline, source_of_generated, stray_files
from ..status import translation_status
from ..timeline import status_warning


class CampaignGenerator(Generator):
    """Reads the timeline and lists the page files before the pages are read; writes the
    files that are not pages (site_files.py) after them."""

    def generate_context(self):
        state = self.settings[BUILD_STATE]
        content = Path(self.settings["PATH"])
        timeline_path = content / setting(self.settings, "CAMPAIGN_TIMELINE")
        state.timeline = read_timeline(timeline_path)
        traditional.add_to_timeline(state.timeline.events, state.conversions)
        self.context["timeline_events"] = state.timeline.events
        pages_dirs = [content / folder for folder in self.settings["PAGE_PATHS"]]
        ignore = self.settings["IGNORE_FILES"]
        state.page_files = [path for folder in pages_dirs for path in page_files(folder, ignore)]
        state.problems = state.timeline.problems + stray_files(content, pages_dirs, timeline_path, ignore)
        state.problems += [problem for conversion in state.conversions.values() for problem in conversion.problems]

    def generate_output(self, writer):
        site_files.write_all(self, writer)


def all_pages(generator: PagesGenerator):
    return [
        *generator.pages,
        *generator.translations,
        *generator.hidden_pages,
        *generator.hidden_translations,
        *generator.draft_pages,
        *generator.draft_translations,
    ]


def check_and_link(generators):
    """Once every file is read: stop on any problem, else link the pages and attach the actions."""
    pages_generator = next(g for g in generators if isinstance(g, PagesGenerator))
    campaign = next(g for g in generators if isinstance(g, CampaignGenerator))
    pages = all_pages(pages_generator)
    stop_on_problems(pages, campaign.settings)
    try:
        today = build_day(os.environ)
    except ClockError as error:
        log.critical(error)
        raise SystemExit(1) from None
    pages = withhold_unissued(pages_generator, today)
    by_slug, by_lang = link_translations(pages, campaign.settings.get("SITEURL", ""))
    campaign.context["pages_by_slug"] = dict(by_slug)
    campaign.context["nav_by_lang"] = {lang: navigation(items) for lang, items in by_lang.items()}
    campaign.context["documents_by_lang"] = {
        lang: sorted((p for p in items if p.slug != HOME_SLUG), key=lambda p: p.date, reverse=True)
        for lang, items in by_lang.items()
    }
    campaign.settings[BUILD_STATE].day = today
    state = campaign.settings[BUILD_STATE]
    campaign.context["status_as_of"] = state.timeline.status_as_of
    warning = status_warning(
        state.timeline.status_as_of,
        today,
        setting(campaign.settings, "CAMPAIGN_STATUS_MAX_AGE_DAYS"),
        state.timeline.path,
    )
    if warning:
        log.warning(f"Warning: {warning}")
    attach_actions(pages, by_slug, campaign, pages_generator, today)


def withhold_unissued(pages_generator: PagesGenerator, today: dt.date):
    """Only documents issued by the build's day are written, linked, listed and fed: one
    whose `date` is later (an embargoed press release, an action not yet launched) is
    left out of every output until the daily rebuild of its day. A document is issued
    when every translation is (the latest `date`); the home page, the site's front door,
    always is."""
    latest = {}
    for page in all_pages(pages_generator):
        latest[page.slug] = max(latest.get(page.slug, page.date.date()), page.date.date())
    issued = {slug for slug, day in latest.items() if slug == HOME_SLUG or is_issued(day, today)}
    for name in ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations"):
        listed = getattr(pages_generator, name)
        listed[:] = [page for page in listed if page.slug in issued]  # in place: the context holds the same lists
    return all_pages(pages_generator)


def stop_on_problems(pages, settings) -> None:
    """Every problem of every file, listed at once; then the translation status, as a report."""
    state = settings[BUILD_STATE]
    problems = list(state.problems)
    # A generated page's problems are its source's, converted: only its own are listed.
    failed_sources = {page.source_path for page in pages if page.metadata.get("problems")}
    for page in pages:
        file = getattr(page, "campaign_file", None)
        if file is not None and file.generated and str(source_of_generated(file.source, file.lang)) in failed_sources:
            continue
        problems.extend(page.metadata.get("problems", []))
    made = {os.path.abspath(page.source_path) for page in pages}
    for path in state.page_files:
        if os.path.abspath(path) not in made:  # Pelican logged why and left it out: never publish without it
            problems.append(
                Problem(
                    display_path(path),
                    0,
                    "",
                    "the build could not make a page of this file (see the message above)",
                    "run `make check`, and fix what it or the message says",
                )
            )
    problems += validate_site(
        p.campaign_file.record
        if hasattr(p, "campaign_file")
        else PageRecord(display_path(p.source_path), p.slug, p.lang, readable=False)
        for p in pages
    )
    sources = [p.campaign_file for p in pages if hasattr(p, "campaign_file")]
    problems += validate_links(((f.path, f.source, f.parsed) for f in sources if not f.generated), settings["PATH"])
    translations_dir = Path(setting(settings, "CAMPAIGN_TRANSLATIONS"))
    templates, mapping = Path(settings["THEME"]) / "templates", translations_dir.parent / "babel.cfg"
    strings = cached_template_strings(cache_folder(settings), templates, mapping)
    catalogs = check_catalogs(translations_dir, templates, mapping, display_path, strings, state.catalogs)
    problems += catalogs.problems
    if problems:
        log.critical(report(problems))
        raise SystemExit(1)
    warnings = sorted({warning for source in sources for warning in source.warnings})
    if warnings:
        lines = "\n".join(str(warning) for warning in warnings)
        log.warning(f"Warnings (the site is built; `make check` lists them too):\n{lines}")
    status = translation_status(sources, state.timeline, catalogs)
    if not status.up_to_date:
        log.warning(
            f"Translation status (the site is built; `make check` explains each line):\n{status.report(limit=10)}"
        )


def link_translations(pages, siteurl: str):
    """Each page's language, its translations (alternates) and its addresses; the pages by slug and by language."""
    by_slug = defaultdict(dict)
    by_lang = defaultdict(list)
    for page in pages:
        # Pelican recomputes a URL from the settings on every access (~30 µs), and the
        # nav links every page from every page: fix each page's URLs once.
        page.override_url, page.override_save_as = page.url, page.save_as
        by_slug[page.slug][page.lang] = page
        by_lang[page.lang].append(page)
    for page in pages:
        page.language = LANGUAGES[page.lang]
        page.alternates = [
            {
                "language": language,
                "page": by_slug[page.slug][code],
                "url": absolute(siteurl, by_slug[page.slug][code].url),
                "current": code == page.lang,
            }
            for code, language in LANGUAGES.items()
        ]
        page.x_default_url = absolute(siteurl, by_slug[page.slug][DEFAULT_CODE].url)
        page.absolute_url = absolute(siteurl, page.url)
    return by_slug, by_lang


DEADLINE_ICS = "deadline.ics"  # written next to each open action's page


plain_text = templating.plain  # a typeset title as a calendar shows it


def attach_actions(pages, by_slug, campaign, pages_generator, today):
    """Each action's and petition's state on the build's day (page.action), the home
    page's list of them, and their calendar files (written by site_files)."""
    siteurl = campaign.settings.get("SITEURL", "")
    host = urlsplit(siteurl).hostname or "campaign.invalid"
    copy_message = pages_generator.env.get_template("partials/copy_line.html")
    calendar_summary = pages_generator.env.get_template("partials/calendar_summary.html")

    def copy_line(lang, official):  # what marks the e-mail to a CC address as a copy
        return copy_message.render(lang=lang, official=official.called).strip()

    calendars, actions_by_lang = [], defaultdict(list)
    for page in pages:
        if getattr(page, "kind", None) not in ACTION_KINDS:
            continue
        translations = {code: other.metadata for code, other in by_slug[page.slug].items()}
        page.action = action_view(
            page.kind,
            page.lang,
            page.metadata,
            translations,
            today,
            url=page.absolute_url,
            ics_url=absolute(siteurl, page.url + DEADLINE_ICS),
            copy_line=copy_line,
        )
        event = None
        if page.action.is_open:
            event = DeadlineEvent(
                uid=f"{page.slug}-deadline-{page.deadline:%Y%m%d}@{host}",
                deadline=page.deadline,
                summary=calendar_summary.render(lang=page.lang, kind=page.kind, title=plain_text(page.title)).strip(),
                description=plain_text(page.summary) + (f"\n\n{page.absolute_url}" if siteurl else ""),
                stamp=dt.datetime.combine(today, dt.time(), dt.UTC),  # the day's start: never the time of day
                language=page.language.html_lang,
                url=page.absolute_url,
            )
        calendars.append((posixpath.join(posixpath.dirname(page.save_as), DEADLINE_ICS), event))
        actions_by_lang[page.lang].append(page)
    campaign.context["deadline_calendars"] = calendars  # (path in the output, event or None once closed)
    states = {page.slug: page.action.state for page in pages if hasattr(page, "action")}
    campaign.context["action_states"] = states
    for page in pages:  # feeds' and the sitemap's `updated`: an action's end reaches feed readers
        page.changed_on = lifecycle.changed_on(
            page.content, states, page.slug, page.date.date(), follows_all=page.slug == HOME_SLUG
        )
    # Open actions, the nearest deadline first; then past ones, the latest first.
    campaign.context["open_actions_by_lang"] = {
        lang: sorted((p for p in items if p.action.is_open), key=lambda p: (p.deadline, p.slug))
        for lang, items in actions_by_lang.items()
    }
    campaign.context["past_actions_by_lang"] = {
        lang: sorted((p for p in items if not p.action.is_open), key=lambda p: (p.deadline, p.slug), reverse=True)
        for lang, items in actions_by_lang.items()
    }


def navigation(pages_in_one_language):
    """The home page and the newest document of each kind, in the campaign's order.

    One link per kind keeps every page's header the same size however many documents
    the site holds (linking them all made each page's work grow with the site's size);
    the home page lists every action and petition with its deadline.
    """
    newest = {}
    for page in sorted(pages_in_one_language, key=lambda p: (-p.date.toordinal(), p.slug)):
        newest.setdefault(page.kind, page)
    return [newest[kind] for kind in KINDS if kind in newest]  # in the campaign's order (schema.py)
