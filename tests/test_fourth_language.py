"""A fifth language takes its declaration, its catalog and its content, nothing else.

A copy of the site gets a throwaway language (German, its text copied from the English) the
way docs/architecture.md says to add one: an entry in the copied languages.py, a catalog
made by `make catalog-init LANG=de`, a German file for every document of content/pages and
a German line for every event of content/timeline.yaml, then `make golden`. Nobody adds a
file to the tests' fixture site: it follows the table (tests/fixture_site.py). A diff
against this tree shows that nothing else changed (the golden output aside, which German
only adds to); the German pages of the copy's fixture site (its golden output) and of its
real site are at /de/ with lang="de"; `make check` counts German up to date; and the tests
that read the languages table, and the golden comparison, pass on the copy's fixture site,
German included: no test code changes.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from fixture_site import timeline_with, translated_page

from campaign.languages import DEFAULT_CODE, LANGUAGES, Language, page_url
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
# The throwaway language: German, or French once the table declares German of its own.
THROWAWAY = (
    Language("de", "Deutsch", "de", "de_DE", "de_DE", closing="Mit freundlichen Grüßen,"),
    Language("fr", "Français", "fr", "fr_FR", "fr_FR", closing="Veuillez agréer mes salutations distinguées."),
)
NEW = next(language for language in THROWAWAY if language.code not in LANGUAGES)
# The tests of the copy that read the table: the fixture site in every language; the built
# site's languages, switcher, alternates, feeds and 404 page; the table itself; the catalogs;
# the timeline; `make new`.
TABLE_TESTS = [
    "tests/test_fixture_site.py",
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
    fields = ", ".join(json.dumps(value, ensure_ascii=False) for value in astuple(NEW)[:5])
    entry = (
        f"        Language({fields}, closing={json.dumps(NEW.closing, ensure_ascii=False)},\n"
        '                 share_image="share-en.png"),  # a throwaway language: the English card until it has its own\n'
    )
    path.write_text(text[: end.start()] + entry + text[end.start() :], encoding="utf-8")


def make(site: Path, *target: str) -> subprocess.CompletedProcess:
    """`make <target>` in the copy, with this run's Python instead of the copy's own .venv
    (which it has not: its set-up steps are taken as done)."""
    installed = ["-o", ".venv/.deps-installed", "-o", ".venv/.plugins-compiled"]
    return subprocess.run(
        ["make", "--no-print-directory", *target, f"BIN={Path(sys.executable).parent}", *installed],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_catalog(site: Path) -> None:
    """`make catalog-init LANG=de` (the new language's code); then a "translation" that
    copies the English, as the content's does."""
    result = make(site, "catalog-init", f"LANG={NEW.code}")
    assert result.returncode == 0, result.stdout + result.stderr
    path = site / "translations" / NEW.code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalog)


CONTENT = Path("content")  # the campaign's content, as editors change it (conftest.REAL_CONTENT)
GOLDEN = Path("tests") / "fixtures" / "golden"


def add_content(site: Path) -> None:
    """A file for every document of the content, a line for every event of its timeline:
    the English, copied as a translator's first copy would be (fixture_site.py)."""
    for english in sorted((site / CONTENT / "pages").glob(f"*.{DEFAULT_CODE}.md")):
        path = english.with_name(english.name.replace(f".{DEFAULT_CODE}.md", f".{NEW.code}.md"))
        path.write_text(translated_page(english, NEW.code), encoding="utf-8")
    timeline = site / CONTENT / "timeline.yaml"
    timeline.write_text(timeline_with(timeline, [NEW.code]), encoding="utf-8")


def make_golden(site: Path) -> None:
    result = make(site, "golden")
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
                continue  # written by `make golden`: test_make_golden_only_adds_the_new_language compares it
            theirs = original / relative
            if not theirs.is_file() or not filecmp.cmp(path, theirs, shallow=False):
                changed.add(relative.as_posix())
    return changed


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("new-language") / "site"
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


def test_only_the_table_the_catalog_and_the_content_change(new_site):
    english_pages = sorted(path.name for path in (ROOT / CONTENT / "pages").glob(f"*.{DEFAULT_CODE}.md"))
    assert english_pages
    assert changed_files(new_site, ROOT) == {
        "plugins/campaign/languages.py",
        f"translations/{NEW.code}/LC_MESSAGES/messages.po",
        f"{CONTENT.as_posix()}/timeline.yaml",
        *(
            f"{CONTENT.as_posix()}/pages/{name.replace(f'.{DEFAULT_CODE}.md', f'.{NEW.code}.md')}"
            for name in english_pages
        ),
    }


def test_make_golden_only_adds_the_new_language(new_site):
    """Every file of the golden output is still there, and the new ones are the new language's."""
    before = {p.relative_to(ROOT / GOLDEN).as_posix() for p in (ROOT / GOLDEN).rglob("*") if p.is_file()}
    after = {p.relative_to(new_site / GOLDEN).as_posix() for p in (new_site / GOLDEN).rglob("*") if p.is_file()}
    assert before <= after
    added = after - before
    assert added and all(name.startswith(f"{NEW.code}/") for name in added), sorted(added)


def assert_pages_in_the_new_language(site: Path) -> None:
    """Every document at /de/, in German, with German last in the language switcher."""
    for slug in SLUGS:
        path = site / NEW.code / page_url(slug, DEFAULT_CODE) / "index.html"  # not the default: under /de/
        assert path.is_file(), f"{path}: {slug} in {NEW.name} was not built"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == NEW.html_lang
        switcher = [a.get_text(strip=True) for a in soup.select("nav.cs-language-switcher a")]
        assert switcher == [language.name for language in LANGUAGES.values()] + [NEW.name]
    assert (site / NEW.code / "feed.xml").is_file()


def test_the_fixture_site_has_pages_in_the_new_language_without_files_of_its_own(new_site):
    """`make golden` built the copy's fixture site, which has no German file (fixture_site.py)."""
    fixture = new_site / "tests" / "fixtures" / "site" / "content"
    assert not list(fixture.rglob(f"*.{NEW.code}.md"))
    assert_pages_in_the_new_language(new_site / GOLDEN)


def test_the_real_site_builds_with_the_new_language_up_to_date(new_site):
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(CONTENT), "-o", "output", "-s", "pelicanconf.py"],
        cwd=new_site,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert_pages_in_the_new_language(new_site / "output")
    check = make(new_site, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    documents = len(list((new_site / CONTENT / "pages").glob(f"*.{DEFAULT_CODE}.md")))
    assert re.search(
        rf"^\w+ \({NEW.code}\): {documents} of {documents} documents, (\d+) of \1 timeline events, "
        r"(\d+) of \2 interface strings up to date$",
        check.stdout,
        re.MULTILINE,
    ), check.stdout


def test_the_tests_that_read_the_table_pass_with_the_new_language(new_site):
    """They run in the copy, on its plugin and its fixture site: German is one of LANGS there."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not browser", *TABLE_TESTS],
        cwd=new_site,
        capture_output=True,
        text=True,
        timeout=600,
        env={key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = [line for line in result.stdout.splitlines() if re.search(rf"[\[-]{NEW.code}[\]-].* PASSED", line)]
    assert len(passed) >= 10, f"{NEW.name} is among the languages the copy's tests are parametrized with"
