"""The site model: once every file is read, the site is checked as a whole, then the site
model (model.Site) is built: each page linked to its translations, each action's state on
the build's day, the navigation, the actions' lists and the feeds (stages/__init__.py).
Nothing is written yet, so a problem stops the build with the output as it was. The
templates and site_files.py read the model (the context's `site`); nothing is added to
Pelican's pages but Pelican's own URL override."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator, PagesGenerator

from .. import lifecycle, model, site_files, templating, traditional
from ..actions import action_view
from ..catalogs import cached_template_strings, check_catalogs
from ..config import BUILD_STATE, cache_folder, setting
from ..deadlines import ClockError, build_day, is_issued
from ..ics import DeadlineEvent
from ..languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute
from ..model import Alternate, Calendar, Feed, PageModel, Site
from ..problems import Problem, log, report
from ..schema import ACTION_KINDS
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
        pages_dirs = [content / folder for folder in self.settings["PAGE_PATHS"]]
        ignore = self.settings["IGNORE_FILES"]
        state.page_files = [path for folder in pages_dirs for path in page_files(folder, ignore)]
        state.problems = state.timeline.problems + stray_files(content, pages_dirs, timeline_path, ignore)
        state.problems += [problem for conversion in state.conversions.values() for problem in conversion.problems]

    def generate_output(self, writer):
        site_files.write_all(self, writer, calendars=not self.settings[BUILD_STATE].calendars_written)


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
    """Once every file is read: stop on any problem, else build the site model (model.Site)
    that the templates and site_files.py read, as the context's `site`."""
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
    state = campaign.settings[BUILD_STATE]
    state.day = today
    warning = status_warning(
        state.timeline.status_as_of,
        today,
        setting(campaign.settings, "CAMPAIGN_STATUS_MAX_AGE_DAYS"),
        state.timeline.path,
    )
    if warning:
        log.warning(f"Warning: {warning}")
    campaign.context["site"] = site_model(pages, campaign, pages_generator, today)


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


def site_model(pages, campaign, pages_generator, today: dt.date) -> Site:
    """The site on the build's day: each page linked to its translations, each action's
    state, letters and calendar file, the navigation, the actions' lists and the feeds."""
    settings = campaign.settings
    siteurl = settings.get("SITEURL", "")
    by_slug = defaultdict(dict)
    for page in pages:
        # The one attribute the plugin sets on Pelican's pages, because Pelican's writer reads
        # it there: Pelican's own URL override (Content.url/save_as return it). Without it
        # Pelican recomputes an address from the settings on every access (~30 µs), and
        # every page links every page (a home page has it from its metadata already).
        # Everything else the build decides about a page is in its PageModel.
        page.override_url, page.override_save_as = page.url, page.save_as
        by_slug[page.slug][page.lang] = page
    actions = attach_actions(pages, by_slug, campaign, pages_generator, today)
    states = {page.slug: view.state for page, view in actions.items()}
    models = {}
    for page in pages:
        translations = by_slug[page.slug]
        models[page] = PageModel(
            page=page,
            slug=page.slug,
            lang=page.lang,
            kind=getattr(page, "kind", None),
            title=page.title,
            url=page.url,
            issued=page.date.date(),
            language=LANGUAGES[page.lang],
            absolute_url=absolute(siteurl, page.url),
            x_default_url=absolute(siteurl, translations[DEFAULT_CODE].url),
            alternates=tuple(
                Alternate(language, absolute(siteurl, translations[code].url), code == page.lang)
                for code, language in LANGUAGES.items()
            ),
            # feeds' and the sitemap's `updated`: an action's end reaches feed readers
            changed_on=lifecycle.changed_on(
                page.content, states, page.slug, page.date.date(), follows_all=page.slug == HOME_SLUG
            ),
            action=actions.get(page),
            deadline=getattr(page, "deadline", None),
        )
    by_lang = defaultdict(list)
    for page in pages:
        by_lang[page.lang].append(models[page])
    newest = settings.get("FEED_MAX_ITEMS") or None  # None: every document
    documents = {lang: model.newest_first(items, HOME_SLUG) for lang, items in by_lang.items()}
    pages_by_slug = {slug: {lang: models[page] for lang, page in langs.items()} for slug, langs in by_slug.items()}
    return Site(
        day=today,
        pages=pages_by_slug,
        navigation={lang: model.navigation(items) for lang, items in by_lang.items()},
        documents=documents,
        open_actions={lang: model.open_actions(items) for lang, items in by_lang.items()},
        past_actions={lang: model.past_actions(items) for lang, items in by_lang.items()},
        action_states=states,
        timeline=tuple(campaign.settings[BUILD_STATE].timeline.events),
        status_as_of=campaign.settings[BUILD_STATE].timeline.status_as_of,
        calendars=tuple(calendar(page, view, siteurl, today, pages_generator) for page, view in actions.items()),
        feeds={
            lang: Feed(lang, pages_by_slug.get(HOME_SLUG, {}).get(lang), items[:newest])
            for lang, items in documents.items()
        },
    )


DEADLINE_ICS = "deadline.ics"  # written next to each open action's page


plain_text = templating.plain  # a typeset title as a calendar shows it


def attach_actions(pages, by_slug, campaign, pages_generator, today) -> dict:
    """Each action's and petition's state on the build's day, its officials and letters (actions.ActionView)."""
    siteurl = campaign.settings.get("SITEURL", "")
    copy_message = pages_generator.env.get_template("partials/copy_line.html")

    def copy_line(lang, official):  # what marks the e-mail to a CC address as a copy
        return copy_message.render(lang=lang, official=official.called).strip()

    views = {}
    for page in pages:
        if getattr(page, "kind", None) not in ACTION_KINDS:
            continue
        translations = {code: other.metadata for code, other in by_slug[page.slug].items()}
        views[page] = action_view(
            page.kind,
            page.lang,
            page.metadata,
            translations,
            today,
            url=absolute(siteurl, page.url),
            ics_url=absolute(siteurl, page.url + DEADLINE_ICS),
            copy_line=copy_line,
        )
    return views


def calendar(page, view, siteurl: str, today: dt.date, pages_generator) -> Calendar:
    """The calendar file next to an action's page: its deadline while it is open."""
    event = None
    if view.is_open:
        host = urlsplit(siteurl).hostname or "campaign.invalid"
        url = absolute(siteurl, page.url)
        summary = pages_generator.env.get_template("partials/calendar_summary.html")
        event = DeadlineEvent(
            uid=f"{page.slug}-deadline-{page.deadline:%Y%m%d}@{host}",
            deadline=page.deadline,
            summary=summary.render(lang=page.lang, kind=page.kind, title=plain_text(page.title)).strip(),
            description=plain_text(page.summary) + (f"\n\n{url}" if siteurl else ""),
            stamp=dt.datetime.combine(today, dt.time(), dt.UTC),  # the day's start: never the time of day
            language=LANGUAGES[page.lang].html_lang,
            url=url,
        )
    return Calendar(posixpath.join(posixpath.dirname(page.save_as), DEADLINE_ICS), event)
