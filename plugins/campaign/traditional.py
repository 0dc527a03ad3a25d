"""A language generated from another at build time: Traditional Chinese (zh-hant) from the
Simplified (zh), with OpenCC, the editors' override file and a step for quotation marks.

A generated language is declared in languages.py (generated_from, conversion). Nothing
of it is written by hand: its pages, timeline lines and interface strings are the
source language's, converted as the build reads them, so a change to the Simplified
text reaches the Traditional page in the same build (docs/editing.md).

How a text is converted:
1. What must pass through unchanged is kept aside: links and addresses (a non-ASCII URL
   would be converted and broken), e-mail addresses and %(name)s placeholders.
2. The override file's phrases (translations/<code>/overrides.txt) are replaced as
   written, the longest first: OpenCC never sees them, so its segmentation cannot split
   them (被发送 would become 被髮送, "loose hair").
3. OpenCC converts the rest (s2tw: the characters Taiwan, Hong Kong and the diaspora
   read; not s2twp, whose software vocabulary corrupts court names).
4. Curly quotation marks next to Chinese text become corner brackets (“” → 「」,
   ‘’ → 『』), one character at a time: a quotation of several paragraphs opens each
   one and closes only the last, and an apostrophe in Latin text (People’s) stays.

Nothing here imports Pelican.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import build_cache
from .languages import LANGUAGES
from .problems import Problem

OVERRIDES_NAME = "overrides.txt"  # in translations/<code>/, beside where a catalog would be

# Passed through unchanged: URLs and Markdown link targets, {filename} links, e-mail
# addresses, %(name)s placeholders (catalogs) and {name} ones.
KEPT = re.compile(
    r"\{filename\}[^\s)\]>\"']+"
    r"|(?:https?|mailto|ftp):[^\s)\]>\"'<\u3000-\u303f\uff00-\uffef]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|%\(\w+\)[a-z]"
    r"|\{\w+\}"
)
# Chinese characters and the punctuation written with them (CJK symbols, full-width forms).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}
SEPARATOR = re.compile(r"\s+=\s+")


@dataclass(frozen=True)
class Conversion:
    """How one generated language is made from its source: OpenCC's config and the overrides."""

    config: str
    overrides: dict[str, str] = field(default_factory=dict)
    path: str = ""  # the override file, as shown in messages
    problems: tuple[Problem, ...] = ()
    cache: str = field(default="", compare=False)  # where a build keeps conversions (build_cache.py); "": nowhere
    # this process's conversions: the templates convert the case's names for every page
    converted: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def convert(self, text: str) -> str:
        if not text:
            return text
        if text not in self.converted:
            self.converted[text] = self._kept(text) if self.cache else self._convert(text)
        return self.converted[text]

    def _kept(self, text: str) -> str:
        # Kept under the text, the config, the overrides and the code that converts (OpenCC's
        # version, this module): a build whose texts were all converted before never loads OpenCC.
        rules = json.dumps(sorted(self.overrides.items()), ensure_ascii=False)
        name = f"opencc-{build_cache.digest(_code_key(), self.config, rules, text)}"
        return build_cache.kept(self.cache, name, lambda: self._convert(text), str.encode, bytes.decode)

    def _convert(self, text: str) -> str:
        pieces = []
        at = 0
        for match in self._fixed().finditer(text):
            pieces.append(self._opencc(text[at : match.start()]))
            found = match.group(0)
            pieces.append(self.overrides.get(found, found))
            at = match.end()
        pieces.append(self._opencc(text[at:]))
        return corner_quotes("".join(pieces))

    def _opencc(self, text: str) -> str:
        return converter(self.config).convert(text) if CHINESE.search(text) else text

    def _fixed(self) -> re.Pattern:
        return _fixed_pattern(tuple(sorted(self.overrides, key=len, reverse=True)))


@cache
def _fixed_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join([KEPT.pattern, *(re.escape(phrase) for phrase in phrases)]))


