"""Typogrify per language.

Smartypants only knows English: it reads the Dutch elisions 's and 't as opening
quotes, and after Chinese punctuation it turns straight quotes into two closing
quotes. So each language says in its declaration (languages.py) whether it gets
Smartypants and whether its elisions are fixed first: English gets it as is, Dutch
after its elisions are fixed, and Chinese is left as the editor wrote it (with its
own full-width quotes). Rendered Markdown (typeset) and plain text such as a letter
(typeset_text) follow the same rule.

The result is typogrify's (quote curling and no orphaned last word), but reached
faster: Smartypants runs about ten regular expressions over every run of text
between two tags, though most runs have no quote, dash, dot or backslash to change.
`smartypants` here calls the library's own conversions, in its order, only on the
runs that have something for them (tests/test_typography.py checks that the output
is the library's, byte for byte). Typesetting was a third of reading a page.
"""

from __future__ import annotations

import functools
import re
from html import escape, unescape

import smartypants as smartypants_library
from typogrify.filters import process_ignores, widont

from .languages import LANGUAGES

# 's, 't, 'n, 'k, 'm, 'r, 'em at the start of a word: Dutch elisions, always U+2019.
_DUTCH_ELISION = re.compile(r"(?<![\w\u2018\u2019])'(?=(?:s|t|n|k|m|r|em)\b)", re.IGNORECASE)

# Only quote curling and no orphaned last word: the caps/amp/initial-quote spans add
# bytes to every page and are not used by the theme's CSS.
_IGNORE = ["pre", "code", "kbd", "script", "style"]
_NOT_WHITESPACE = re.compile(r"\S")
_SKIPPED_TAG = re.compile(f"<(/)?({'|'.join(smartypants_library.tags_to_skip)})[^>]*>", re.I)


def fix_dutch_elisions(text: str) -> str:
    return _DUTCH_ELISION.sub("\u2019", text)


def _educate(text: str, previous_last_char: str) -> str:
    """One run of text, as smartypants.smartypants converts it with its default
    attributes (quotes, ``backticks'', -- as an em dash, ... as an ellipsis)."""
    if "\\" in text:
        text = smartypants_library.process_escapes(text)
    if "--" in text:
        text = smartypants_library.convert_dashes(text)
    if "..." in text or ". . ." in text:
        text = smartypants_library.convert_ellipses(text)
    if "``" in text or "''" in text:
        text = smartypants_library.convert_backticks(text)
    if text in ("'", '"'):  # a lone quote between two tags: the text before it decides
        closing = bool(_NOT_WHITESPACE.match(previous_last_char))
        return ("&#8217;" if closing else "&#8216;") if text == "'" else ("&#8221;" if closing else "&#8220;")
    if "'" in text or '"' in text:
        text = smartypants_library.convert_quotes(text)
    return text


def smartypants(html: str) -> str:
    """smartypants.smartypants(html), the same output, in a fraction of the time."""
    result = []
    skipped = []  # open <pre>, <code>... whose text is left alone
    previous_last_char = ""
    for kind, token in smartypants_library._tokenize(html):
        if kind == "tag":
            result.append(token)
            match = _SKIPPED_TAG.match(token)
            if match:
                if not match.group(1):
                    skipped.append(match.group(2).lower())
                elif skipped and match.group(2).lower() == skipped[-1]:
                    skipped.pop()
            continue
        result.append(token if skipped else _educate(token, previous_last_char))
        previous_last_char = token[-1:]
    return "".join(result)


def typogrify(html: str) -> str:
    """typogrify.filters.typogrify(html, _IGNORE, amp=False, caps=False, initial_quotes=False)."""
    return "".join(widont(smartypants(text)) if process else text for text, process in process_ignores(html, _IGNORE))


def typeset(html: str, lang: str) -> str:
    """Rendered Markdown with its language's typography."""
    language = LANGUAGES.get(lang)
    if not html or language is None or not language.smartypants:
        return html
    return typogrify(fix_dutch_elisions(html) if language.dutch_elisions else html)


@functools.lru_cache(maxsize=4096)  # a page's letters repeat their paragraphs, one letter per official
def typeset_text(text: str | None, lang: str) -> str | None:
    """Plain text with the page's typography (curly quotes, dashes), as typeset gives
    rendered Markdown: the letters read like the pages around them, and e-mail them so."""
    language = LANGUAGES.get(lang)
    if not text or language is None or not language.smartypants:
        return text
    if language.dutch_elisions:
        text = fix_dutch_elisions(text)
    return unescape(smartypants(escape(text, quote=False)))


def typeset_title(text: str, lang: str) -> str:
    """Plain text (a title, a summary) typeset as typeset() does HTML, and given back as
    plain text: curly quotes, dashes and the no-break space before the last word as
    characters, never as entities or tags, so that each output escapes it as its own
    syntax needs."""
    return unescape(typeset(escape(text, quote=False), lang))
