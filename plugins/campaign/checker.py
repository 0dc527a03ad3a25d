"""The checks every field of an editor's file goes through: one Problem per mistake, with its line and fix."""

from __future__ import annotations

import re

from .dates import DateFormatError, parse_date
from .frontmatter import Parsed
from .languages import written
from .problems import Problem

# `make new` fills every field with "TODO ..."; a page still saying TODO is not ready to publish.
PLACEHOLDER = re.compile(r"\bTODO\b")
LANG_CODES = ", ".join(written())  # those editors write; a generated one is made


# Front matter Pelican's own themes use, which editors may copy from its documentation.
PELICAN_FIELDS = {
    "translation": "a document's translations are linked by their shared slug",
    "status": "every page in content/pages is published",
    "template": "the page's kind chooses its template",
    "save_as": "the page's address follows from its slug and lang",
    "url": "the page's address follows from its slug and lang",
}


def yaml_surprise(value: object) -> str | None:
    if isinstance(value, bool):
        return "was read as a yes/no value"
    if isinstance(value, (int, float)):
        return "was read as a number"
    return None


def placeholders(node: object, key: str = "") -> dict[str, str]:
    """Every value that still contains the TODO placeholder, by key (as in Parsed.lines)."""
    if isinstance(node, str):
        return {key: node} if PLACEHOLDER.search(node) else {}
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for name, value in node.items():
            found.update(placeholders(value, f"{key}.{name}" if key else str(name)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.update(placeholders(value, f"{key}[{index}]"))
    return found


def strings(node: object, key: str = ""):
    """Every text value in the front matter, with its key (as in Parsed.lines)."""
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from strings(value, f"{key}.{name}" if key else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{key}[{index}]")


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class Checker:
    def __init__(self, parsed: Parsed, path: str):
        self.parsed = parsed
        self.path = path
        self.problems: list[Problem] = []
        self.placeholders = placeholders(parsed.data)  # reported once here, skipped by the checks below
        for key, value in self.placeholders.items():
            lines = value.rstrip("\n").split("\n")
            # a block such as 'body: |' starts on the line after its key: name each TODO line in it
            found = (
                [(parsed.line(key) + 1 + index, text) for index, text in enumerate(lines) if PLACEHOLDER.search(text)]
                if len(lines) > 1
                else [(parsed.line(key), value)]
            )
            for line, text in found:
                self.problems.append(
                    Problem(
                        path,
                        line,
                        key,
                        f"still has the placeholder '{shorten(text)}'",
                        "write the real text in its place",
                    )
                )

    def add(self, key: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, self.parsed.line(key), key, message, fix))

    def text(self, data: dict, key: str, name: str, required: bool = True, example: str = "") -> str | None:
        if key in self.placeholders:
            return None
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                hint = f", e.g. {name}: {example}" if example else ""
                self.add(key, "is missing", f"add a line '{name}: ...'{hint}")
            return None
        surprise = yaml_surprise(value)
        if isinstance(value, bool):  # the editor wrote yes, no, true, false, on or off: which is lost
            self.add(
                key,
                f"{surprise} ({value!r}), not text",
                f'put the value in quotes, as in {name}: "..." '
                "(unquoted yes, no, true, false, on and off are read as yes/no)",
            )
            return None
        if surprise:
            self.add(key, f"{surprise} ({value!r}), not text", f'put the value in quotes: {name}: "{value}"')
            return None
        if not isinstance(value, str):
            self.add(key, "should be a single line of text", f'write it as {name}: "..."')
            return None
        return value

    def date(self, data: dict, key: str, name: str, required: bool = True):
        if key in self.placeholders:
            return None
        value = data.get(name)
        if value is None:
            if required:
                self.add(key, "is missing", f"add a line '{name}: YYYY-MM-DD'")
            return None
        try:
            return parse_date(value)
        except DateFormatError as error:
            self.add(key, str(error), f"write the date as YYYY-MM-DD, e.g. {name}: 2025-03-18")
            return None

    def unknown(self, data: dict, prefix: str, known: set[str]) -> None:
        for name in data:
            if name not in known:
                key = f"{prefix}{name}"
                if not prefix and name in PELICAN_FIELDS:
                    self.add(
                        key, "is a Pelican field this site does not use", f"remove the line: {PELICAN_FIELDS[name]}"
                    )
                else:
                    self.add(
                        key,
                        "is not a field this site knows",
                        f"remove it or correct the spelling (known: {', '.join(sorted(known))})",
                    )
