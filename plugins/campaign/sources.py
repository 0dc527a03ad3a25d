"""Reading the editors' files into data and problems, the same way for the build and `make check`.

The build's reader and `make check` both call these functions, so an editor sees
the same problem lines from either. Nothing here renders Markdown or imports Pelican.
"""

from __future__ import annotations

import fnmatch
import os
import re
import runpy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import lifecycle
from .build_cache import MarkdownPassages
from .config import cache_folder, setting
from .dates import PartialDate
from .frontmatter import Parsed, control_characters, load_yaml, nearest_line, parse
from .languages import DEFAULT_CODE, LANGUAGES, english_name
from .problems import Problem
from .sanitizer import line_of, sanitize_html
from .site_checks import PageRecord
from .timeline import TimelineEvent, read_status_as_of, validate_timeline
from .traditional import Conversion, page_text
from .validation import SLUG, letter_warnings, validate_page

FILE_LANG = re.compile(r"\.([a-z]{2}(?:[-_][A-Za-z]+)?)\.md$")


def display_path(path: str | os.PathLike) -> str:
    """Paths in messages are relative to where the editor ran the command."""
    path = str(path)
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def file_language(path: str | os.PathLike) -> str | None:
    """The language code in a file name such as urgent-action.nl.md."""
    match = FILE_LANG.search(str(path))
    return match.group(1) if match else None


@dataclass
class PageFile:
    """One document in one language, as read from content/pages/<slug>.<lang>.md."""

    path: str  # as shown in messages
    parsed: Parsed
    problems: list[Problem]
    slug: str
    lang: str
    source: str = ""  # the path on disk
    unreadable: bool = False  # its front matter could not be read: checks across files skip it
    warnings: list[Problem] = field(default_factory=list)  # reported, but the site builds
    generated: bool = False  # made from a page in another language (traditional.py), not written

    @property
    def record(self) -> PageRecord:
        deadline = self.parsed.data.get("deadline")
        return PageRecord(
            self.path,
            self.slug,
            self.lang,
            deadline=str(deadline).strip() if deadline is not None else "",
            deadline_line=self.parsed.line("deadline") if deadline is not None else 0,
            follows=tuple(
                (self.parsed.body_line + line - 1, slug) for line, slug in lifecycle.referenced_slugs(self.parsed.body)
            ),
            readable=not self.unreadable,
        )


def read_text(source_path: str | os.PathLike, shown: str) -> tuple[str | None, list[Problem]]:
    """A file's text. A byte-order mark (as Notepad writes) is dropped; a file not in UTF-8
    is reported on the line of its first unreadable byte."""
    try:
        data = Path(source_path).read_bytes()
    except OSError as error:
        return None, [unreadable(shown, error)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                line,
                "",
                f"the file is not UTF-8 text (it has the byte 0x{data[error.start]:02x}, as other encodings write é, ü or 中)",
                "save it as UTF-8 (in the editor's Save As, choose the encoding UTF-8)",
            )
        ]


def unreadable(path: str, error: Exception) -> Problem:
    return Problem(
        path,
        0,
        "",
        f"the file cannot be read ({error})",
        "check that it is UTF-8 text with front matter between '---' lines",
    )


def read_page(source_path: str | os.PathLike, shown: str | None = None, conversions: Mapping | None = None) -> PageFile:
    """Parse and validate one page file; never raises for anything an editor can write.
    A page of a generated language (languages.py: generated_from) is its source's file,
    converted (conversions: traditional.load()); its own file must not exist."""
    shown = shown or display_path(source_path)
    file_lang = file_language(source_path)
    language = LANGUAGES.get(file_lang)
    if language is not None and language.generated_from:
        return _generated_page(Path(source_path), shown, file_lang, conversions)
    text, problems = read_text(source_path, shown)
    return _parsed_page(source_path, shown, file_lang, text, problems)


def reading_inputs(source_path: str | os.PathLike, shown: str, conversions: Mapping | None = None) -> list | None:
    """Everything read_page's result depends on but its code: the names it is read and shown
    under (display_path depends on the working folder) and the file's bytes; for a generated
    language's page, whether a file was written for it by hand, and its source's name and bytes
    and the conversion. None where a file cannot be read (not worth keeping)."""
    parts: list = [str(source_path), shown, os.getcwd()]
    file = Path(source_path)
    code = file_language(source_path)
    language = LANGUAGES.get(code)
    if language is not None and language.generated_from:
        conversion = _conversion(conversions, code)
        file = source_of_generated(source_path, code)
        parts += [
            str(Path(source_path).exists()),
            str(file),
            conversion.config,
            repr(sorted(conversion.overrides.items())),
        ]
    try:
        return [*parts, file.read_bytes()]
    except OSError:
        return None


