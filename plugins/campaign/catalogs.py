"""The interface-string catalogs, checked against the templates without building.

Problems (the build and `make check` stop on them): a catalog that is missing or
cannot be read (or has a line Babel would misread), a translation whose %(name)s
placeholders differ from the English, which would break or garble the page it is
shown on, and a translation with tags the English does not have (translations are
text: templating.py escapes them).

Status (reported, not fatal; the page shows the English string meanwhile): strings
in the templates that a catalog lacks, leaves empty or marks fuzzy.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import babel
import jinja2
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po

from . import build_cache
from .i18n import catalog_path
from .languages import DEFAULT_CODE, LANGUAGES, english_name
from .problems import Problem

# The same extraction as babel.cfg (`make extract`), used when that file is not at hand.
DEFAULT_METHOD_MAP = [("**.html", "jinja2")]
DEFAULT_OPTIONS_MAP = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}

PLACEHOLDER = re.compile(r"%\((\w+)\)[a-z]")
TAG = re.compile(r"<[^>]*>")
# A line of a .po file: a comment, or a keyword and/or one string in double quotes, closed.
PO_LINE = re.compile(r'^\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?$')
LONE_PERCENT = re.compile(r"%%|%\(\w+\)[a-z]")  # what is left after removing these must have no '%'


@dataclass(frozen=True)
class TemplateString:
    """One interface string as the templates use it."""

    msgid: str | tuple[str, ...]  # a tuple (singular, plural) for ngettext
    context: str | None
    where: str  # template and line, e.g. base.html:19

    @property
    def key(self) -> str:
        return self.msgid if isinstance(self.msgid, str) else self.msgid[0]


def template_strings(templates_dir: Path, mapping_file: Path | None = None) -> list[TemplateString]:
    """Every gettext string in the templates, extracted as `make extract` does."""
    method_map, options_map = DEFAULT_METHOD_MAP, DEFAULT_OPTIONS_MAP
    if mapping_file and Path(mapping_file).is_file():
        from babel.messages.frontend import parse_mapping_cfg

        with open(mapping_file, encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle)
    found: dict[tuple, TemplateString] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(str(templates_dir), method_map, options_map):
        key = (message if isinstance(message, str) else message[0], context)
        found.setdefault(key, TemplateString(message, context, f"{filename}:{lineno}"))
    return sorted(found.values(), key=lambda string: (string.key, string.context or ""))


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(item or "" for item in value)
    return (value or "",)


def _format_signature(text: str) -> tuple[set[str], int]:
    return set(PLACEHOLDER.findall(text)), LONE_PERCENT.sub("", text).count("%")


def _quote(msgid: str, width: int = 50) -> str:
    return f'"{msgid}"' if len(msgid) <= width else f'"{msgid[: width - 1]}…"'


@dataclass
class CatalogReport:
    problems: list[Problem] = field(default_factory=list)
    # lang -> one Problem-shaped line per string that still needs a translation
    untranslated: dict[str, list[Problem]] = field(default_factory=dict)
    total: int = 0  # interface strings in the templates


def markup_of(text: str) -> list[str]:
    """The tags in a string, in order. A translation is text unless its English has tags
    (templating.py escapes it); then it must have the same ones."""
    return TAG.findall(text)


def syntax_problems(data: bytes, shown: str) -> list[Problem]:
    """Lines Babel would misread rather than reject, such as a msgstr missing its closing quote
    (Babel drops the last character and goes on)."""
    problems = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [
            Problem(
                shown,
                data[: error.start].count(b"\n") + 1,
                "",
                f"the catalog is not UTF-8 text (it has the byte 0x{data[error.start]:02x}, as other encodings write é, ü or 中)",
                "save it as UTF-8 (in the editor's Save As, choose the encoding UTF-8)",
            )
        ]
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if not PO_LINE.match(line):
            problems.append(
                Problem(
                    shown,
                    number,
                    "",
                    f"this line cannot be read: {line.strip()[:60]!r}",
                    'write it as msgstr "..." with the text between two straight double quotes (a quote inside the text as \\")',
                )
            )
    return problems


_CHARSET = re.compile(r'^"Content-Type:.*charset=(?P<charset>[^\\"\s;]+)', re.IGNORECASE)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def header_and_duplicate_problems(data: bytes, shown: str) -> list[Problem]:
    """A header that declares another charset than UTF-8 (Babel would decode the file with it,
    and every accented or Chinese letter would be garbled on the pages), and an entry written
    twice (Babel keeps one of the two and ignores the other, without a word)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    context, msgid, msgid_line, collecting = "", None, 0, False

    def entry_done() -> None:
        if msgid:  # (the header is the entry with an empty msgid)
            key = (context, msgid)
            if key in seen:
                problems.append(
                    Problem(
                        shown,
                        msgid_line,
                        "",
                        f"msgid {_quote(msgid)} is in this catalog twice, on line {seen[key]} and on line {msgid_line}"
                        " (only one of them would be used)",
                        "keep one of the two entries, with the right translation, and delete the other",
                    )
                )
            else:
                seen[key] = msgid_line

    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        stripped = line.strip()
        charset = _CHARSET.match(stripped)
        if charset and charset["charset"].lower().replace("-", "").replace("_", "") != "utf8":
            problems.append(
                Problem(
                    shown,
                    number,
                    "",
                    f"the catalog's header says charset={charset['charset']}, but the file is UTF-8"
                    " (its accented and Chinese letters would be garbled on every page)",
                    'write the line as "Content-Type: text/plain; charset=UTF-8\\n"',
                )
            )
        if stripped.startswith("msgctxt"):
            context = "".join(_STRING.findall(stripped))
        elif stripped.startswith("msgid "):
            msgid, msgid_line, collecting = "".join(_STRING.findall(stripped)), number, True
        elif collecting and stripped.startswith('"'):
            msgid += "".join(_STRING.findall(stripped))
        elif stripped.startswith(("msgstr", "msgid_plural")) and collecting:
            collecting = False
            entry_done()
            context = ""
    return problems


