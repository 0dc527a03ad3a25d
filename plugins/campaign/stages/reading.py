"""Reading: each Markdown file becomes a page, checked as it is read (stages/__init__.py)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican.contents import Page
from pelican.readers import MarkdownReader, default_metadata
from pelican.utils import SafeDatetime

from ..build_cache import MarkdownPassages, ReadPages
from ..config import BUILD_STATE, cache_folder
from ..dates import DateFormatError, parse_date
from ..languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, page_save_as, page_url
from ..schema import ACTION_FIELDS, COMMON_FIELDS, PAGE_KINDS
from ..sources import (
    display_path,
    generated_path,
    markdown_renderer,
    read_page,
    reading_inputs,
    render_body,
    unreadable,
)
from ..typography import typeset, typeset_title
from . import writing

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
        read_ahead = getattr(self, "_read_ahead", None)
        if read_ahead and source_path in read_ahead:
            return read_ahead.pop(source_path)
        path = display_path(source_path)
        try:
            return self._read(source_path, path)
        except Exception as error:  # an editor's file must never end the build with a traceback
            logger.debug("reading %s failed", path, exc_info=True)
            return "", {
                "title": path,
                "problems": [unreadable(path, error)],
                "lang": DEFAULT_CODE,
                "slug": Path(path).stem,
            }

    def _read(self, source_path, path):
        conversions = self.settings[BUILD_STATE].conversions
        inputs = reading_inputs(source_path, path, conversions)
        return self._kept_pages().read(inputs, lambda: self._read_now(source_path, path, conversions))

    def _read_now(self, source_path, path, conversions):
        # a generated language's page is its source's, converted
        page_file = read_page(source_path, path, conversions)  # the same reading and checks as `make check`
        parsed, lang, slug = page_file.parsed, page_file.lang, page_file.slug

        data = parsed.data
        # Only the fields the site knows reach Pelican: an unknown one is reported as a problem,
        # and some (translation: true, save_as, status, author) would crash or drop the page first.
        metadata = {key: value for key, value in data.items() if key in PAGE_FIELDS and key not in ("date", "deadline")}
        metadata.update(lang=lang, slug=slug, problems=page_file.problems, title=str(data.get("title") or path))
        metadata["campaign_file"] = page_file  # for the translation status
        kind = PAGE_KINDS.get(data.get("kind"))  # Pelican adds the .html
        metadata["template"] = kind.template.removesuffix(".html") if kind else "page"
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

        html, body_problems = render_body(page_file, None, self._passages())
        page_file.problems.extend(body_problems)
        content = typeset(html, lang)
        metadata["title"] = typeset_title(metadata["title"], lang)  # text: the templates escape it
        if isinstance(metadata.get("summary"), str):  # typeset like the page around it (curly quotes)
            metadata["summary"] = typeset_title(metadata["summary"], lang)
        return content, metadata

    def _markdown(self):
        """One Markdown instance for every file (render_body resets it in between)."""
        if getattr(self, "_markdown_instance", None) is None:
            self._markdown_instance = markdown_renderer(self.settings["MARKDOWN"])
        return self._markdown_instance

    def _kept_pages(self):
        """What reading made of each file, kept between builds (build_cache.py)."""
        if getattr(self, "_kept_pages_instance", None) is None:
            self._kept_pages_instance = ReadPages(cache_folder(self.settings), self.settings["MARKDOWN"])
        return self._kept_pages_instance

    def _passages(self):
        """Its HTML of a page's passages, kept between builds (build_cache.py)."""
        if getattr(self, "_passages_instance", None) is None:
            settings, folder = self.settings["MARKDOWN"], cache_folder(self.settings)
            self._passages_instance = MarkdownPassages(self._markdown, settings, folder)
        return self._passages_instance


def add_reader(readers):
    readers.reader_classes["md"] = CampaignMarkdownReader


def add_generated_pages(generator):
    """Each page of a generated language (Traditional Chinese): its source language's page,
    read again through the reader, which converts it (sources.read_page). Pelican lists only
    the files on disk, so the generated ones are added here, as Pelican adds a page it read
    (readers.read_file would look for the file's modification time, and warn)."""
    lists = {
        "published": generator.translations,
        "hidden": generator.hidden_translations,
        "draft": generator.draft_translations,
    }
    written = [*generator.pages, *generator.translations, *generator.hidden_pages, *generator.hidden_translations]
    for code, language in LANGUAGES.items():
        if not language.generated_from:
            continue
        for source in [page for page in written if page.lang == language.generated_from]:
            path = generated_path(source.source_path, code)
            if path.exists():  # written by hand: read as a file already, and reported
                continue
            content, metadata = generator.readers.readers["md"].read(str(path))
            metadata = {**default_metadata(generator.settings), **metadata}
            page = Page(
                content, metadata, settings=generator.settings, source_path=str(path), context=generator.context
            )
            generator.add_source_path(page)
            lists.get(page.status, generator.translations).append(page)


def read_ahead(generator):
    """As Pelican is about to read the first page: every page is read now, in shares, by
    this process and forked workers (writing.share_work); Pelican's loop then takes each
    page's result (read() is a pure function of its file, so it is the same result)."""
    reader = generator.readers.readers.get("md")
    if not isinstance(reader, CampaignMarkdownReader) or getattr(reader, "_read_ahead", None) is not None:
        return
    reader._read_ahead = {}
    settings = generator.settings
    paths = sorted(
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"])
        if name.endswith(".md")
    )
    # and each generated language's page of a source file (add_generated_pages asks for them once
    # Pelican has read the files; a page whose file does not exist is read as its source's, converted)
    on_disk = set(paths)
    for code, language in LANGUAGES.items():
        if language.generated_from:
            made = (str(generated_path(p, code)) for p in paths if p.endswith(f".{language.generated_from}.md"))
            paths += sorted(path for path in made if path not in on_disk)
    count = writing.processes(settings, len(paths))
    if count < 2:
        return
    shares = [paths[share::count] for share in range(count)]
    results = writing.share_work(
        count, lambda share: {path: reader.read(path) for path in shares[share]}, "reading pages"
    )
    for result in results:
        reader._read_ahead.update(result)