def _conversion(conversions: Mapping | None, code: str) -> Conversion:
    """The build's conversion for a generated language (traditional.load), or OpenCC's
    alone where there is no override file."""
    return (conversions or {}).get(code) or Conversion(LANGUAGES[code].conversion)


def source_of_generated(path: str | os.PathLike, code: str) -> Path:
    """home.zh-hant.md -> home.zh.md"""
    path = Path(path)
    return path.with_name(path.name.removesuffix(f".{code}.md") + f".{LANGUAGES[code].generated_from}.md")


def generated_path(path: str | os.PathLike, code: str) -> Path:
    """home.zh.md -> home.zh-hant.md"""
    path = Path(path)
    return path.with_name(path.name.removesuffix(f".{LANGUAGES[code].generated_from}.md") + f".{code}.md")


def _generated_page(path: Path, shown: str, code: str, conversions: Mapping | None) -> PageFile:
    source = source_of_generated(path, code)
    if path.exists():
        page = _parsed_page(path, shown, code, None, [])
        page.problems.append(
            Problem(
                shown,
                0,
                "",
                f"{english_name(code)} pages are made from the {english_name(LANGUAGES[code].generated_from)} "
                f"ones at every build, not written",
                f"delete this file; correct the conversion in translations/{code}/overrides.txt (docs/editing.md)",
            )
        )
        return page
    source_shown = display_path(source)
    text, problems = read_text(source, source_shown)
    if text is not None:
        conversion = _conversion(conversions, code)
        text = page_text(conversion, text, LANGUAGES[code].generated_from, code)
    page = _parsed_page(path, f"{source_shown} (as {code})", code, text, problems)
    page.source, page.generated = str(path), True
    return page


def _parsed_page(source_path, shown: str, file_lang: str | None, text: str | None, problems: list) -> PageFile:
    warnings: list[Problem] = []
    unreadable = text is None
    if text is None:
        parsed = Parsed({}, "")
    else:
        parsed, problems = parse(text, shown)
        unreadable = bool(problems)
        if not problems:  # when the front matter cannot be read, its fields would only repeat that problem
            problems = validate_page(parsed, shown, file_lang)
            if not (file_lang in LANGUAGES and LANGUAGES[file_lang].generated_from):  # its source's warnings
                warnings = letter_warnings(parsed, shown, file_lang)
        # a control character in the text (Word's U+000B): the feeds' XML cannot carry it
        problems += control_characters(parsed.body, shown, parsed.body_line, separators=False)
    data = parsed.data
    lang = data["lang"] if data.get("lang") in LANGUAGES else file_lang if file_lang in LANGUAGES else DEFAULT_CODE
    slug = data.get("slug")
    if not (
        isinstance(slug, str) and SLUG.match(slug)
    ):  # reported by validate_page; an address in the output meanwhile
        slug = re.sub(r"[^a-z0-9]+", "-", Path(source_path).name.split(".")[0].lower()).strip("-") or "page"
    return PageFile(shown, parsed, problems, slug, lang, str(source_path), unreadable, warnings)


def markdown_renderer(settings: dict):
    """A Markdown converter with the site's settings (MARKDOWN in pelicanconf.py)."""
    from markdown import Markdown

    return Markdown(**settings)


def render_body(page: PageFile, markdown, passages: MarkdownPassages | None = None) -> tuple[str, list[Problem]]:
    """The page's body as HTML within the allowlist (sanitizer.py), and a problem, on its
    line, for anything the editor wrote outside it. The build and `make check` both call it.
    passages: Markdown's HTML kept between builds (build_cache.py), which the build passes
    instead of markdown."""
    findings = []
    texts = [block.text for block in lifecycle.split(page.parsed.body)[0]]
    if passages is not None:
        converted = dict(zip(texts, passages.convert_all(texts), strict=True))
    else:
        converted = {text: markdown.reset().convert(text) for text in texts}

    def passage(markdown_text: str) -> str:  # each '::: open' / '::: ended' block on its own (lifecycle.py)
        html, found = sanitize_html(converted[markdown_text])
        findings.extend(found)
        return html

    html = lifecycle.render(page.parsed.body, passage)
    body = page.parsed.body
    return html, [
        Problem(page.path, page.parsed.body_line + line_of(body, f.needle), "body", f.what, f.fix) for f in findings
    ]


# Pelican's default IGNORE_FILES; pelicanconf.py sets its own, which both use.
PELICAN_IGNORE_FILES = (".#*",)
PAGE_EXTENSION = "md"


