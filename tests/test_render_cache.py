"""A rebuild renders again only the pages whose output would change (render_cache.py),
and what it leaves in the output is always what a cold build would write."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from campaign import render_cache
from campaign.languages import LANGUAGES
from conftest import CONTENT, LANGS, ROOT, SLUGS, build, forget_last_build, page_path, run_pelican
from test_content_cache import tree

SLUGS_AND_LANGS = [(slug, lang) for slug in SLUGS for lang in LANGS]


# --- The module on its own -------------------------------------------------------------

def test_a_digest_keeps_its_parts_apart():
    assert render_cache.digest("ab", "c") != render_cache.digest("a", "bc")
    assert render_cache.digest("a", b"b") == render_cache.digest(b"a", "b")


def test_the_files_digest_follows_every_file_but_compiled_python(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("<html>", encoding="utf-8")
    first = render_cache.files_digest([tmp_path])
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert render_cache.files_digest([tmp_path]) == first
    (tmp_path / "templates" / "base.html").write_text("<html lang>", encoding="utf-8")
    edited = render_cache.files_digest([tmp_path])
    assert edited != first
    (tmp_path / "templates" / "new.html").write_text("", encoding="utf-8")
    assert render_cache.files_digest([tmp_path]) != edited
    assert render_cache.files_digest([tmp_path / "missing"]) != render_cache.files_digest([tmp_path / "other"])


def shout(text):
    return text.upper()


def test_settings_count_functions_by_code_not_by_address():
    def whisper(text):
        return text.lower()

    settings = {"SITEURL": "", "JINJA_FILTERS": {"loud": shout}, "lowercase": object()}
    same = {"SITEURL": "", "JINJA_FILTERS": {"loud": shout}, "lowercase": object()}
    assert render_cache.settings_digest(settings) == render_cache.settings_digest(same)  # lower-case keys are not settings
    assert render_cache.settings_digest(settings) != render_cache.settings_digest({**settings, "SITEURL": "https://x.example"})
    whisper.__name__ = whisper.__qualname__ = "shout"
    whisper.__module__ = shout.__module__
    assert render_cache.settings_digest(settings) != render_cache.settings_digest({**settings, "JINJA_FILTERS": {"loud": whisper}})


def test_a_record_keeps_an_output_only_while_its_key_and_file_are_unchanged(tmp_path):
    output, cache = tmp_path / "site", tmp_path / "cache"
    (output / "nl").mkdir(parents=True)
    page = output / "nl" / "index.html"
    page.write_text("<p>Hallo</p>", encoding="utf-8")
    record = render_cache.RenderRecord.load(cache, output)
    assert not record.is_current("nl/index.html", "k1")
    record.wrote("nl/index.html", "k1")
    record.save(cache)

    again = render_cache.RenderRecord.load(cache, output)
    assert again.is_current("nl/index.html", "k1")
    assert not again.is_current("nl/index.html", "k2")
    elsewhere = render_cache.RenderRecord.load(cache, tmp_path / "elsewhere")  # another output folder, sharing the cache
    assert not elsewhere.is_current("nl/index.html", "k1")
    (tmp_path / "elsewhere" / "nl").mkdir(parents=True)
    (tmp_path / "elsewhere" / "nl" / "index.html").write_text("<p>Elders</p>", encoding="utf-8")
    elsewhere.wrote("nl/index.html", "k9")
    elsewhere.save(cache)
    assert render_cache.RenderRecord.load(cache, tmp_path / "elsewhere").is_current("nl/index.html", "k9")
    assert render_cache.RenderRecord.load(cache, output).is_current("nl/index.html", "k1")  # each folder keeps its own

    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # edited in place, same size
    assert not again.is_current("nl/index.html", "k1")
    page.unlink()
    assert not again.is_current("nl/index.html", "k1")


@pytest.mark.parametrize("saved", ["", "{not json", '{"version": 1, "pages": []}', '["a list"]', '{"version": 0, "pages": {}}'])
def test_an_unreadable_or_foreign_record_keeps_nothing(tmp_path, saved):
    render_cache.record_path(tmp_path, tmp_path / "site").write_text(saved, encoding="utf-8")
    assert render_cache.RenderRecord.load(tmp_path, tmp_path / "site").pages == {}


# --- Real builds -----------------------------------------------------------------------

def modification_times(site: Path) -> dict[str, int]:
    return {str(path.relative_to(site)): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, mtime in after.items() if before.get(name) != mtime}


def cold_build(tmp_path: Path, name: str, **kwargs) -> dict[str, str]:
    return tree(build(tmp_path / name / "site", **kwargs))


@pytest.fixture
def content(tmp_path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def test_a_rebuild_with_nothing_changed_renders_nothing(tmp_path):
    site = build(tmp_path / "warm" / "site")
    before, cold = modification_times(site), tree(site)
    forget_last_build(site)  # or the build would stop at once: nothing changed
    result = run_pelican(site)
    assert result.returncode == 0, result.stderr
    assert "Processed" in result.stdout and "nothing changed" not in result.stdout  # it did run
    assert rewritten(before, modification_times(site)) == set()
    assert tree(site) == cold
    record = json.loads(render_cache.record_path(tmp_path / "warm" / "cache" / "site", site).read_text(encoding="utf-8"))
    pages = {str(page_path(Path(""), slug, lang)) for slug, lang in SLUGS_AND_LANGS}
    assert {name for name in record["pages"] if name.endswith(".html")} == pages | {"404.html"}
    assert {f"{LANGUAGES[lang].prefix}feed.xml" for lang in LANGS} <= set(record["pages"])


def test_editing_a_page_s_text_renders_that_page_again_and_no_other(tmp_path, content):
    site = build(tmp_path / "warm" / "site", content=content)
    before = modification_times(site)
    edited = content / "pages" / "press-release.nl.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEen zin die er eerst niet stond.\n", encoding="utf-8")
    build(site, content=content)
    assert rewritten(before, modification_times(site)) == {"nl/press-release/index.html"}
    assert "Een zin die er eerst niet" in page_path(site, "press-release", "nl").read_text(encoding="utf-8")
    assert "Een zin die er eerst niet" in (site / "nl" / "feed.xml").read_text(encoding="utf-8")
    assert tree(site) == cold_build(tmp_path, "cold", content=content)


def test_editing_front_matter_renders_every_page_that_shows_it(tmp_path, content):
    site = build(tmp_path / "warm" / "site", content=content)
    edited = content / "pages" / "urgent-action.en.md"
    text = edited.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    edited.write_text(text.replace(title, "title: A renamed urgent action", 1), encoding="utf-8")
    build(site, content=content)
    assert "A renamed urgent&nbsp;action" in page_path(site, "home", "en").read_text(encoding="utf-8")  # the list of actions
    assert tree(site) == cold_build(tmp_path, "cold", content=content)


def test_an_output_file_deleted_or_edited_by_hand_is_written_again(tmp_path):
    site = build(tmp_path / "warm" / "site")
    cold = tree(site)
    page_path(site, "petition", "zh").unlink()
    home = page_path(site, "home", "nl")
    home.write_text(home.read_text(encoding="utf-8").replace("<main", "<main data-edited", 1), encoding="utf-8")
    (site / "zh" / "feed.xml").unlink()
    build(site)
    assert tree(site) == cold


def test_templates_catalogs_and_the_clock_each_render_the_pages_again(tmp_path):
    theme = Path(shutil.copytree(ROOT / "theme", tmp_path / "theme"))
    translations = Path(shutil.copytree(ROOT / "translations", tmp_path / "translations"))
    options = ("-t", str(theme), "-e", f"CAMPAIGN_TRANSLATIONS={json.dumps(str(translations))}")
    site = build(tmp_path / "warm" / "site", options=options)

    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-theme-edit", 1), encoding="utf-8")
    build(site, options=options)
    assert all("data-theme-edit" in page_path(site, s, l).read_text(encoding="utf-8") for s, l in SLUGS_AND_LANGS)

    catalog = translations / "nl" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    english = 'msgid "Skip to main content"\nmsgstr "'
    assert english in text, "the test needs a translated string that every page shows"
    catalog.write_text(text.replace(english, english + "Snel: ", 1), encoding="utf-8")
    build(site, options=options)
    assert "Snel: Direct naar de inhoud" in page_path(site, "petition", "nl").read_text(encoding="utf-8")

    build(site, options=options, clock=dt.date(2025, 4, 1))  # after the urgent action's deadline
    assert tree(site) == cold_build(tmp_path, "cold", options=options, clock=dt.date(2025, 4, 1))


def test_ignore_cache_renders_every_page(tmp_path):
    site = build(tmp_path / "warm" / "site")
    before = modification_times(site)
    build(site, options=("--ignore-cache",))
    assert rewritten(before, modification_times(site)) == set(before)


def test_a_string_added_to_a_template_is_reported_by_the_next_build(tmp_path):
    theme = Path(shutil.copytree(ROOT / "theme", tmp_path / "theme"))
    site = build(tmp_path / "warm" / "site", options=("-t", str(theme)))  # keeps the templates' strings
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", '<p>{{ _("A sentence nobody translated") }}</p></body>', 1), encoding="utf-8")
    result = run_pelican(site, options=("-t", str(theme)))
    assert result.returncode == 0, result.stderr
    assert "A sentence nobody translated" in result.stderr  # the translation status names it
    assert "A sentence nobody translated" in page_path(site, "home", "nl").read_text(encoding="utf-8")
