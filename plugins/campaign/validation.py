"""Checks on what editors write. Each problem names the file, the line, the field and the fix."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import DateFormatError, PartialDate, parse_date
from .frontmatter import Parsed
from .languages import DEFAULT_CODE, LANGUAGES
from . import lifecycle
from .mailto import MAX_LENGTH, letter_text, mailto_url
from .problems import Problem

KINDS = ("home", "press", "action", "petition")
ACTION_KINDS = ("action", "petition")
ROLES = ("target", "cc")

COMMON_FIELDS = {"title", "lang", "slug", "kind", "date", "summary", "timeline", "translation_of"}  # translation_of: see status.py
ACTION_FIELDS = {"deadline", "report_url", "reference", "preferred_languages", "targets", "letter"}
TARGET_FIELDS = {"name", "title", "organization", "address", "email", "salutation", "role", "priority", "reason"}
LETTER_FIELDS = {"subject", "addressee", "salutation", "body", "short_body"}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
RAW_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)
# `make new` fills every field with "TODO ..."; a page still saying TODO is not ready to publish.
PLACEHOLDER = re.compile(r"\bTODO\b")
LANG_CODES = ", ".join(LANGUAGES)

# Front matter Pelican's own themes use, which editors may copy from its documentation.
PELICAN_FIELDS = {
    "translation": "a document's translations are linked by their shared slug",
    "status": "every page in content/pages is published",
    "template": "the page's kind chooses its template",
    "save_as": "the page's address follows from its slug and lang",
    "url": "the page's address follows from its slug and lang",
}


def _yaml_surprise(value: object) -> str | None:
    if isinstance(value, bool):
        return "was read as a yes/no value"
    if isinstance(value, (int, float)):
        return "was read as a number"
    return None


def _placeholders(node: object, key: str = "") -> dict[str, str]:
    """Every value that still contains the TODO placeholder, by key (as in Parsed.lines)."""
    if isinstance(node, str):
        return {key: node} if PLACEHOLDER.search(node) else {}
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for name, value in node.items():
            found.update(_placeholders(value, f"{key}.{name}" if key else str(name)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.update(_placeholders(value, f"{key}[{index}]"))
    return found


def _strings(node: object, key: str = ""):
    """Every text value in the front matter, with its key (as in Parsed.lines)."""
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from _strings(value, f"{key}.{name}" if key else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{key}[{index}]")


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Checker:
    def __init__(self, parsed: Parsed, path: str):
        self.parsed = parsed
        self.path = path
        self.problems: list[Problem] = []
        self.placeholders = _placeholders(parsed.data)  # reported once here, skipped by the checks below
        for key, value in self.placeholders.items():
            lines = value.rstrip("\n").split("\n")
            # a block such as 'body: |' starts on the line after its key: name each TODO line in it
            found = [(parsed.line(key) + 1 + index, text) for index, text in enumerate(lines) if PLACEHOLDER.search(text)] if len(lines) > 1 else [(parsed.line(key), value)]
            for line, text in found:
                self.problems.append(Problem(path, line, key, f"still has the placeholder '{_shorten(text)}'", "write the real text in its place"))

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
        surprise = _yaml_surprise(value)
        if isinstance(value, bool):  # the editor wrote yes, no, true, false, on or off: which is lost
            self.add(key, f"{surprise} ({value!r}), not text", f"put the value in quotes, as in {name}: \"...\" (unquoted yes, no, true, false, on and off are read as yes/no)")
            return None
        if surprise:
            self.add(key, f"{surprise} ({value!r}), not text", f"put the value in quotes: {name}: \"{value}\"")
            return None
        if not isinstance(value, str):
            self.add(key, "should be a single line of text", f"write it as {name}: \"...\"")
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
                    self.add(key, "is a Pelican field this site does not use", f"remove the line: {PELICAN_FIELDS[name]}")
                else:
                    self.add(key, "is not a field this site knows", f"remove it or correct the spelling (known: {', '.join(sorted(known))})")


def validate_page(parsed: Parsed, path: str, file_lang: str | None = None) -> list[Problem]:
    """Check one page's front matter and body; file_lang is the language in its file name."""
    check = _Checker(parsed, path)
    data = parsed.data
    check.text(data, "title", "title")
    check.text(data, "summary", "summary")
    slug = check.text(data, "slug", "slug", example="urgent-action")
    if slug and not SLUG.match(slug):
        check.add("slug", f"'{slug}' is not a valid slug", "use lower-case letters, digits and hyphens, e.g. slug: urgent-action")
    lang = check.text(data, "lang", "lang", example="en")
    if lang and lang not in LANGUAGES:
        check.add("lang", f"'{lang}' is not one of the site's languages", f"use one of {LANG_CODES}")
    elif lang and file_lang and file_lang != lang:
        if file_lang in LANGUAGES:
            check.add("lang", f"says '{lang}' but the file name says '{file_lang}'", f"rename the file to <slug>.{lang}.md or set lang: {file_lang}")
        else:
            check.add("lang", f"says '{lang}' but the file name says '{file_lang}'", f"rename the file to <slug>.{lang}.md")
    kind = check.text(data, "kind", "kind", example="press")
    if kind and kind not in KINDS:
        check.add("kind", f"'{kind}' is not a kind of page this site has", f"use one of {', '.join(KINDS)}")
    check.date(data, "date", "date")
    if "timeline" in data and not isinstance(data["timeline"], bool):
        check.add("timeline", f"should be true or false, not {data['timeline']!r}", "write timeline: true to show the case's timeline on this page, or remove the line")
    check.text(data, "translation_of", "translation_of", required=False)

    known = set(COMMON_FIELDS)
    if kind in ACTION_KINDS:
        known |= ACTION_FIELDS
        _validate_action(check, data)
    check.unknown(data, "", known)
    for key, value in _strings(data):
        if RAW_SCRIPT.search(value):
            check.add(key, "contains a <script> tag", "remove it: pages may not run scripts of their own")

    problems = lifecycle.block_problems(parsed.body, path, parsed.body_line, has_deadline="deadline" in data)
    check.problems.extend(problems)
    for number, line in enumerate(parsed.body.split("\n")):
        if PLACEHOLDER.search(line):
            check.problems.append(
                Problem(path, parsed.body_line + number, "body", f"still has the placeholder '{_shorten(line)}'", "write the page's text in place of the TODO line")
            )
        if RAW_SCRIPT.search(line):
            check.problems.append(
                Problem(path, parsed.body_line + number, "body", "contains a <script> tag", "remove it: pages may not run scripts of their own")
            )
    return check.problems


