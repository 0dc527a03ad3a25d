"""Pelican glue: the reader, the site generator and the signal handlers.

Everything that decides something lives in the modules beside this one; this file
only connects them to Pelican.
"""

from __future__ import annotations

import logging
import os
import posixpath
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime
from pelican.writers import Writer

from . import build_cache, lifecycle, parallel, render_cache, site_files, stylesheets, templating, up_to_date
from .dates import DateFormatError, parse_date
from .deadlines import ClockError, build_clock
from .ics import DeadlineEvent
from .catalogs import check_catalogs, template_strings
from .i18n import load_translations
from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute, page_save_as, page_url
from .problems import Problem, report
from .sources import display_path, read_page, read_timeline
from .status import translation_status
from .targets import action_view
from .typography import typeset
from .validation import ACTION_FIELDS, COMMON_FIELDS, KINDS, PageRecord, validate_links, validate_site

logger = logging.getLogger(__name__)

PAGE_FIELDS = COMMON_FIELDS | ACTION_FIELDS


class CampaignMarkdownReader(MarkdownReader):
    """Markdown with YAML front matter, validated as it is read.

    Problems are returned in the metadata rather than raised: Pelican would log a
    raised error and drop the page; here every problem of every file is gathered
    and the build stops once, listing them all.

    What read() returns is cached by Pelican (CACHE_CONTENT in pelicanconf.py) and
    reused while the file's text is unchanged, so it must depend on that file alone:
    never on the clock (deadline states are decided in attach_actions) or on other
    files (cross-file checks belong in check_and_link).
    """

    enabled = True
    file_extensions = ["md"]

    def read_ahead(self, source_paths: list[str], processes: int) -> None:
        """Read many files at once on every core; read() then returns their results."""
        results = parallel.map_in_processes(self.read, source_paths, processes)
        if results is not None:
            self._read_ahead = dict(zip(source_paths, results))

    def read(self, source_path):
        ahead = getattr(self, "_read_ahead", {}).pop(source_path, None)
        if ahead is not None:
            return ahead
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

        content = lifecycle.render(parsed.body, lambda text: typeset(self._markdown().convert(text), lang))
        metadata["title"] = typeset(metadata["title"], lang)
        return content, metadata

    def _markdown(self):
        """One Markdown instance for every file, reset in between, as its documentation advises."""
        if getattr(self, "_markdown_instance", None) is None:
            from markdown import Markdown

            self._markdown_instance = Markdown(**self.settings["MARKDOWN"])
        return self._markdown_instance.reset()


def add_reader(readers):
    readers.reader_classes["md"] = CampaignMarkdownReader


