"""Interface-string catalogs: current with the templates, and complete in every language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from campaign.i18n import catalog_path, load_translations
from campaign.languages import DEFAULT_CODE, written
from conftest import ROOT

TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def msgids(catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


def read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def test_template_is_current_with_the_theme(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "--mapping-file=babel.cfg",
            f"--output-file={fresh}",
            "--no-location",
            "--sort-output",
            "theme/templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = msgids(read(TRANSLATIONS / "messages.pot"))
    extracted = msgids(read(fresh))
    assert extracted == committed, (
        f"run `make update`: new {sorted(extracted - committed)}, gone {sorted(committed - extracted)}"
    )


@pytest.mark.parametrize("lang", [code for code in written() if code != DEFAULT_CODE])
def test_catalog_is_complete(lang):
    template = msgids(read(TRANSLATIONS / "messages.pot"))
    catalog = read(catalog_path(TRANSLATIONS, lang))
    problems = []
    for msgid in sorted(template):
        message = catalog.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r} (run `make update`)")
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(msgid)):
                problems.append(f"placeholders differ: {msgid!r} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_catalogs_load_and_translate():
    translations = load_translations(TRANSLATIONS)
    assert translations["nl"].gettext("Skip to main content") != "Skip to main content"
    assert translations["zh"].gettext("Skip to main content") != "Skip to main content"
    assert translations["en"].gettext("Skip to main content") == "Skip to main content"


def test_a_missing_catalog_stops_the_build_with_one_line(tmp_path):
    for name in ("content", "theme", "translations", "plugins"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("babel.cfg", "pelicanconf.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "translations" / "zh" / "LC_MESSAGES" / "messages.po").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        "translations/zh/LC_MESSAGES/messages.po: the Chinese catalog is missing — run `make catalog-init LANG=zh`"
        in result.stderr
    )
    assert not (tmp_path / "output" / "index.html").exists()
