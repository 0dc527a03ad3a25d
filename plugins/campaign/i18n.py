"""Interface strings: gettext catalogs compiled from translations/<lang>/LC_MESSAGES/*.po.

The .po files are compiled in memory on every build (no .mo files to commit or to
forget to rebuild). Fuzzy entries are left out, so an unreviewed string falls back
to English instead of showing a guess.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from . import traditional
from .languages import DEFAULT_CODE, LANGUAGES

DOMAIN = "messages"


def catalog_path(translations_dir: Path, lang: str) -> Path:
    return Path(translations_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogs(translations_dir: Path, conversions: dict | None = None) -> dict[str, bytes | None]:
    """Each language's .po file as bytes (None if it cannot be read). The build reads them
    once, and both compiles and checks (catalogs.check_catalogs) those same bytes. A generated
    language's is its source's, converted (conversions: traditional.load(translations_dir))."""
    found: dict[str, bytes | None] = {}
    for lang in LANGUAGES:
        if lang != DEFAULT_CODE and not LANGUAGES[lang].generated_from:
            try:
                found[lang] = catalog_path(translations_dir, lang).read_bytes()
            except OSError:
                found[lang] = None
    conversions = traditional.load(translations_dir) if conversions is None else conversions
    for lang, conversion in conversions.items():
        found[lang] = traditional.catalog_bytes(conversion, found.get(LANGUAGES[lang].generated_from), lang)
    return found


def load_translations(
    translations_dir: Path, sources: dict[str, bytes | None] | None = None
) -> dict[str, gettext.NullTranslations]:
    """sources: read_catalogs(translations_dir), when the caller has read them already."""
    sources = read_catalogs(translations_dir) if sources is None else sources
    result: dict[str, gettext.NullTranslations] = {DEFAULT_CODE: gettext.NullTranslations()}
    for lang in LANGUAGES:
        if lang == DEFAULT_CODE:
            continue
        try:
            catalog = read_po(io.BytesIO(sources[lang]), locale=LANGUAGES[lang].locale)
        except (TypeError, ValueError, PoFileError):
            # Reported to the editor, with the file and the fix, by catalogs.check_catalogs
            # before anything is written; until then English stands in.
            result[lang] = gettext.NullTranslations()
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        result[lang] = Translations(buffer, domain=DOMAIN)
    return result
