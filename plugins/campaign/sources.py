"""Reading the editors' files into data and problems, the same way for the build and `make check`.

The build's reader and `make check` both call these functions, so an editor sees
the same problem lines from either. Nothing here renders Markdown or imports Pelican.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import Parsed, load_yaml, nearest_line, parse
from .languages import DEFAULT_CODE, LANGUAGES
from .problems import Problem
from .sanitizer import line_of, sanitize_html
from .validation import PageRecord, TimelineEvent, validate_page, validate_timeline

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

    @property
    def record(self) -> PageRecord:
        return PageRecord(self.path, self.slug, self.lang)


def unreadable(path: str, error: Exception) -> Problem:
    return Problem(path, 0, "", f"the file cannot be read ({error})", "check that it is UTF-8 text with front matter between '---' lines")


def read_page(source_path: str | os.PathLike, shown: str | None = None) -> PageFile:
    """Parse and validate one page file; never raises for anything an editor can write."""
    shown = shown or display_path(source_path)
    file_lang = file_language(source_path)
    text = ""
    try:
        text = Path(source_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        parsed, problems = Parsed({}, ""), [unreadable(shown, error)]
    else:
        parsed, problems = parse(text, shown)
        if not problems:  # when the front matter cannot be read, its fields would only repeat that problem
            problems = validate_page(parsed, shown, file_lang)
    data = parsed.data
    if data.get("lang") in LANGUAGES:
        lang = data["lang"]
    else:
        lang = file_lang if file_lang in LANGUAGES else DEFAULT_CODE
    slug = data.get("slug")
    slug = slug if isinstance(slug, str) and slug.strip() else Path(source_path).name.split(".")[0]
    return PageFile(shown, parsed, problems, slug, lang, str(source_path))


def markdown_renderer(settings: dict):
    """A Markdown converter with the site's settings (MARKDOWN in pelicanconf.py)."""
    from markdown import Markdown

    return Markdown(**settings)


def render_body(page: PageFile, markdown) -> tuple[str, list[Problem]]:
    """The page's body as HTML within the allowlist (sanitizer.py), and a problem, on its
    line, for anything the editor wrote outside it. The build and `make check` both call it."""
    html, findings = sanitize_html(markdown.reset().convert(page.parsed.body))
    body = page.parsed.body
    return html, [Problem(page.path, page.parsed.body_line + line_of(body, f.needle), "body", f.what, f.fix) for f in findings]


def page_files(pages_dir: str | os.PathLike) -> list[Path]:
    """The files the build reads as pages: every .md below the folder, as Pelican finds them."""
    pages_dir = Path(pages_dir)
    if not pages_dir.is_dir():
        return []
    found = []
    for path in sorted(pages_dir.rglob("*.md")):
        parts = path.relative_to(pages_dir).parts
        if any(part.startswith(".") for part in parts):  # editors' backup and lock files (.#x.md)
            continue
        if path.is_file():
            found.append(path)
    return found


@dataclass
class TimelineFile:
    """content/timeline.yaml, read and checked."""

    path: str  # as shown in messages
    data: object = None
    lines: dict[str, int] = field(default_factory=dict)
    events: list[TimelineEvent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def line(self, key: str) -> int:
        return nearest_line(self.lines, key)


def read_timeline(source_path: str | os.PathLike, shown: str | None = None) -> TimelineFile:
    shown = shown or display_path(source_path)
    timeline = TimelineFile(shown)
    try:
        text = Path(source_path).read_text(encoding="utf-8")
    except FileNotFoundError:
        timeline.problems.append(Problem(shown, 0, "", "the timeline file is missing", "create it with 'events:' and one '- date: ...' per event"))
        return timeline
    except (OSError, UnicodeDecodeError) as error:
        timeline.problems.append(unreadable(shown, error))
        return timeline
    timeline.data, timeline.lines, timeline.problems = load_yaml(text, shown)
    if not timeline.problems:
        timeline.events, timeline.problems = validate_timeline(timeline.data, timeline.line, shown)
    return timeline
