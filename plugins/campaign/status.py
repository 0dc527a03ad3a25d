"""Translation status: which translations are missing, or older than the English.

How an editor marks a translation as up to date
------------------------------------------------
A Dutch or Chinese page carries `translation_of: "<fingerprint>"`: the fingerprint
of the English page's text at the time it was translated. A timeline event carries
one `translation_of` for its Dutch and Chinese lines together. `make check` prints
the current fingerprint whenever it differs, so after updating a translation the
editor copies the printed value into the file. A fingerprint is a short hash of
the English text: the title, summary, body, letter, targets' names, titles,
organisations, addresses and salutations, and every other field except those
that must be the same in every language, which are compared directly instead
(kind, date, preferred_languages, and each target's email, role and priority;
a deadline that differs stops the build).

Everything here is a report, not a failure: a stale translation still builds.
(A missing document or timeline text is a build problem, reported by validation.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from .fingerprints import SAME_IN_EVERY_LANGUAGE, event_fingerprint, page_fingerprint, quoted
from .languages import DEFAULT_CODE, LANGUAGES, english_name, english_names, written
from .problems import Problem
from .schema import TARGET_SAME_IN_EVERY_LANGUAGE

TRANSLATED = tuple(code for code in written() if code != DEFAULT_CODE)
GENERATED = tuple(code for code in LANGUAGES if LANGUAGES[code].generated_from)  # they follow their source

AREAS = ("documents", "timeline events", "interface strings")


@dataclass(frozen=True, order=True)
class StatusItem:
    """One translation that needs attention: where, in which languages, and what to do."""

    area: str  # one of AREAS
    langs: tuple[str, ...]
    line: Problem  # file:line: field: what — how to fix it

    @property
    def subject(self) -> tuple[str, str]:
        """The document, event or string this is about: one of them may have several items."""
        if self.area == "documents":
            return (self.line.path, "")
        if self.area == "timeline events":
            return (self.line.path, self.line.field.split(".")[0])
        return (self.line.path, self.line.field)

    def __str__(self) -> str:
        return str(self.line)


@dataclass
class TranslationStatus:
    items: list[StatusItem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # area -> how many exist in English
    missing: dict[tuple[str, str], int] = field(default_factory=dict)  # (area, lang) -> not there at all

    def pending(self, area: str, lang: str) -> int:
        """How many documents, events or strings need work in a language (each counted once)."""
        subjects = {item.subject for item in self.items if item.area == area and lang in item.langs}
        return len(subjects) + self.missing.get((area, lang), 0)

    @property
    def up_to_date(self) -> bool:
        return not self.items and not any(self.missing.values())

    def summary(self) -> list[str]:
        """One line per language: how much of it is up to date."""
        lines = []
        for lang in TRANSLATED:
            parts = []
            for area in AREAS:
                total = self.totals.get(area, 0)
                parts.append(f"{max(total - self.pending(area, lang), 0)} of {total} {area}")
            lines.append(f"{english_name(lang)} ({lang}): {', '.join(parts)} up to date")
        for lang in GENERATED:
            source = LANGUAGES[lang].generated_from
            lines.append(
                f"{english_name(lang)} ({lang}): follows {english_name(source)} ({source}), converted at every build"
            )
        return lines

    def report(self, limit: int | None = None) -> str:
        lines = [
            str(item) for item in sorted(self.items, key=lambda item: (item.line.path, item.line.line, item.line.field))
        ]
        if limit is not None and len(lines) > limit:
            lines = [*lines[:limit], f"... and {len(lines) - limit} more: run `make check` to see them all"]
        return "\n".join([*lines, *self.summary()])


def _page_lookup(pages) -> dict[str, dict[str, object]]:
    by_slug: dict[str, dict[str, object]] = {}
    for page in pages:
        by_slug.setdefault(page.slug, {}).setdefault(page.lang, page)
    return by_slug


def _shown(value) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def document_status(pages: Iterable) -> tuple[list[StatusItem], int, dict[str, int]]:
    """pages: sources.PageFile-like (path, parsed, slug, lang). Returns items, total, missing per language."""
    items: list[StatusItem] = []
    by_slug = _page_lookup(pages)
    missing = {lang: 0 for lang in TRANSLATED}
    total = 0
    for _slug, by_lang in sorted(by_slug.items()):
        english = by_lang.get(DEFAULT_CODE)
        if english is None or getattr(english, "unreadable", False):
            continue  # a build problem already says which file to create, or that it cannot be read
        total += 1
        if "translation_of" in english.parsed.data:
            items.append(
                StatusItem(
                    "documents",
                    (),
                    Problem(
                        english.path,
                        english.parsed.line("translation_of"),
                        "translation_of",
                        "is only for translations: the English is the original",
                        "remove this line",
                    ),
                )
            )
        fingerprint = page_fingerprint(english.parsed.data, english.parsed.body)
        for lang in TRANSLATED:
            page = by_lang.get(lang)
            if page is None:
                missing[lang] += 1
                continue
            if getattr(page, "unreadable", False):  # reported as a problem of its own
                continue
            data = page.parsed.data
            recorded = data.get("translation_of")
            line = page.parsed.line("translation_of") if "translation_of" in data else page.parsed.line("lang")
            if not recorded:
                items.append(
                    StatusItem(
                        "documents",
                        (lang,),
                        Problem(
                            page.path,
                            line,
                            "translation_of",
                            f"is not set, so nobody can tell whether this translation matches {english.path}",
                            f"once it does, set {quoted(fingerprint)}"
                            if "translation_of" in data
                            else f"once it does, add the line {quoted(fingerprint)} below 'lang:'",
                        ),
                    )
                )
            elif str(recorded) != fingerprint:
                items.append(
                    StatusItem(
                        "documents",
                        (lang,),
                        Problem(
                            page.path,
                            line,
                            "translation_of",
                            f"{english.path} has changed since this was translated "
                            f"(to see how: git log -p {english.path})",
                            f"bring this translation up to date, then set {quoted(fingerprint)}",
                        ),
                    )
                )
            items += _same_fields(english, page, lang)
    return items, total, missing


def _same_fields(english, page, lang: str) -> list[StatusItem]:
    items = []
    theirs, ours = english.parsed.data, page.parsed.data

    def differs(key: str, wanted, found) -> None:
        items.append(
            StatusItem(
                "documents",
                (lang,),
                Problem(
                    page.path,
                    page.parsed.line(key),
                    key,
                    f"is {_shown(found)} here but {_shown(wanted)} in {english.path}",
                    "use the same value in every language",
                ),
            )
        )

    for name in SAME_IN_EVERY_LANGUAGE:
        if theirs.get(name) != ours.get(name):
            differs(name, theirs.get(name), ours.get(name))
    their_targets, our_targets = theirs.get("targets"), ours.get("targets")
    if isinstance(their_targets, list) and isinstance(our_targets, list):
        if len(their_targets) != len(our_targets):
            items.append(
                StatusItem(
                    "documents",
                    (lang,),
                    Problem(
                        page.path,
                        page.parsed.line("targets"),
                        "targets",
                        f"lists {len(our_targets)} people here but {len(their_targets)} in {english.path}",
                        "list the same people, in the same order, in every language",
                    ),
                )
            )
        else:
            for index, (wanted, found) in enumerate(zip(their_targets, our_targets, strict=True)):
                if isinstance(wanted, dict) and isinstance(found, dict):
                    for name in TARGET_SAME_IN_EVERY_LANGUAGE:
                        if wanted.get(name) != found.get(name):
                            differs(f"targets[{index}].{name}", wanted.get(name), found.get(name))
    return items


def timeline_status(timeline) -> tuple[list[StatusItem], int]:
    """timeline: sources.TimelineFile-like (path, data, line). Returns items and the number of events."""
    events = timeline.data.get("events") if isinstance(timeline.data, dict) else None
    if not isinstance(events, list):
        return [], 0
    items: list[StatusItem] = []
    total = 0
    names = english_names(TRANSLATED)
    for index, event in enumerate(events):
        text = event.get("text") if isinstance(event, dict) else None
        english = text.get(DEFAULT_CODE) if isinstance(text, dict) else None
        if not isinstance(english, str) or not english.strip():
            continue  # a build problem already
        total += 1
        key = f"events[{index}]"
        fingerprint = event_fingerprint(english)
        recorded = event.get("translation_of")
        english_line = timeline.line(f"{key}.text.{DEFAULT_CODE}")
        langs = tuple(lang for lang in TRANSLATED if isinstance(text.get(lang), str) and text[lang].strip())
        if not langs:
            continue
        if not recorded:
            items.append(
                StatusItem(
                    "timeline events",
                    langs,
                    Problem(
                        timeline.path,
                        timeline.line(key),
                        f"{key}.translation_of",
                        f"is not set, so nobody can tell whether the {names} texts match the English",
                        f"once they do, add the line {quoted(fingerprint)} to this event, indented like 'text:'",
                    ),
                )
            )
        elif str(recorded) != fingerprint:
            items.append(
                StatusItem(
                    "timeline events",
                    langs,
                    Problem(
                        timeline.path,
                        timeline.line(f"{key}.translation_of"),
                        f"{key}.translation_of",
                        f"the English text (line {english_line}) has changed since the {names} texts were written",
                        f"bring them up to date, then set {quoted(fingerprint)}",
                    ),
                )
            )
    return items, total


def translation_status(pages: Iterable, timeline=None, catalogs=None) -> TranslationStatus:
    """pages: PageFile-like; timeline: TimelineFile-like; catalogs: catalogs.CatalogReport."""
    status = TranslationStatus()
    items, total, missing = document_status(pages)
    status.items += items
    status.totals["documents"] = total
    for lang, count in missing.items():
        status.missing[("documents", lang)] = count
    if timeline is not None:
        items, total = timeline_status(timeline)
        status.items += items
        status.totals["timeline events"] = total
    if catalogs is not None:
        status.totals["interface strings"] = catalogs.total
        for lang, lines in catalogs.untranslated.items():
            status.items += [StatusItem("interface strings", (lang,), line) for line in lines]
    return status