@cache
def _code_key() -> str:
    from importlib.metadata import version

    return build_cache.digest(version("opencc"), Path(__file__).read_bytes())


@cache
def converter(config: str):
    """OpenCC's converter: loading its dictionaries is most of the conversion's time, once a process."""
    import opencc

    return opencc.OpenCC(config)


def corner_quotes(text: str) -> str:
    """“” → 「」 and ‘’ → 『』 where the nearest character on either side (spaces aside) is Chinese."""

    def next_to_chinese(match: re.Match) -> str:
        before = text[: match.start()].rstrip()[-1:]
        after = text[match.end() :].lstrip()[:1]
        chinese = any(CHINESE.match(side) for side in (before, after) if side and side not in QUOTES)
        return QUOTES[match.group(0)] if chinese else match.group(0)

    return re.sub("[“”‘’]", next_to_chinese, text)


def overrides_path(translations_dir: str | Path, code: str) -> Path:
    return Path(translations_dir) / code / OVERRIDES_NAME


def read_overrides(path: Path, shown: str) -> tuple[dict[str, str], list[Problem]]:
    """One rule a line, `Simplified = Traditional`; '#' starts a comment. A missing file is no rule."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as error:
        return {}, [Problem(shown, 0, "", f"the file cannot be read ({error})", "save it as UTF-8 text")]
    rules, problems = {}, []
    for number, line in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if not line:
            continue
        parts = SEPARATOR.split(line)
        if len(parts) != 2 or not all(parts):
            problems.append(
                Problem(
                    shown,
                    number,
                    "",
                    f"this line is not a rule: {line[:40]!r}",
                    "write the Simplified phrase, ' = ', then how it must read in Traditional (获准 = 獲准)",
                )
            )
            continue
        source, wanted = parts
        if source in rules and rules[source] != wanted:
            problems.append(
                Problem(shown, number, "", f"'{source}' has two rules", "keep one line for it and delete the other")
            )
        rules[source] = wanted
    return rules, problems


def load(translations_dir: str | Path, display=str, cache: str | Path = "") -> dict[str, Conversion]:
    """Each generated language's conversion, its override file read (and its problems);
    cache: where the build keeps what it converted (build_cache.py)."""
    found = {}
    for code, language in LANGUAGES.items():
        if language.generated_from:
            path = overrides_path(translations_dir, code)
            shown = display(path)
            rules, problems = read_overrides(path, shown)
            found[code] = Conversion(language.conversion, rules, shown, tuple(problems), str(cache or ""))
    return found


# --- What a generated language's files become ------------------------------------------


def page_text(conversion: Conversion, text: str, source: str, code: str) -> str:
    """A page file's text (front matter and Markdown), with its links to other pages of the
    source language pointing to the generated language's (home.zh.md → home.zh-hant.md)."""
    converted = conversion.convert(text)
    converted = re.sub(rf"^(lang:\s*[\"']?){re.escape(source)}\b", rf"\g<1>{code}", converted, count=1, flags=re.M)
    return re.sub(
        rf"(\{{filename\}}[^\s)\]>\"']*?)\.{re.escape(source)}\.md\b",
        rf"\1.{code}.md",
        converted,
    )


def catalog_bytes(conversion: Conversion, data: bytes | None, code: str) -> bytes | None:
    """A .po file's bytes (the source catalog's), converted; its Language header names the locale."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data  # catalogs.check_catalogs reports the source file
    text = conversion.convert(text)
    text = re.sub(r'^"Language: [^"\\]*\\n"$', f'"Language: {LANGUAGES[code].locale}\\\\n"', text, flags=re.M)
    return text.encode("utf-8")


def add_to_timeline(events, conversions: dict[str, Conversion]) -> None:
    """Each event's text in each generated language, converted from its source's line."""
    for code, conversion in conversions.items():
        source = LANGUAGES[code].generated_from
        for event in events:
            if isinstance(event.text.get(source), str):
                event.text[code] = conversion.convert(event.text[source])