def read_pages_ahead(generator):
    """Before the first page is read: read every page the content cache lacks, on every core."""
    if getattr(generator, "_campaign_read_ahead", False):
        return
    generator._campaign_read_ahead = True
    reader = generator.readers.readers.get("md")
    if not isinstance(reader, CampaignMarkdownReader):
        return
    settings = generator.settings
    paths = [os.path.abspath(os.path.join(generator.path, name)) for name in generator.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"])]
    unread = [path for path in paths if path.endswith(".md") and generator.readers.get_cached_data(path, (None, None))[0] is None]
    reader.read_ahead(unread, settings.get("CAMPAIGN_PROCESSES") or parallel.available_cores())


class CampaignGenerator(Generator):
    """Reads the timeline, checks the whole site, and writes the files that are not pages."""

    def generate_context(self):
        timeline = read_timeline(Path(self.settings["PATH"]) / self.settings.get("CAMPAIGN_TIMELINE", "timeline.yaml"))
        self.context["timeline_events"] = timeline.events
        self.context["campaign_timeline"] = timeline
        self.context["campaign_problems"] = list(timeline.problems)

    def generate_output(self, writer):
        site_files.write_all(self, writer)
        if isinstance(writer, CampaignWriter):  # the last generator to write (before static files)
            writer.save_record()


def add_generator(pelican):
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
    problems += validate_site(
        p.campaign_file.record if hasattr(p, "campaign_file") else PageRecord(display_path(p.source_path), p.slug, p.lang) for p in pages
    )
    sources = [p.campaign_file for p in pages if hasattr(p, "campaign_file")]
    problems += validate_links(((f.path, f.source, f.parsed) for f in sources), campaign.settings["PATH"])
    translations_dir = Path(campaign.settings["CAMPAIGN_TRANSLATIONS"])
    templates, mapping = Path(campaign.settings["THEME"]) / "templates", translations_dir.parent / "babel.cfg"
    catalogs = check_catalogs(translations_dir, templates, mapping, display_path, strings=interface_strings(campaign.settings, templates, mapping))
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
    campaign.context[RENDER_SITE_KEY] = render_site_key(campaign.settings, pages, clock)
    campaign.context["pages_by_slug"] = dict(by_slug)
    campaign.context["nav_by_lang"] = {lang: navigation(items) for lang, items in by_lang.items()}
    campaign.context["documents_by_lang"] = {
        lang: sorted((p for p in items if p.slug != HOME_SLUG), key=lambda p: p.date, reverse=True)
        for lang, items in by_lang.items()
    }
    attach_actions(pages, by_slug, campaign, pages_generator, clock)


def interface_strings(settings, templates: Path, mapping: Path):
    """The templates' gettext strings; extracting them takes a tenth of a second, so a
    build keeps them with its cache while the templates and babel.cfg are unchanged."""
    def extract():
        return template_strings(templates, mapping)

    if not settings.get("CACHE_CONTENT"):
        return extract()
    key = render_cache.digest(
        settings.get("_campaign_cache_fingerprint") or "",
        render_cache.files_digest([templates]),
        mapping.read_bytes() if mapping.is_file() else b"",
    )
    return build_cache.remembered(settings["CACHE_PATH"], INTERFACE_STRINGS_FILE, key, extract)


INTERFACE_STRINGS_FILE = "interface-strings"
DEADLINE_ICS = "deadline.ics"  # written next to each open action's page


def plain_text(html: str) -> str:
    """Typeset HTML (a title with &nbsp; before its last word) as text for a calendar."""
    return Markup(html).striptags().replace("\xa0", " ")


def attach_actions(pages, by_slug, campaign, pages_generator, clock):
    """Each action's and petition's state on the build's day (page.action), the home
    page's list of them, and their calendar files (written by site_files)."""
    siteurl = campaign.settings.get("SITEURL", "")
    host = urlsplit(siteurl).hostname or "campaign.invalid"
    short_message = pages_generator.env.get_template("partials/short_message.html")

    def fallback(lang, subject):
        return short_message.render(lang=lang, subject=subject.strip().rstrip(".!。！")).strip()

    copy_message = pages_generator.env.get_template("partials/copy_line.html")

    def copy_line(lang, official):  # what marks the e-mail to a CC address as a copy
        return copy_message.render(lang=lang, name=official.name, title=official.title).strip()

    calendars, actions_by_lang = [], defaultdict(list)
    for page in pages:
        if getattr(page, "kind", None) not in ("action", "petition"):
            continue
        translations = {code: other.metadata for code, other in by_slug[page.slug].items()}
        page.action = action_view(
            page.kind, page.lang, page.metadata, translations, clock.date(), url=page.absolute_url,
            ics_url=absolute(siteurl, page.url + DEADLINE_ICS), fallback=fallback, copy_line=copy_line,
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


RENDER_SITE_KEY = "campaign_render_site_key"  # in the context: what every page's HTML depends on


def render_site_key(settings, pages, clock) -> str:
    """The part of every page's render key that is the same for all pages (render_cache.py)."""
    timeline = Path(settings["PATH"]) / settings.get("CAMPAIGN_TIMELINE", "timeline.yaml")
    parts = [
        settings.get("_campaign_cache_fingerprint") or build_cache.fingerprint(Path(__file__).parent.glob("*.py"), settings, os.getcwd()),
        render_cache.settings_digest(settings),
        render_cache.files_digest([settings["THEME"], settings["CAMPAIGN_TRANSLATIONS"]]),
        timeline.read_bytes() if timeline.is_file() else b"",
        clock.date().isoformat(),
    ]
    for page in sorted(pages, key=lambda p: p.source_path):
        front_matter = page.campaign_file.front_matter_digest if hasattr(page, "campaign_file") else ""
        parts += [page.source_path, page.save_as, page.url, front_matter]
    return render_cache.digest(*parts)


class CampaignWriter(Writer):
    """Pelican's writer, except that an output whose render key and file are as the last
    build left them is not made again (render_cache.py), and that the pages that changed
    are rendered together once all are known, on every core (parallel.py). Forked workers
    render them, so a plugin listening to content_written hears nothing of those pages."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._pending_pages = []
        self._site_key = None
        self._written = set()  # every output this build made or kept, by name
        if self.settings.get("CACHE_CONTENT") and self.settings.get("LOAD_CONTENT_CACHE"):
            self._record = render_cache.RenderRecord.load(self.settings["CACHE_PATH"], self.output_path)
        else:  # --ignore-cache: make everything again (and record it for the next build)
            self._record = render_cache.RenderRecord(os.path.abspath(self.output_path))

    def _key(self, name, *parts):
        return render_cache.output_key(self._site_key, name, *parts) if self._site_key else None

    def is_current(self, name: str, *key_parts: str) -> bool:
        """Whether the output `name`, made from key_parts (besides the site), can be kept."""
        self._written.add(name)
        key = self._key(name, *key_parts)
        return key is not None and self._record.is_current(name, key)

    def wrote(self, name: str, *key_parts: str) -> None:
        key = self._key(name, *key_parts)
        if key is not None:
            self._record.wrote(name, key)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None, override_output=False, url=None, **kwargs):
        page = kwargs.get("page")
        self._site_key = context.get(RENDER_SITE_KEY)
        if page is None or paginated or not name or not self._site_key:
            return super().write_file(name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs)
        # The reader's HTML, before Pelican fills in the {filename} links: the site key
        # holds every page's address, and this skips that work for a page kept as it is.
        key_parts = (template.name, page._content or "")
        if not self.is_current(name, *key_parts):
            self._pending_pages.append((key_parts, (name, template, context, relative_urls, paginated, template_name, override_output, url), kwargs))
        return None

    def render_pending_pages(self) -> None:
        pending, self._pending_pages = self._pending_pages, []

        def render(index: int) -> None:
            _, args, kwargs = pending[index]
            Writer.write_file(self, *args, **kwargs)

        processes = self.settings.get("CAMPAIGN_PROCESSES") or parallel.available_cores()
        if parallel.map_in_processes(render, range(len(pending)), processes) is None:
            for index in range(len(pending)):
                render(index)
        for key_parts, (name, *_), _ in pending:
            self.wrote(name, *key_parts)

    def save_record(self) -> None:
        """After the last output: what the next build may keep."""
        if self.settings.get("CACHE_CONTENT"):
            self._record.pages = {name: entry for name, entry in self._record.pages.items() if name in self._written}
            self._record.save(self.settings["CACHE_PATH"])


def add_writer(pelican):
    return CampaignWriter


def render_pending_pages(generator, writer):
    if isinstance(writer, CampaignWriter):
        writer.render_pending_pages()


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
        translations = load_translations(Path(generator.settings["CAMPAIGN_TRANSLATIONS"]))
        generator.settings["_campaign_translations"] = translations
    templating.install(generator.env, translations)
    if generator.settings.get("CACHE_CONTENT"):
        # Compiled templates are kept with the content cache (Jinja checks each against its
        # source): every generator has its own Jinja environment, so without it a build
        # compiles shared templates more than once, and every rebuild compiles them all.
        templates = Path(generator.settings["CACHE_PATH"]) / build_cache.TEMPLATES_FOLDER
        templates.mkdir(parents=True, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(str(templates))


def place_caches(pelican):
    """The content cache goes beside the output, and is reused only if this code made it."""
    settings = pelican.settings
    settings["CACHE_PATH"] = build_cache.cache_path(settings["CACHE_PATH"], settings["OUTPUT_PATH"])
    if settings.get("CACHE_CONTENT"):
        current = build_cache.fingerprint(Path(__file__).parent.glob("*.py"), settings, os.getcwd())
        settings["_campaign_cache_fingerprint"] = current
        if not build_cache.is_current(settings["CACHE_PATH"], current):
            build_cache.forget(settings["CACHE_PATH"])


def prepare_build(pelican):
    place_caches(pelican)
    skip_unchanged_builds(pelican)  # its digest holds the cache's fingerprint, made just above


def build_inputs(settings) -> str | None:
    """A digest of everything a build reads (up_to_date.py); None when the clock is unreadable
    (the build then says so)."""
    try:
        day = build_clock(os.environ).date().isoformat()
    except ClockError:
        return None
    mapping = Path(settings["CAMPAIGN_TRANSLATIONS"]).parent / "babel.cfg"
    return render_cache.digest(
        settings.get("_campaign_cache_fingerprint") or "",
        render_cache.settings_digest(settings),
        render_cache.files_digest([settings["PATH"], settings["THEME"], settings["CAMPAIGN_TRANSLATIONS"]]),
        mapping.read_bytes() if mapping.is_file() else b"",
        day,
    )


def skip_unchanged_builds(pelican):
    """Pelican.run, except when nothing changed since the last build that succeeded."""
    settings = pelican.settings
    if not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return  # --ignore-cache, or no cache at all: always build
    build = pelican.run

    def run():
        inputs = build_inputs(settings)
        if inputs and up_to_date.is_up_to_date(settings["CACHE_PATH"], inputs, settings["OUTPUT_PATH"]):
            print(f"Done: nothing changed since the last build; {display_path(settings['OUTPUT_PATH'])} is up to date.")
            return None
        up_to_date.forget(settings["CACHE_PATH"])  # until this build succeeds
        settings["_campaign_build_inputs"] = inputs
        return build()

    pelican.run = run  # per instance: `pelican --autoreload` asks again before every build


def finish_build(pelican):
    """The stylesheets lose their comments (stylesheets.py), then the build is recorded as it is served."""
    stylesheets.strip_folder(Path(pelican.settings["OUTPUT_PATH"]) / pelican.settings["THEME_STATIC_DIR"])
    record_build(pelican)


def record_build(pelican):
    inputs = pelican.settings.get("_campaign_build_inputs")
    if inputs:
        up_to_date.record(pelican.settings["CACHE_PATH"], inputs, pelican.settings["OUTPUT_PATH"])


def remember_cache(generator):
    current = generator.settings.get("_campaign_cache_fingerprint")
    saved_file = getattr(generator.readers, "_cache_path", None)
    if current and saved_file:
        build_cache.remember(generator.settings["CACHE_PATH"], current, saved_file, generator.settings.get("GZIP_CACHE", True))


def register():
    # initialized: settings are final and nothing is read yet: place the content cache,
    # and let a build with nothing to do stop before it reads anything.
    signals.initialized.connect(prepare_build)
    # finalized: the build succeeded and its last file is written: strip the stylesheets'
    # comments, then record what it read and wrote.
    signals.finalized.connect(finish_build)
    # page_generator_finalized: Pelican has just saved the content cache: mark it as this code's.
    signals.page_generator_finalized.connect(remember_cache)
    # readers_init: the site's Markdown reader replaces Pelican's for .md files.
    signals.readers_init.connect(add_reader)
    # page_generator_preread: sent before each page is read; the first time, all are read at once.
    signals.page_generator_preread.connect(read_pages_ahead)
    # generator_init: every generator's Jinja environment gets gettext and the filters.
    signals.generator_init.connect(install_templating)
    # get_generators: the timeline, feeds, sitemap, 404 and robots.txt come from one generator.
    signals.get_generators.connect(add_generator)
    # all_generators_finalized: everything is read and nothing written yet, the one
    # moment a bad file can stop the build before any output changes.
    signals.all_generators_finalized.connect(check_and_link)
    # get_writer: pages whose output would not change are not rendered again.
    signals.get_writer.connect(add_writer)
    # page_writer_finalized: every page has been handed to the writer: render those that changed.
    signals.page_writer_finalized.connect(render_pending_pages)