def _validate_action(check: _Checker, data: dict) -> None:
    check.date(data, "deadline", "deadline")
    report_url = check.text(data, "report_url", "report_url", required=False)
    if report_url and not URL.match(report_url):
        check.add("report_url", f"'{report_url}' is not a web address", "write the full address, starting with https://")
    check.text(data, "reference", "reference", required=False)

    preferred = data.get("preferred_languages")
    if preferred is not None:
        if not isinstance(preferred, list) or not all(isinstance(code, str) for code in preferred):
            check.add("preferred_languages", "should be a list of language codes", "write it as preferred_languages: [en, zh]")
        else:
            for code in preferred:
                if code not in LANGUAGES:
                    check.add("preferred_languages", f"'{code}' is not a language code this site knows", f"use codes from {LANG_CODES}")

    targets = data.get("targets")
    if not targets:
        check.add("targets", "is missing: an action needs someone to write to", "add 'targets:' with at least one person (name, title, organization, address, role)")
    elif not isinstance(targets, list):
        check.add("targets", "should be a list", "start each person with '  - name: ...'")
    else:
        for index, target in enumerate(targets):
            _validate_target(check, target, f"targets[{index}]")

    letter = data.get("letter")
    if not letter:
        check.add("letter", "is missing: an action needs a sample letter", "add 'letter:' with 'subject:' and 'body: |' below it")
    elif not isinstance(letter, dict):
        check.add("letter", "should have 'subject:' and 'body:' below it", "indent 'subject:' and 'body: |' under 'letter:'")
    else:
        check.text(letter, "letter.subject", "subject")
        check.text(letter, "letter.body", "body")
        check.text(letter, "letter.addressee", "addressee", required=False)
        check.text(letter, "letter.salutation", "salutation", required=False)
        check.text(letter, "letter.short_body", "short_body", required=False)
        check.unknown(letter, "letter.", LETTER_FIELDS)
        if isinstance(targets, list):
            _check_email_links(check, targets, letter)


