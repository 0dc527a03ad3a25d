"""Pelican glue: the reader, the site generator and the signal handlers.

Everything that decides something lives in the modules beside this one; this file
only connects them to Pelican.
"""

from __future__ import annotations

import atexit
import logging
import os
import posixpath
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime

from . import site_files, staging, templating
from .dates import DateFormatError, parse_date
from .deadlines import ClockError, build_clock
from .ics import DeadlineEvent
from .catalogs import check_catalogs
from .i18n import load_translations, read_catalogs
from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute, page_save_as, page_url
from .problems import Problem, report
from .sources import display_path, markdown_renderer, page_files, read_page, read_timeline, render_body, stray_files
from .status import translation_status
from .targets import action_view
from .typography import typeset, typeset_title
from .validation import ACTION_FIELDS, COMMON_FIELDS, KINDS, PageRecord, validate_links, validate_site

logger = logging.getLogger(__name__)

PAGE_FIELDS = COMMON_FIELDS | ACTION_FIELDS


class CampaignMarkdownReader(MarkdownReader):
    """Markdown with YAML front matter, validated as it is read.

    Problems are returned in the metadata rather than raised: Pelican would log a
    raised error and drop the page; here every problem of every file is gathered
    and the build stops once, listing them all.

    What read() returns depends on that file alone: never on the clock (deadline
    states are decided in attach_actions) or on other files (cross-file checks
    belong in check_and_link).
    """

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path):
        path = display_path(source_path)
        try:
            return self._read(source_path, path)
        except Exception as error:  # an editor's file must never end the build with a traceback
            logger.debug("reading %s failed", path, exc_info=True)
            problem = Problem(path, 0, "", f"the file cannot be read ({error})", "check that it is UTF-8 text with front matter between '---' lines")
            return "", {"title": path, "problems": [problem], "lang": DEFAULT_CODE, "slug": Path(path).stem}

    def _read(self, source_path, path):
        page_file = read_page(source_path, path)  # the same reading and checks as `make check`
        parsed, lang, slug = page_file.parsed, page_file.lang, page_file.slug

        data = parsed.data
        # Only the fields the site knows reach Pelican: an unknown one is reported as a problem,
        # and some (translation: true, save_as, status, author) would crash or drop the page first.
        metadata = {key: value for key, value in data.items() if key in PAGE_FIELDS and key not in ("date", "deadline")}
        metadata.update(lang=lang, slug=slug, problems=page_file.problems, title=str(data.get("title") or path))
        metadata["campaign_file"] = page_file  # for the translation status
        metadata["template"] = data["kind"] if data.get("kind") in KINDS else "page"
        for name in ("date", "deadline"):
            try:
                if data.get(name) is not None:
                    day = parse_date(data[name])
                    metadata[name] = SafeDatetime(day.year, day.month, day.day) if name == "date" else day
            except DateFormatError:
                pass  # already reported by validate_page
        if slug == HOME_SLUG:
            metadata["url"] = page_url(slug, lang)
            metadata["save_as"] = page_save_as(slug, lang)

        html, body_problems = render_body(page_file, self._markdown())
        page_file.problems.extend(body_problems)
        content = typeset(html, lang)
        metadata["title"] = typeset_title(metadata["title"], lang)  # text: the templates escape it
        return content, metadata

    def _markdown(self):
        """One Markdown instance for every file (render_body resets it in between)."""
        if getattr(self, "_markdown_instance", None) is None:
            self._markdown_instance = markdown_renderer(self.settings["MARKDOWN"])
        return self._markdown_instance


def add_reader(readers):
    readers.reader_classes["md"] = CampaignMarkdownReader


class CampaignGenerator(Generator):
    """Reads the timeline, checks the whole site, and writes the files that are not pages."""

    def generate_context(self):
        content = Path(self.settings["PATH"])
        timeline_path = content / self.settings.get("CAMPAIGN_TIMELINE", "timeline.yaml")
        timeline = read_timeline(timeline_path)
        self.context["timeline_events"] = timeline.events
        self.context["campaign_timeline"] = timeline
        pages_dirs = [content / folder for folder in self.settings["PAGE_PATHS"]]
        self.context["campaign_page_files"] = [path for folder in pages_dirs for path in page_files(folder, self.settings["IGNORE_FILES"])]
        self.context["campaign_problems"] = timeline.problems + stray_files(content, pages_dirs, timeline_path, self.settings["IGNORE_FILES"])

    def generate_output(self, writer):
        site_files.write_all(self, writer)


