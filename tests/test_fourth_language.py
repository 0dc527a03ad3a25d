"""A fifth language takes its declaration, its catalog and its content, nothing else.

A copy of the site gets a throwaway German (its text copied from the English) the way
docs/architecture.md says to add a language: one entry in the copied languages.py, a
catalog made by `make catalog-init LANG=de`, and a German file for every document of the
tests' fixture site plus a German line for every timeline event, then `make golden`. The
copy's fixture site builds; its German pages are at /de/ with lang="de"; a diff against
this tree shows that nothing else changed (the golden output aside, which German only adds
to); and the tests that read the languages table, and the golden comparison, pass on the
copy's fixture site, German included: no test code changes.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup

from conftest import DEFAULT_CLOCK, ROOT, SLUGS, epoch

# What the copy holds: the site and the tests, not the output, caches or installed packages.
COPIED = [
    "content",
    "theme",
    "translations",
    "plugins",
    "tests",
    "pelicanconf.py",
    "publishconf.py",
    "babel.cfg",
    "Makefile",
    "pyproject.toml",
]
IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc")
GERMAN = (
    '        Language("de", "Deutsch", "de", "de_DE", "de_DE", closing="Mit freundlichen Grüßen,",\n'
    '                 share_image="share-en.png"),  # a throwaway German: the English card until it has its own\n'
)
# The tests of the copy that read the table: the built site's languages, switcher, alternates,
# feeds and 404 page; the table itself; the catalogs; the timeline; `make new`.
TABLE_TESTS = [
    "tests/test_golden.py",
    "tests/test_site.py",
    "tests/test_languages.py",
    "tests/test_catalogs.py",
    "tests/test_timeline.py",
    "tests/test_scaffold.py",
]


def add_language_to_table(site: Path) -> None:
    path = site / "plugins" / "campaign" / "languages.py"
    text = path.read_text(encoding="utf-8")
    end = re.search(r"^    \)\n}\n", text, re.MULTILINE)  # the end of the LANGUAGES table
    assert end, "languages.py: the LANGUAGES table's end, '    )\\n}', was not found"
    path.write_text(text[: end.start()] + GERMAN + text[end.start() :], encoding="utf-8")


def make_catalog(site: Path) -> None:
    """`make catalog-init LANG=de`, with this run's Python instead of the copy's own .venv;
    then a "translation" that copies the English, as the content's does."""
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "catalog-init",
            "LANG=de",
            f"BIN={Path(sys.executable).parent}",
            "-o",
            ".venv/.deps-installed",
        ],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    path = site / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalog)


FIXTURE = Path("tests") / "fixtures" / "site" / "content"  # the tests' site (conftest.CONTENT)
GOLDEN = Path("tests") / "fixtures" / "golden"


def add_content(site: Path) -> None:
    """A German file for every document of the fixture site, a German line for every event."""
    for english in sorted((site / FIXTURE / "pages").glob("*.en.md")):
        text = re.sub(r"^lang: en\b", "lang: de", english.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
        english.with_name(english.name.replace(".en.md", ".de.md")).write_text(text, encoding="utf-8")
    timeline = site / FIXTURE / "timeline.yaml"
    data = yaml.safe_load(timeline.read_text(encoding="utf-8"))
    for event in data["events"]:
        event["text"]["de"] = event["text"]["en"]
    timeline.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_golden(site: Path) -> None:
    """`make golden`, with this run's Python."""
    result = subprocess.run(
        ["make", "--no-print-directory", "golden", f"BIN={Path(sys.executable).parent}", "-o", ".venv/.deps-installed"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def changed_files(copy: Path, original: Path) -> set[str]:
    """Every file of the copy that is new or differs from the original (output and caches aside)."""
    changed = set()
    for name in COPIED:
        if (copy / name).is_file():
            if not filecmp.cmp(copy / name, original / name, shallow=False):
                changed.add(name)
            continue
        for path in (copy / name).rglob("*"):
            relative = path.relative_to(copy)
            if path.is_dir() or "__pycache__" in relative.parts or ".pytest_cache" in relative.parts:
                continue
            if relative.as_posix().startswith(GOLDEN.as_posix() + "/"):
                continue  # written by `make golden`: test_make_golden_only_adds_german compares it
            theirs = original / relative
            if not theirs.is_file() or not filecmp.cmp(path, theirs, shallow=False):
                changed.add(relative.as_posix())
    return changed


@pytest.fixture(scope="module")
def german_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("fourth-language") / "site"
    site.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, site / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, site / name)
    add_language_to_table(site)
    make_catalog(site)
    add_content(site)
    make_golden(site)
    return site


def test_only_the_table_the_catalog_and_the_content_change(german_site):
    english_pages = sorted(path.name for path in (ROOT / FIXTURE / "pages").glob("*.en.md"))
    assert changed_files(german_site, ROOT) == {
        "plugins/campaign/languages.py",
        "translations/de/LC_MESSAGES/messages.po",
        f"{FIXTURE.as_posix()}/timeline.yaml",
        *(f"{FIXTURE.as_posix()}/pages/{name.replace('.en.md', '.de.md')}" for name in english_pages),
    }


def test_make_golden_only_adds_german(german_site):
    """Every file of the golden output is still there, and the new ones are German's."""
    before = {p.relative_to(ROOT / GOLDEN).as_posix() for p in (ROOT / GOLDEN).rglob("*") if p.is_file()}
    after = {p.relative_to(german_site / GOLDEN).as_posix() for p in (german_site / GOLDEN).rglob("*") if p.is_file()}
    assert before <= after
    assert after - before and all(name.startswith("de/") for name in after - before), sorted(after - before)


def test_the_site_builds_with_german_pages_at_de(german_site):
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(FIXTURE), "-o", "output", "-s", "pelicanconf.py"],
        cwd=german_site,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for slug in SLUGS:
        path = german_site / "output" / "de" / ("" if slug == "home" else slug) / "index.html"
        assert path.is_file(), f"{slug} in German was not built"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == "de"
        switcher = [a.get_text(strip=True) for a in soup.select("nav.cs-language-switcher a")]
        assert switcher == ["English", "Nederlands", "简体中文", "繁體中文", "Deutsch"]
    assert (german_site / "output" / "de" / "feed.xml").is_file()


def test_the_tests_that_read_the_table_pass_with_german(german_site):
    """They run in the copy, on its plugin and its fixture site: German is one of LANGS there."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not browser", *TABLE_TESTS],
        cwd=german_site,
        capture_output=True,
        text=True,
        timeout=600,
        env={key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    german = [line for line in result.stdout.splitlines() if re.search(r"[\[-]de[\]-].* PASSED", line)]
    assert len(german) >= 10, "German is among the languages the copy's tests are parametrized with"
