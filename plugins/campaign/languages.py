"""The site's languages: one declaration per language, and the URLs of a document in each.

Adding a language is one entry in LANGUAGES (docs/architecture.md, "Add a language"):
the build then names every content file, timeline text and catalog still to create.
Everything that differs between languages is read from here: typography, the script
(site.css has a font stack for each CJK language), letter closings for `make new`, the
share card. Nothing else in the plugin, the theme or the tests lists the languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from babel.lists import format_list

LATIN, CJK = "latin", "cjk"


@dataclass(frozen=True)
class Language:
    code: str  # as in front matter and file names
    name: str  # the language's own name, shown in the switcher
    html_lang: str  # BCP 47, for lang= and hreflang=
    locale: str  # Babel locale for dates and language names
    og_locale: str  # Open Graph locale
    script: str = LATIN  # LATIN or CJK: a CJK language needs its own font stack in site.css
    # Typography (typography.py): Smartypants (curly quotes, dashes) only knows English
    # punctuation; Dutch elisions ('s, 't) must not be read as opening quotes.
    smartypants: bool = True
    dutch_elisions: bool = False
    closing: str = "Yours sincerely,"  # how `make new` ends a sample letter, indented as in its body
    share_image: str = ""  # the share card in theme/static/images (scripts/make_share_image.py)
    # Names of languages where CLDR's are not the ones a letter's reader expects, as (code,
    # name): a letter is written in 英文 (the written language), where CLDR says 英语.
    language_names: tuple[tuple[str, str], ...] = ()

    @property
    def sentence_space(self) -> str:
        """What goes between two sentences the templates put side by side: Chinese puts nothing there."""
        return "" if self.script == CJK else " "

    @property
    def prefix(self) -> str:
        return "" if self.code == DEFAULT_CODE else f"{self.code}/"


DEFAULT_CODE = "en"

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "en", "en_GB", "en_GB", closing="Yours sincerely,", share_image="share-en.png"),
        Language(
            "nl",
            "Nederlands",
            "nl",
            "nl_NL",
            "nl_NL",
            dutch_elisions=True,
            closing="Hoogachtend,",
            share_image="share-nl.png",
        ),
        Language(
            "zh",
            "中文",
            "zh-Hans",
            "zh_Hans_CN",
            "zh_CN",
            script=CJK,
            smartypants=False,
            closing="此致\n\n    敬礼！",
            language_names=(("en", "英文"),),
            share_image="share-zh.png",
        ),
    )
}

HOME_SLUG = "home"


@cache
def english_name(code: str) -> str:
    """Messages to editors are in English: "Dutch", not "Nederlands"."""
    return Locale.parse("en").languages.get(code, LANGUAGES[code].name)


def english_names(codes) -> str:
    """'Dutch and Chinese', 'Dutch, Chinese and German'."""
    names = [english_name(code) for code in codes]
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def page_url(slug: str, lang: str) -> str:
    """The page's path below the site root, with a trailing slash (clean URLs)."""
    prefix = LANGUAGES[lang].prefix
    return prefix if slug == HOME_SLUG else f"{prefix}{slug}/"


def page_save_as(slug: str, lang: str) -> str:
    return f"{page_url(slug, lang)}index.html"


def absolute(siteurl: str, path: str) -> str:
    """Join the site URL and a path; root-relative when no SITEURL is set (development)."""
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}"


@cache  # three languages by three: asked for on every action's page
def language_name(code: str, display_lang: str) -> str:
    """'Chinese', 'Chinees', '中文': a language's name in the page's language (Babel/CLDR)."""
    own = dict(LANGUAGES[display_lang].language_names)
    return own.get(code) or Locale.parse(LANGUAGES[display_lang].locale).languages.get(code, LANGUAGES[code].name)


def language_list(codes: Sequence[str], display_lang: str) -> str:
    """'English or Chinese', 'Engels of Chinees', '英语或中文'."""
    return _language_list(tuple(codes), display_lang)


@lru_cache(maxsize=1024)
def _language_list(codes: tuple[str, ...], display_lang: str) -> str:
    names = [language_name(code, display_lang) for code in codes if code in LANGUAGES]
    return format_list(names, style="or", locale=LANGUAGES[display_lang].locale) if names else ""