def _check_email_links(check: _Checker, targets: list, letter: dict) -> None:
    """A short_body is only used when the letter is too long for an e-mail link; then it must fit."""
    subject, body, short_body = letter.get("subject"), letter.get("body"), letter.get("short_body")
    if not (isinstance(subject, str) and isinstance(body, str) and isinstance(short_body, str)):
        return
    for target in targets:
        email = target.get("email") if isinstance(target, dict) else None
        if not isinstance(email, str) or not EMAIL.match(email):
            continue
        salutation = next((s for s in (target.get("salutation"), letter.get("salutation")) if isinstance(s, str)), None)
        if len(mailto_url([email], subject, letter_text(salutation, body))) <= MAX_LENGTH:
            continue
        length = len(mailto_url([email], subject, letter_text(salutation, short_body)))
        if length > MAX_LENGTH:
            check.add(
                "letter.short_body",
                f"is too long for an e-mail link to {email} ({length} characters with the subject; mail programs take at most {MAX_LENGTH})",
                "shorten it: in a link every Chinese character takes 9 characters, every space or punctuation mark 3",
            )
            return


def _validate_target(check: _Checker, target: object, key: str) -> None:
    if not isinstance(target, dict):
        check.add(key, "should be a person with name, title, organization and address", "write '- name: ...' with the other fields indented below it")
        return
    name = check.text(target, f"{key}.name", "name")
    who = f" ({name})" if name else ""
    check.text(target, f"{key}.title", "title", required=False)
    check.text(target, f"{key}.organization", "organization", required=False)
    check.text(target, f"{key}.salutation", "salutation", required=False)
    check.text(target, f"{key}.reason", "reason", required=False)
    address = target.get("address")
    if not address:
        check.add(f"{key}.address", f"is missing{who}: letters need a postal address", "add 'address:' with one '- line' per line of the envelope")
    elif not isinstance(address, list) or not all(isinstance(line, str) and line.strip() for line in address):
        check.add(f"{key}.address", f"should be a list of text lines{who}", "write each line of the envelope as '- \"...\"' below 'address:'")
    email = check.text(target, f"{key}.email", "email", required=False)
    if email and not EMAIL.match(email):
        check.add(f"{key}.email", f"'{email}' is not an e-mail address{who}", "write it as name@example.org, without 'mailto:' or spaces")
    role = target.get("role", "target")
    if role not in ROLES:
        check.add(f"{key}.role", f"'{role}' is not a role{who}", "use role: target (write to) or role: cc (send a copy to)")
    priority = target.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int) or priority < 1):
        check.add(f"{key}.priority", f"'{priority}' is not a priority{who}", "use a whole number, 1 for the first to write to")
    check.unknown(target, f"{key}.", TARGET_FIELDS)


@dataclass(frozen=True)
class PageRecord:
    """What the site-wide checks need to know of one page."""

    path: str
    slug: str
    lang: str
    deadline: str = ""  # as written; the same in every language
    deadline_line: int = 0
    follows: tuple[tuple[int, str], ...] = ()  # (line, slug) of '::: open <slug>' blocks


def validate_site(pages: Iterable[PageRecord]) -> list[Problem]:
    """Every document in every language, no two files for one slug and language, one
    deadline for all of a document's translations, and blocks that follow a deadline
    naming a document that has one."""
    problems: list[Problem] = []
    pages = list(pages)
    by_slug: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        by_slug[page.slug][page.lang].append(page.path)
    problems += _deadlines_agree(pages)
    deadlines = {page.slug for page in pages if page.deadline}
    for page in pages:
        for line, slug in page.follows:
            if slug not in deadlines:
                problems.append(Problem(page.path, line, "body", f"'{slug}' is not a document with a deadline",
                                        f"name an action or petition by its slug (one of: {', '.join(sorted(deadlines)) or 'none yet'})"))
    for slug, by_lang in sorted(by_slug.items()):
        for lang, paths in sorted(by_lang.items()):
            if len(paths) > 1:
                for path in sorted(paths)[1:]:
                    problems.append(Problem(path, 1, "slug", f"'{slug}' in '{lang}' is also used by {sorted(paths)[0]}", "give one of the two files another slug or language"))
        some_path = sorted(p for paths in by_lang.values() for p in paths)[0]
        for lang in LANGUAGES:
            if lang not in by_lang:
                folder = some_path.rpartition("/")[0]
                expected = f"{folder}/{slug}.{lang}.md" if folder else f"{slug}.{lang}.md"
                problems.append(Problem(expected, 0, "lang", f"'{slug}' has no {LANGUAGES[lang].name} version", f"create {expected} (copy {some_path} and translate it)"))
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
    for slug, records in sorted(by_slug.items()):
        records.sort(key=lambda r: (r.lang != DEFAULT_CODE, r.path))
        first = records[0]
        for other in records[1:]:
            if other.deadline != first.deadline:
                theirs = f"'{first.deadline}'" if first.deadline else "no deadline"
                mine = f"'{other.deadline}'" if other.deadline else "no deadline"
                problems.append(Problem(other.path, other.deadline_line, "deadline", f"is {mine} but {first.path} has {theirs}",
                                        "give every translation of a document the same deadline"))
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
                        Problem(shown, parsed.body_line + number, "body", f"links to {{filename}}{target}, which does not exist",
                                "correct the file name (pages are linked as {filename}<slug>.<lang>.md) or remove the link")
                    )
    return problems


