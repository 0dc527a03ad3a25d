"""The case a site is for, declared once (CAMPAIGN_CASE in pelicanconf.py): one case per site.

Everything that names the case reads it from here: the site's name (the header, every
page's <title>, the share cards' site name and image text, the 404 page) and the people
named above every title, each in the scripts their name is written in. A new case is a
new site: a copy of this repository with its own CAMPAIGN_CASE and its own content
(docs/editing.md, "Start a site for a new case").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .languages import CJK, DEFAULT_CODE, LANGUAGES


@dataclass(frozen=True)
class Person:
    name: str  # in Latin script, as the site's Latin-script languages write it
    native: str = ""  # optional: the name in its own script (Han characters, Cyrillic...)
    native_lang: str = ""  # that name's BCP 47 language tag (zh-Hans), for lang= around it


@dataclass(frozen=True)
class Case:
    names: Mapping[str, str]  # the campaign's name, by language code
    people: tuple[Person, ...] = ()
    # a generated language's conversion (traditional.py), by code: its names are its source's, converted
    converters: Mapping[str, Callable[[str], str]] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        """The campaign's name in a language (the default language's where it has none yet)."""
        source = LANGUAGES[lang].generated_from if lang in LANGUAGES else ""
        if lang not in self.names and source in self.names and lang in self.converters:
            return self.converters[lang](self.names[source])
        return self.names.get(lang) or self.names.get(DEFAULT_CODE, "")

    def native_name(self, person: Person, lang: str) -> tuple[str, str]:
        """A person's name in its own script as a page in `lang` shows it, and its lang=:
        as declared (zh-Hans) everywhere, converted (zh-Hant) on a Traditional page."""
        language = LANGUAGES.get(lang)
        source = LANGUAGES.get(language.generated_from) if language and language.generated_from else None
        if source and lang in self.converters and person.native_lang == source.html_lang:
            return self.converters[lang](person.native), language.html_lang
        return person.native, person.native_lang

    def card_names(self, lang: str) -> tuple[str, str]:
        """The line under the name on the share card, and its lang=: the people's names in the
        other script (Han characters for Latin-script readers, Latin for Chinese ones), or as
        written when they have no other."""
        if LANGUAGES[lang].script != CJK and all(person.native for person in self.people):
            langs = {person.native_lang for person in self.people}
            return "、".join(person.native for person in self.people), langs.pop() if len(langs) == 1 else ""
        return ", ".join(person.name for person in self.people), "en"


def case_from(declared: object, converters: Mapping[str, Callable[[str], str]] | None = None) -> Case:
    """CAMPAIGN_CASE as pelicanconf.py writes it (plain dicts and lists); converters: each
    generated language's conversion (traditional.load), so its names need no declaring."""
    declared = declared if isinstance(declared, Mapping) else {}
    names = declared.get("name") if isinstance(declared.get("name"), Mapping) else {}
    people = tuple(
        Person(str(person.get("name") or ""), str(person.get("native") or ""), str(person.get("native_lang") or ""))
        for person in declared.get("people") or ()
        if isinstance(person, Mapping)
    )
    return Case({str(code): str(text) for code, text in names.items()}, people, dict(converters or {}))