def ignored(name: str, ignore_files=PELICAN_IGNORE_FILES) -> bool:
    """Pelican's rule (IGNORE_FILES) for a file's or a folder's name."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in ignore_files)


def page_files(pages_dir: str | os.PathLike, ignore_files=PELICAN_IGNORE_FILES) -> list[Path]:
    """The files the build reads as pages, found as Pelican finds them: every .md file below
    the folder, except in folders and files whose name IGNORE_FILES matches."""
    found = []
    for folder, dirs, files in os.walk(pages_dir, followlinks=True):
        dirs[:] = [name for name in dirs if not ignored(name, ignore_files)]
        found += [
            Path(folder) / name
            for name in files
            if not ignored(name, ignore_files) and name.endswith("." + PAGE_EXTENSION)
        ]
    return sorted(found)


def stray_files(
    content_dir: str | os.PathLike, pages_dirs, timeline: str | os.PathLike, ignore_files=PELICAN_IGNORE_FILES
) -> list[Problem]:
    """A file under content/ that the build would not read is reported, not left out in silence:
    an editor who saved a page in the wrong folder or with the wrong ending would never see it."""
    wanted = {Path(timeline).absolute()} | {
        path.absolute() for folder in pages_dirs for path in page_files(folder, ignore_files)
    }
    problems = []
    for folder, dirs, files in os.walk(content_dir, followlinks=True):
        dirs[:] = sorted(name for name in dirs if not ignored(name, ignore_files))
        for name in sorted(files):
            path = Path(folder) / name
            if not ignored(name, ignore_files) and path.absolute() not in wanted:
                problems.append(
                    Problem(
                        display_path(path),
                        0,
                        "",
                        "this file is not part of the site: the build does not read it",
                        "pages go in content/pages/ as <slug>.<lang>.md; move or rename it, or delete it",
                    )
                )
    return problems


@dataclass
class TimelineFile:
    """content/timeline.yaml, read and checked."""

    path: str  # as shown in messages
    data: object = None
    lines: dict[str, int] = field(default_factory=dict)
    events: list[TimelineEvent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    status_as_of: PartialDate | None = None  # when the case's present status was last known true

    def line(self, key: str) -> int:
        return nearest_line(self.lines, key)


def read_timeline(source_path: str | os.PathLike, shown: str | None = None) -> TimelineFile:
    shown = shown or display_path(source_path)
    timeline = TimelineFile(shown)
    if not Path(source_path).is_file():
        timeline.problems.append(
            Problem(
                shown, 0, "", "the timeline file is missing", "create it with 'events:' and one '- date: ...' per event"
            )
        )
        return timeline
    text, timeline.problems = read_text(source_path, shown)
    if text is None:
        return timeline
    timeline.data, timeline.lines, timeline.problems = load_yaml(text, shown)
    if not timeline.problems:
        timeline.events, timeline.problems = validate_timeline(timeline.data, timeline.line, shown)
        timeline.status_as_of, status_problems = read_status_as_of(timeline.data, timeline.line, shown)
        timeline.problems += status_problems
    return timeline


@dataclass
class Locations:
    """Where the editors' files are, as pelicanconf.py says."""

    content: Path
    pages: list[Path]
    timeline: Path
    translations: Path
    templates: Path
    mapping: Path
    markdown: dict = field(default_factory=dict)  # MARKDOWN in the settings
    ignore_files: tuple[str, ...] = PELICAN_IGNORE_FILES  # IGNORE_FILES in the settings: what the build skips
    status_max_age_days: int = 120  # CAMPAIGN_STATUS_MAX_AGE_DAYS
    cache: Path | None = None  # CAMPAIGN_CACHE: what the build keeps between runs, which the check shares

    @classmethod
    def from_settings(
        cls, settings_file: Path, content: Path | None = None, translations: Path | None = None
    ) -> Locations:
        settings_file = Path(settings_file).resolve()
        base = settings_file.parent
        settings = runpy.run_path(str(settings_file), run_name="pelicanconf")  # plain Python: no Pelican import

        def resolve(value: str) -> Path:
            path = Path(value)
            return path if path.is_absolute() else base / path

        content = Path(content).resolve() if content else resolve(settings.get("PATH", "content"))
        translations = (
            Path(translations).resolve() if translations else resolve(setting(settings, "CAMPAIGN_TRANSLATIONS"))
        )
        return cls(
            content=content,
            pages=[content / folder for folder in settings.get("PAGE_PATHS", ["pages"])],
            timeline=content / setting(settings, "CAMPAIGN_TIMELINE"),
            translations=translations,
            templates=resolve(settings.get("THEME", "theme")) / "templates",
            mapping=base / "babel.cfg",
            markdown=settings.get("MARKDOWN", {}),
            ignore_files=tuple(settings.get("IGNORE_FILES", PELICAN_IGNORE_FILES)),
            status_max_age_days=setting(settings, "CAMPAIGN_STATUS_MAX_AGE_DAYS"),
            cache=cache_folder(settings),
        )
