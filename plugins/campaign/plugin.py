"""Pelican glue: the reader, the site generator and the signal handlers.

Everything that decides something lives in the modules beside this one; this file
only connects them to Pelican.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from pelican import signals
from pelican.generators import Generator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime

from . import site_files, templating
from .dates import DateFormatError, parse_date
from .frontmatter import load_yaml, parse
from .i18n import load_translations
from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, absolute, page_save_as, page_url
from .problems import Problem, report
from .typography import typeset
from .validation import PageRecord, validate_page, validate_site, validate_timeline

logger = logging.getLogger(__name__)

_FILE_LANG = re.compile(r"\.([a-z]{2}(?:[-_][A-Za-z]+)?)\.md$")


def display_path(path: str) -> str:
    """Paths in messages are relative to where the editor ran the build."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


class CampaignMarkdownReader(MarkdownReader):
    """Markdown with YAML front matter, validated as it is read.

    Problems are returned in the metadata rather than raised: Pelican would log a
    raised error and drop the page; here every problem of every file is gathered
    and the build stops once, listing them all.
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
        text = Path(source_path).read_text(encoding="utf-8")
        parsed, problems = parse(text, path)
        match = _FILE_LANG.search(source_path)
        problems += validate_page(parsed, path, match.group(1) if match else None)

        data = parsed.data
        lang = data.get("lang") if data.get("lang") in LANGUAGES else DEFAULT_CODE
        slug = str(data.get("slug") or Path(source_path).name.split(".")[0])
        metadata = {key: value for key, value in data.items() if key not in ("date", "deadline")}
        metadata.update(lang=lang, slug=slug, problems=problems, title=str(data.get("title") or path))
        metadata["template"] = data.get("kind") if data.get("kind") in ("home", "press", "action", "petition") else "page"
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

        self._source_path = source_path
        self._md = self._markdown()
        content = typeset(self._md.convert(parsed.body), lang)
        metadata["title"] = typeset(metadata["title"], lang)
        return content, metadata

    def _markdown(self):
        from markdown import Markdown

        return Markdown(**self.settings["MARKDOWN"])


def add_reader(readers):
    readers.reader_classes["md"] = CampaignMarkdownReader


class CampaignGenerator(Generator):
    """Reads the timeline, checks the whole site, and writes the files that are not pages."""

    def generate_context(self):
        timeline_path = Path(self.settings["PATH"]) / self.settings.get("CAMPAIGN_TIMELINE", "timeline.yaml")
        problems: list[Problem] = []
        events = []
        shown = display_path(str(timeline_path))
        if timeline_path.exists():
            data, lines, problems = load_yaml(timeline_path.read_text(encoding="utf-8"), shown)
            if not problems:
                lines_of = lambda key: lines.get(key) or lines.get(key.rpartition(".")[0], 1)  # noqa: E731
                events, problems = validate_timeline(data, lines_of, shown)
        else:
            problems.append(Problem(shown, 0, "", "the timeline file is missing", "create it with 'events:' and one '- date: ...' per event"))
        self.context["timeline_events"] = events
        self.context["campaign_problems"] = problems

    def generate_output(self, writer):
        site_files.write_all(self, writer)


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
    problems += validate_site(PageRecord(display_path(p.source_path), p.slug, p.lang) for p in pages)
    if problems:
        print(report(problems), file=sys.stderr)
        raise SystemExit(1)

    siteurl = campaign.settings.get("SITEURL", "")
    by_slug = defaultdict(dict)
    by_lang = defaultdict(list)
    for page in pages:
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
    campaign.context["pages_by_slug"] = dict(by_slug)
    kind_order = {"home": 0, "action": 1, "petition": 2, "press": 3}
    campaign.context["nav_by_lang"] = {
        lang: sorted(items, key=lambda p: (kind_order.get(p.kind, 9), -p.date.toordinal(), p.slug)) for lang, items in by_lang.items()
    }
    campaign.context["documents_by_lang"] = {
        lang: sorted((p for p in items if p.slug != HOME_SLUG), key=lambda p: p.date, reverse=True)
        for lang, items in by_lang.items()
    }


def install_templating(generator):
    translations = generator.settings.get("_campaign_translations")
    if translations is None:
        translations = load_translations(Path(generator.settings["CAMPAIGN_TRANSLATIONS"]))
        generator.settings["_campaign_translations"] = translations
    templating.install(generator.env, translations)


def register():
    # readers_init: the site's Markdown reader replaces Pelican's for .md files.
    signals.readers_init.connect(add_reader)
    # generator_init: every generator's Jinja environment gets gettext and the filters.
    signals.generator_init.connect(install_templating)
    # get_generators: the timeline, feeds, sitemap, 404 and robots.txt come from one generator.
    signals.get_generators.connect(add_generator)
    # all_generators_finalized: everything is read and nothing written yet, the one
    # moment a bad file can stop the build before any output changes.
    signals.all_generators_finalized.connect(check_and_link)
