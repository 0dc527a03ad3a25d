"""Typogrify per language.

Smartypants only knows English: it reads the Dutch elisions 's and 't as opening
quotes, and after Chinese punctuation it turns straight quotes into two closing
quotes. So English gets it as is, Dutch gets it after its elisions are fixed, and
Chinese is left as the editor wrote it (with its own full-width quotes).
"""

from __future__ import annotations

import re

from typogrify.filters import typogrify

# 's, 't, 'n, 'k, 'm, 'r, 'em at the start of a word: Dutch elisions, always U+2019.
_DUTCH_ELISION = re.compile(r"(?<![\w\u2018\u2019])'(?=(?:s|t|n|k|m|r|em)\b)", re.IGNORECASE)

# Only quote curling and no orphaned last word: the caps/amp/initial-quote spans add
# bytes to every page and are not used by the theme's CSS.
_FILTERS = {"amp": False, "caps": False, "initial_quotes": False}
_IGNORE = ["pre", "code", "kbd", "script", "style"]


def fix_dutch_elisions(text: str) -> str:
    return _DUTCH_ELISION.sub("\u2019", text)


def typeset(html: str, lang: str) -> str:
    if not html:
        return html
    if lang == "en":
        return typogrify(html, _IGNORE, **_FILTERS)
    if lang == "nl":
        return typogrify(fix_dutch_elisions(html), _IGNORE, **_FILTERS)
    return html