def add_generator(pelican):
    # Sent as each build starts (`pelican --autoreload` builds again and again): an empty folder.
    staging.discard(pelican.output_path)
    pelican.campaign_started_ns = time.time_ns()
    return CampaignGenerator


def all_pages(generator: PagesGenerator):
    return [*generator.pages, *generator.translations, *generator.hidden_pages, *generator.hidden_translations, *generator.draft_pages, *generator.draft_translations]


def check_and_link(generators):
    """Once every file is read: stop on any problem, else link each page to its translations."""
    pages_generator = next(g for g in generators if isinstance(g, PagesGenerator))
    campaign = next(g for g in generators if isinstance(g, CampaignGenerator))
    pages = all_pages(pages_generator)

    problems = list(campaign.context.get("campaign_problems", []))
    for page in pages:
        problems.extend(page.metadata.get("problems", []))
    made = {os.path.abspath(page.source_path) for page in pages}
    for path in campaign.context.get("campaign_page_files", []):
        if os.path.abspath(path) not in made:  # Pelican logged why and left it out: never publish without it
            problems.append(Problem(display_path(path), 0, "", "the build could not make a page of this file (see the message above)", "run `make check`, and fix what it or the message says"))
    problems += validate_site(
        p.campaign_file.record if hasattr(p, "campaign_file") else PageRecord(display_path(p.source_path), p.slug, p.lang) for p in pages
    )
    sources = [p.campaign_file for p in pages if hasattr(p, "campaign_file")]
    problems += validate_links(((f.path, f.source, f.parsed) for f in sources), campaign.settings["PATH"])
    translations_dir = Path(campaign.settings["CAMPAIGN_TRANSLATIONS"])
    templates, mapping = Path(campaign.settings["THEME"]) / "templates", translations_dir.parent / "babel.cfg"
    catalogs = check_catalogs(translations_dir, templates, mapping, display_path, sources=campaign.settings.get("_campaign_catalogs"))
    problems += catalogs.problems
    if problems:
        print(report(problems), file=sys.stderr)
        raise SystemExit(1)
    status = translation_status(sources, campaign.context.get("campaign_timeline"), catalogs)
    if not status.up_to_date:
        print("Translation status (the site is built; `make check` explains each line):", file=sys.stderr)
        print(status.report(limit=10), file=sys.stderr)

    siteurl = campaign.settings.get("SITEURL", "")
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
    try:
        clock = build_clock(os.environ)
    except ClockError as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
    campaign.context["pages_by_slug"] = dict(by_slug)
    campaign.context["nav_by_lang"] = {lang: navigation(items) for lang, items in by_lang.items()}
    campaign.context["documents_by_lang"] = {
        lang: sorted((p for p in items if p.slug != HOME_SLUG), key=lambda p: p.date, reverse=True)
        for lang, items in by_lang.items()
    }
    attach_actions(pages, by_slug, campaign, pages_generator, clock)


DEADLINE_ICS = "deadline.ics"  # written next to each open action's page


def plain_text(text: str) -> str:
    """A typeset title (a no-break space before its last word) as a calendar shows it."""
    return text.replace("\xa0", " ")


