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
    # A generated language (traditional.py): its pages, timeline lines and catalog are made at
    # build time from generated_from's with OpenCC's `conversion` and its override file
    # (translations/<code>/overrides.txt); nobody writes or translates them by hand.
    generated_from: str = ""
    conversion: str = ""
    # The language whose letter readers send from this language's pages, where the officials
    # prefer it (Simplified for officials in mainland China); this one's is shown for reading.
    letters_in: str = ""
    cldr_name: str = ""  # the name's key in CLDR where the code alone is ambiguous (zh_Hant: 繁體中文)
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
            "简体中文",
            "zh-Hans",
            "zh_Hans_CN",
            "zh_CN",
            script=CJK,
            smartypants=False,
            closing="此致\n\n    敬礼！",
            language_names=(("en", "英文"),),
            share_image="share-zh.png",
            cldr_name="zh_Hans",
        ),
        Language(
            "zh-hant",
            "繁體中文",
            "zh-Hant",
            "zh_Hant_TW",
            "zh_TW",
            script=CJK,
            smartypants=False,
            closing="此致\n\n    敬禮！",
            share_image="share-zh-hant.png",
            generated_from="zh",
            conversion="s2tw",
            letters_in="zh",
            cldr_name="zh_Hant",
        ),
    )
}

HOME_SLUG = "home"


def written(codes=None) -> list[str]:
    """The languages editors write (or translate), without the generated ones."""
    return [code for code in (LANGUAGES if codes is None else codes) if not LANGUAGES[code].generated_from]


def generated_from(code: str) -> str:
    """The language a page in `code` is written in: its own, or its source's if generated."""
    return LANGUAGES[code].generated_from or code


@cache
def english_name(code: str) -> str:
    """Messages to editors are in English: "Dutch", not "Nederlands"."""
    language = LANGUAGES[code]
    key = language.cldr_name if language.generated_from else code  # "Chinese" is the one editors write
    return Locale.parse("en").languages.get(key, language.name)


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
    """'Chinese', 'Chinees', '中文': a language's name in the page's language (Babel/CLDR), or
    the table's own (language_names). On a page of a generated language, Chinese is named by
    its script: 簡體中文, 繁體中文."""
    language, display = LANGUAGES[code], LANGUAGES[display_lang]
    own = dict(display.language_names)
    if code in own:
        return own[code]
    key = code if display.generated_from == "" and not language.generated_from else language.cldr_name or code
    return Locale.parse(display.locale).languages.get(key, language.name)


def language_list(codes: Sequence[str], display_lang: str) -> str:
    """'English or Chinese', 'Engels of Chinees', '英语或中文'."""
    return _language_list(tuple(codes), display_lang)


@lru_cache(maxsize=1024)
def _language_list(codes: tuple[str, ...], display_lang: str) -> str:
    names = [language_name(code, display_lang) for code in codes if code in LANGUAGES]
    return format_list(names, style="or", locale=LANGUAGES[display_lang].locale) if names else ""