def read_catalog(path: Path, lang: str, shown: str, data: bytes | None = None) -> tuple[Catalog | None, list[Problem]]:
    """data: the file's bytes, when the caller has read them (the build checks what it compiles)."""
    if data is None and not path.is_file():
        return None, [
            Problem(
                shown,
                0,
                "",
                f"the {english_name(lang)} catalog is missing",
                f"run `make catalog-init LANG={lang}` to create it, then translate its entries",
            )
        ]
    try:
        data = path.read_bytes() if data is None else data
        problems = syntax_problems(data, shown) + header_and_duplicate_problems(data, shown)
        if problems:
            return None, problems
        return read_po(io.BytesIO(data), locale=LANGUAGES[lang].locale, abort_invalid=True), []
    except PoFileError as error:
        line = getattr(error, "lineno", 0)
        return None, [
            Problem(
                shown,
                line + 1,
                "",
                f"the catalog cannot be read ({error}: {getattr(error, 'line', '')!r})",
                "every entry is a 'msgid \"...\"' line followed by a 'msgstr \"...\"' line; compare with the entries around it",
            )
        ]
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return None, [
            Problem(
                shown,
                0,
                "",
                f"the catalog cannot be read ({error})",
                "check that it is a UTF-8 .po file; `make update` rewrites it in the right form",
            )
        ]