def attach_actions(pages, by_slug, campaign, pages_generator, clock):
    """Each action's and petition's state on the build's day (page.action), the home
    page's list of them, and their calendar files (written by site_files)."""
    siteurl = campaign.settings.get("SITEURL", "")
    host = urlsplit(siteurl).hostname or "campaign.invalid"
    short_message = pages_generator.env.get_template("partials/short_message.html")

    def fallback(lang, subject):
        return short_message.render(lang=lang, subject=subject.strip().rstrip(".!。！")).strip()

    calendars, actions_by_lang = [], defaultdict(list)
    for page in pages:
        if getattr(page, "kind", None) not in ("action", "petition"):
            continue
        translations = {code: other.metadata for code, other in by_slug[page.slug].items()}
        page.action = action_view(
            page.kind, page.lang, page.metadata, translations, clock.date(), url=page.absolute_url,
            ics_url=absolute(siteurl, page.url + DEADLINE_ICS), fallback=fallback,
        )
        event = None
        if page.action.is_open:
            event = DeadlineEvent(
                uid=f"{page.slug}-deadline-{page.deadline:%Y%m%d}@{host}",
                deadline=page.deadline,
                summary=plain_text(page.title),
                description=plain_text(page.summary) + (f"\n\n{page.absolute_url}" if siteurl else ""),
                stamp=clock,
                language=page.language.html_lang,
                url=page.absolute_url,
            )
        calendars.append((posixpath.join(posixpath.dirname(page.save_as), DEADLINE_ICS), event))
        actions_by_lang[page.lang].append(page)
    campaign.context["deadline_calendars"] = calendars  # (path in the output, event or None once closed)
    campaign.context["action_states"] = {page.slug: page.action.state for page in pages if hasattr(page, "action")}
    # Open actions, the nearest deadline first; then past ones, the latest first.
    campaign.context["open_actions_by_lang"] = {
        lang: sorted((p for p in items if p.action.is_open), key=lambda p: (p.deadline, p.slug)) for lang, items in actions_by_lang.items()
    }
    campaign.context["past_actions_by_lang"] = {
        lang: sorted((p for p in items if not p.action.is_open), key=lambda p: (p.deadline, p.slug), reverse=True)
        for lang, items in actions_by_lang.items()
    }


NAV_KIND_ORDER = ("home", "action", "petition", "press")


def navigation(pages_in_one_language):
    """The home page and the newest document of each kind, in the campaign's order.

    One link per kind keeps every page's header the same size however many documents
    the site holds (linking them all made each page's work grow with the site's size);
    the home page lists every action and petition with its deadline.
    """
    newest = {}
    for page in sorted(pages_in_one_language, key=lambda p: (-p.date.toordinal(), p.slug)):
        newest.setdefault(page.kind, page)
    return [newest[kind] for kind in NAV_KIND_ORDER if kind in newest]


def install_templating(generator):
    translations = generator.settings.get("_campaign_translations")
    if translations is None:
        # Read once: check_and_link checks the very bytes the pages are translated with.
        catalogs = read_catalogs(Path(generator.settings["CAMPAIGN_TRANSLATIONS"]))
        translations = load_translations(Path(generator.settings["CAMPAIGN_TRANSLATIONS"]), catalogs)
        generator.settings["_campaign_translations"] = translations
        generator.settings["_campaign_catalogs"] = catalogs
    templating.install(generator.env, translations)


def build_aside(pelican):
    """The build writes a new folder beside the output (staging.py), removed if the build fails."""
    output = pelican.output_path
    staging.remove_leftovers(output)
    stage = staging.stage_path(output)
    pelican.output_path = str(stage)  # what Pelican.run hands to every generator and the writer
    pelican.campaign_output = output
    atexit.register(staging.discard, stage)  # a build that stops on a problem, or crashes


def swap_in(pelican):
    """The build succeeded and its last file is written: it becomes the output."""
    if not staging.publish(pelican.output_path, pelican.campaign_output, pelican.campaign_started_ns):
        print(f"A build that started after this one has already replaced {display_path(pelican.campaign_output)}; it stays.", file=sys.stderr)


def register():
    # initialized: before anything is read or written: the build goes to a folder of its own.
    signals.initialized.connect(build_aside)
    # finalized: the build succeeded and its last file is written: it replaces the output whole.
    signals.finalized.connect(swap_in)
    # readers_init: the site's Markdown reader replaces Pelican's for .md files.
    signals.readers_init.connect(add_reader)
    # generator_init: every generator's Jinja environment gets gettext and the filters.
    signals.generator_init.connect(install_templating)
    # get_generators: the timeline, feeds, sitemap, 404 and robots.txt come from one generator.
    signals.get_generators.connect(add_generator)
    # all_generators_finalized: everything is read and nothing written yet, the one
    # moment a bad file can stop the build before any output changes.
    signals.all_generators_finalized.connect(check_and_link)
