"""The site's languages and the URLs of a document in each of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as in front matter and file names
    name: str  # the language's own name, shown in the switcher
    html_lang: str  # BCP 47, for lang= and hreflang=
    locale: str  # Babel locale for dates and language names
    og_locale: str  # Open Graph locale

    @property
    def prefix(self) -> str:
        return "" if self.code == DEFAULT_CODE else f"{self.code}/"


DEFAULT_CODE = "en"

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "en", "en_GB", "en_GB"),
        Language("nl", "Nederlands", "nl", "nl_NL", "nl_NL"),
        Language("zh", "中文", "zh-Hans", "zh_Hans_CN", "zh_CN"),
    )
}

HOME_SLUG = "home"


def page_url(slug: str, lang: str) -> str:
    """The page's path below the site root, with a trailing slash (clean URLs)."""
    prefix = LANGUAGES[lang].prefix
    return prefix if slug == HOME_SLUG else f"{prefix}{slug}/"


def page_save_as(slug: str, lang: str) -> str:
    return f"{page_url(slug, lang)}index.html"


def absolute(siteurl: str, path: str) -> str:
    """Join the site URL and a path; root-relative when no SITEURL is set (development)."""
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}"