def check_catalogs(
    translations_dir: Path,
    templates_dir: Path,
    mapping_file: Path | None = None,
    display=str,
    strings: list[TemplateString] | None = None,
    sources: dict[str, bytes | None] | None = None,
) -> CatalogReport:
    """display(path) gives a path as shown in messages; strings: template_strings(templates_dir,
    mapping_file) when the caller has them already; sources: the catalogs' bytes as the build
    read them (i18n.read_catalogs; None for a file it could not read)."""
    if strings is None:
        strings = template_strings(templates_dir, mapping_file)
    report = CatalogReport(total=len(strings))
    for lang in LANGUAGES:
        if lang == DEFAULT_CODE or LANGUAGES[lang].generated_from:  # a generated one follows its source's
            continue
        language = english_name(lang)
        path = catalog_path(translations_dir, lang)
        shown = display(path)
        data = sources.get(lang) if sources is not None else None
        catalog, problems = read_catalog(path, lang, shown, data)
        report.problems += problems
        pending = report.untranslated.setdefault(lang, [])
        if catalog is None:
            pending += [
                Problem(
                    shown,
                    0,
                    _quote(s.key),
                    "cannot be translated: the catalog is missing or unreadable",
                    "fix the catalog first",
                )
                for s in strings
            ]
            continue
        for string in strings:
            message = catalog.get(
                string.msgid if isinstance(string.msgid, str) else string.msgid[0], context=string.context
            )
            label = _quote(string.key)
            if message is None:
                pending.append(
                    Problem(
                        shown,
                        0,
                        label,
                        f"used in {string.where} but not in the {language} catalog",
                        "run `make update`, then translate the new entry",
                    )
                )
                continue
            translations = _strings(message.string)
            if message.fuzzy:
                pending.append(
                    Problem(
                        shown,
                        message.lineno,
                        label,
                        "is marked fuzzy: the English changed and the translation is a guess, so the English is shown",
                        "check the msgstr below it, correct it, then delete the '#, fuzzy' line",
                    )
                )
                continue
            if not all(text.strip() for text in translations):
                pending.append(
                    Problem(
                        shown,
                        message.lineno,
                        label,
                        f"has no {language} translation yet, so the English is shown",
                        "write the translation in the msgstr below it",
                    )
                )
                continue
            originals = _strings(message.id)
            wanted_names = set().union(*(_format_signature(text)[0] for text in originals))
            wanted_lone = max(_format_signature(text)[1] for text in originals)
            for text in translations:
                tags, wanted_tags = markup_of(text), markup_of(originals[0])
                if sorted(tags) != sorted(wanted_tags):
                    if wanted_tags:
                        report.problems.append(
                            Problem(
                                shown,
                                message.lineno,
                                label,
                                f"the translation's tags ({' '.join(tags) or 'none'}) differ from the English's",
                                f"keep exactly the English's tags: {' '.join(wanted_tags)}",
                            )
                        )
                    else:
                        report.problems.append(
                            Problem(
                                shown,
                                message.lineno,
                                label,
                                f"the translation contains markup ({' '.join(tags)}), which the English does not have",
                                "remove it: the string is text, and the page would show the tags as they are written",
                            )
                        )
                    continue
                names, lone = _format_signature(text)
                extra, lost = names - wanted_names, wanted_names - names
                if extra or (lost and len(originals) == 1):
                    listed = ", ".join(f"%({name})s" for name in sorted(wanted_names)) or "none"
                    what = (
                        f"uses {', '.join(f'%({n})s' for n in sorted(extra))}, which the English does not have"
                        if extra
                        else f"leaves out {', '.join(f'%({n})s' for n in sorted(lost))}"
                    )
                    report.problems.append(
                        Problem(
                            shown,
                            message.lineno,
                            label,
                            f"the translation {what}",
                            f"keep the English's placeholders exactly, untranslated ({listed})",
                        )
                    )
                elif lone > wanted_lone:
                    report.problems.append(
                        Problem(
                            shown,
                            message.lineno,
                            label,
                            "the translation has a lone '%'",
                            "write a percent sign as '%%'",
                        )
                    )
    return report


def _templates_digest(templates_dir: Path, mapping_file: Path | None) -> str:
    parts = ["strings", sys.version, jinja2.__version__, babel.__version__]
    if mapping_file and Path(mapping_file).is_file():
        parts.append(Path(mapping_file).read_bytes())
    for folder, folders, files in os.walk(templates_dir):
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            parts += [path.relative_to(templates_dir).as_posix(), path.read_bytes()]
    return build_cache.digest(*parts)


def cached_template_strings(folder: str | os.PathLike, templates_dir: Path, mapping_file: Path | None = None):
    """template_strings, kept between builds under every template's bytes, the extraction map and
    the versions that read them (build_cache.py): the build's catalog check would parse every
    template a second time."""

    def read(data: bytes) -> list[TemplateString]:
        return [
            TemplateString(tuple(msgid) if isinstance(msgid, list) else msgid, context, where)
            for msgid, context, where in json.loads(data)
        ]

    def write(strings: list[TemplateString]) -> bytes:
        return build_cache.as_json([[string.msgid, string.context, string.where] for string in strings])

    name = f"strings-{_templates_digest(templates_dir, mapping_file)}.json"
    return build_cache.kept(folder, name, lambda: template_strings(templates_dir, mapping_file), write, read)