TIMELINE_EVENT_FIELDS = ("date", "end", "text", "translation_of")  # translation_of: see status.py


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    end: PartialDate | None
    text: dict[str, str]
    position: int  # order in the file, to keep events on the same date as written

    @property
    def sort_key(self):
        return (self.date.last_day, self.position)


def validate_timeline(data: object, lines_of, path: str) -> tuple[list[TimelineEvent], list[Problem]]:
    """lines_of(key) gives a field's line. Returns events in date order and the problems."""
    problems: list[Problem] = []

    def add(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path, lines_of(key), key, message, fix))

    events_data = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events_data, list):
        add("events", "is missing or not a list", "start the file with 'events:' and one '- date: ...' per event")
        return [], problems
    events: list[TimelineEvent] = []
    for index, item in enumerate(events_data):
        key = f"events[{index}]"
        if not isinstance(item, dict):
            add(key, "should be an event with date and text", "write '- date: YYYY-MM-DD' with 'text:' below it")
            continue
        dates = {}
        for name in ("date", "end"):
            value = item.get(name)
            if value is None:
                if name == "date":
                    add(f"{key}.date", "is missing", "add 'date: YYYY-MM-DD' (or YYYY-MM, or YYYY if only the year is known)")
                continue
            try:
                dates[name] = PartialDate.parse(value)
            except DateFormatError as error:
                add(f"{key}.{name}", str(error), "write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known")
        if "date" in dates and "end" in dates and dates["end"].last_day < dates["date"].first_day:
            add(f"{key}.end", "is before the event's date", "swap 'date' and 'end', or correct one of them")
        text = item.get("text")
        if not isinstance(text, dict):
            add(f"{key}.text", "is missing", f"add 'text:' with one line per language ({LANG_CODES})")
            text = {}
        for lang in LANGUAGES:
            value = text.get(lang)
            if not isinstance(value, str) or not value.strip():
                add(f"{key}.text.{lang}" if lang in text else f"{key}.text", f"has no {LANGUAGES[lang].name} text ({lang})", f"add '{lang}: \"...\"' under 'text:'")
        for lang in text:
            if lang not in LANGUAGES:
                add(f"{key}.text.{lang}", f"'{lang}' is not one of the site's languages", f"use {LANG_CODES}")
            elif isinstance(text[lang], str) and PLACEHOLDER.search(text[lang]):
                add(f"{key}.text.{lang}", f"still has the placeholder '{_shorten(text[lang])}'", f"write the event's {LANGUAGES[lang].name} text in its place")
        for name in item:
            if name not in TIMELINE_EVENT_FIELDS:
                add(f"{key}.{name}", "is not a field of a timeline event", f"use only {', '.join(TIMELINE_EVENT_FIELDS)}")
        translation_of = item.get("translation_of")
        if translation_of is not None and not isinstance(translation_of, str):
            add(f"{key}.translation_of", f"{_yaml_surprise(translation_of) or 'is not text'} ({translation_of!r})", f"put the value in quotes: translation_of: \"{translation_of}\"")
        if "date" in dates:
            events.append(TimelineEvent(dates["date"], dates.get("end"), {k: v for k, v in text.items() if isinstance(v, str)}, index))
    return sorted(events, key=lambda event: event.sort_key), problems
