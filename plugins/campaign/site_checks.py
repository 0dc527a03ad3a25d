"""Checks across files: every document in every language, one deadline per document,
blocks and links that name documents that exist."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import DateFormatError, parse_date
from .frontmatter import Parsed
from .languages import DEFAULT_CODE, LANGUAGES, written
from .problems import Problem


@dataclass(frozen=True)
class PageRecord:
    """What the site-wide checks need to know of one page."""

    path: str
    slug: str
    lang: str
    deadline: str = ""  # as written; the same in every language
    deadline_line: int = 0
    follows: tuple[tuple[int, str], ...] = ()  # (line, slug) of '::: open <slug>' blocks
    readable: bool = True  # False: its front matter could not be read (reported); compared with nothing


def validate_site(pages: Iterable[PageRecord]) -> list[Problem]:
    """Every document in every language, no two files for one slug and language, one
    deadline for all of a document's translations, and blocks that follow a deadline
    naming a document that has one."""
    problems: list[Problem] = []
    everything = list(pages)
    # A file that could not be read is reported once, for itself: its slug, language and
    # deadline are guesses, and comparing them would blame the other files (N13).
    pages = [page for page in everything if page.readable]
    guessed = {page.slug for page in everything if not page.readable}
    by_slug: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        by_slug[page.slug][page.lang].append(page.path)
    problems += _deadlines_agree([page for page in pages if page.slug not in guessed])
    deadlines = {page.slug for page in pages if page.deadline}
    for page in pages:
        for line, slug in page.follows:
            if slug not in deadlines:
                problems.append(
                    Problem(
                        page.path,
                        line,
                        "body",
                        f"'{slug}' is not a document with a deadline",
                        "name an action or petition by its slug "
                        f"(one of: {', '.join(sorted(deadlines)) or 'none yet'})",
                    )
                )
    for slug, by_lang in sorted(by_slug.items()):
        for lang, paths in sorted(by_lang.items()):
            if len(paths) > 1:
                for path in sorted(paths)[1:]:
                    problems.append(
                        Problem(
                            path,
                            1,
                            "slug",
                            f"'{slug}' in '{lang}' is also used by {sorted(paths)[0]}",
                            "give one of the two files another slug or language",
                        )
                    )
        # the file to translate from: the English, the original, where there is one
        some_path = sorted(by_lang.get(DEFAULT_CODE) or [p for paths in by_lang.values() for p in paths])[0]
        for lang in written() if slug not in guessed else ():  # a generated language's pages are made
            if lang not in by_lang:
                folder = some_path.rpartition("/")[0]
                expected = f"{folder}/{slug}.{lang}.md" if folder else f"{slug}.{lang}.md"
                problems.append(
                    Problem(
                        expected,
                        0,
                        "lang",
                        f"'{slug}' has no {LANGUAGES[lang].name} version",
                        f"create {expected} (copy {some_path} and translate it)",
                    )
                )
    return problems


def _deadlines_agree(pages: list[PageRecord]) -> list[Problem]:
    """A deadline decides whether a page asks readers to act: every language must agree."""
    problems = []
    by_slug: dict[str, list[PageRecord]] = defaultdict(list)
    for page in pages:
        if page.deadline:
            try:
                parse_date(page.deadline)
            except DateFormatError:
                continue  # reported with its own fix; comparing it would only repeat that
        by_slug[page.slug].append(page)
    for _slug, records in sorted(by_slug.items()):
        records.sort(key=lambda r: (r.lang != DEFAULT_CODE, r.path))
        first = records[0]
        for other in records[1:]:
            if other.deadline != first.deadline:
                theirs = f"'{first.deadline}'" if first.deadline else "no deadline"
                mine = f"'{other.deadline}'" if other.deadline else "no deadline"
                problems.append(
                    Problem(
                        other.path,
                        other.deadline_line,
                        "deadline",
                        f"is {mine} but {first.path} has {theirs}",
                        "give every translation of a document the same deadline",
                    )
                )
    return problems


INTERNAL_LINK = re.compile(r"[{|]filename[}|]([^)\s\"'>]+)")


def validate_links(pages: Iterable[tuple[str, str, Parsed]], content_root: str) -> list[Problem]:
    """pages: (path as shown, path on disk, parsed). A {filename} link must name a file that exists,
    or Pelican leaves it broken on the published page (and only logs a warning)."""
    problems: list[Problem] = []
    for shown, source, parsed in pages:
        for number, line in enumerate(parsed.body.split("\n")):
            for match in INTERNAL_LINK.finditer(line):
                target = re.split(r"[#?]", match.group(1))[0]
                folder = content_root if target.startswith("/") else os.path.dirname(source)
                if target and not os.path.isfile(os.path.join(folder, target.lstrip("/"))):
                    problems.append(
                        Problem(
                            shown,
                            parsed.body_line + number,
                            "body",
                            f"links to {{filename}}{target}, which does not exist",
                            "correct the file name (pages are linked as {filename}<slug>.<lang>.md) or remove the link",
                        )
                    )
    return problems
