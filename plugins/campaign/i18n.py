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

from .languages import DEFAULT_CODE, LANGUAGES

DOMAIN = "messages"


def catalog_path(translations_dir: Path, lang: str) -> Path:
    return Path(translations_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(translations_dir: Path) -> dict[str, gettext.NullTranslations]:
    result: dict[str, gettext.NullTranslations] = {DEFAULT_CODE: gettext.NullTranslations()}
    for lang in LANGUAGES:
        if lang == DEFAULT_CODE:
            continue
        path = catalog_path(translations_dir, lang)
        try:
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=LANGUAGES[lang].locale)
        except (OSError, ValueError, PoFileError):
            # Reported to the editor, with the file and the fix, by catalogs.check_catalogs
            # before anything is written; until then English stands in.
            result[lang] = gettext.NullTranslations()
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        result[lang] = Translations(buffer, domain=DOMAIN)
    return result
