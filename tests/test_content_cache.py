"""The content cache (CACHE_CONTENT in pelicanconf.py) never changes what a build does:
a warm build writes what a cold one would, still stops on a bad file, picks up an
edit, and decides the deadline state by its own clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import shutil
from pathlib import Path

from campaign import build_cache
from conftest import CONTENT, DEFAULT_CLOCK, build, forget_last_build, page_path, run_pelican

EDITED = Path("pages") / "urgent-action.nl.md"
AFTER_THE_DEADLINE = dt.date(2025, 4, 1)  # the urgent action's deadline is 2025-03-18


def tree(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def copy_content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def test_a_warm_build_writes_what_a_cold_one_writes(tmp_path):
    output = tmp_path / "site"
    first = run_pelican(output)
    assert first.returncode == 0, first.stderr
    cold = tree(output)
    cache = tmp_path / "cache" / "site"
    assert (cache / "PagesGenerator-Readers").is_file(), "the cache belongs beside the output"
    assert (cache / build_cache.FINGERPRINT_FILE).is_file()

    forget_last_build(output)  # or it would stop at once: nothing changed (up_to_date.py)
    second = run_pelican(output)
    assert second.returncode == 0, second.stderr
    assert "Processed" in second.stdout
    assert tree(output) == cold
    for result in (first, second):
        assert "Could not save cache" not in result.stdout + result.stderr
        assert "Cannot unpickle" not in result.stdout + result.stderr


def test_a_warm_build_picks_up_an_edit_and_still_stops_on_a_bad_file(tmp_path):
    content, output = copy_content(tmp_path), tmp_path / "site"
    build(output, content=content)
    edited = content / EDITED
    original = edited.read_text(encoding="utf-8")

    edited.write_text(original + "\nEen zin die er eerst niet stond.\n", encoding="utf-8")
    build(output, content=content)
    assert "Een zin die er eerst niet" in page_path(output, "urgent-action", "nl").read_text(encoding="utf-8")

    edited.write_text(original.replace("\nlang: nl\n", "\nlang: nl\ncolour: red\n", 1), encoding="utf-8")
    failed = run_pelican(output, content=content)
    assert failed.returncode != 0
    assert "urgent-action.nl.md:" in failed.stderr and "colour: is not a field this site knows" in failed.stderr

    again = run_pelican(output, content=content)  # nothing changed: the problem comes from the cache
    assert again.returncode != 0
    assert again.stderr == failed.stderr

    edited.write_text(original, encoding="utf-8")
    build(output, content=content)
    assert "Een zin die er eerst niet" not in page_path(output, "urgent-action", "nl").read_text(encoding="utf-8")


def test_a_warm_build_decides_the_deadline_state_by_its_own_clock(tmp_path):
    warm, cold = tmp_path / "warm" / "site", tmp_path / "cold" / "site"
    build(warm, clock=DEFAULT_CLOCK)  # the action is open on this day
    open_page = page_path(warm, "urgent-action", "en").read_text(encoding="utf-8")
    build(warm, clock=AFTER_THE_DEADLINE)
    build(cold, clock=AFTER_THE_DEADLINE)
    assert page_path(warm, "urgent-action", "en").read_text(encoding="utf-8") != open_page
    assert tree(warm) == tree(cold)


# --- build_cache on its own ---------------------------------------------------------------

def test_the_default_cache_goes_beside_the_output_and_a_given_one_is_kept():
    assert build_cache.cache_path("cache", "/srv/site/output") == "/srv/site/cache/output"
    assert build_cache.cache_path("/var/cache/campaign", "/srv/site/output") == "/var/cache/campaign"


def test_the_fingerprint_changes_with_the_code_and_the_markdown_settings(tmp_path):
    code = tmp_path / "reader.py"
    code.write_text("A = 1\n")
    settings = {"MARKDOWN": {"output_format": "html5"}}
    before = build_cache.fingerprint([code], settings, "/work")
    assert build_cache.fingerprint([code], settings, "/work") == before
    assert build_cache.fingerprint([code], {"MARKDOWN": {"output_format": "xhtml"}}, "/work") != before
    assert build_cache.fingerprint([code], settings, "/elsewhere") != before
    code.write_text("A = 2\n")
    assert build_cache.fingerprint([code], settings, "/work") != before


def test_a_truncated_cache_is_deleted_not_trusted(tmp_path):
    saved = tmp_path / "PagesGenerator-Readers"
    saved.write_bytes(pickle.dumps({"page.md": ("stamp", ("<p>text</p>", {}))}))
    assert build_cache.remember(str(tmp_path), "abc", str(saved))
    assert build_cache.is_current(str(tmp_path), "abc")
    assert not build_cache.is_current(str(tmp_path), "def")

    saved.write_bytes(saved.read_bytes()[:-5])
    assert not build_cache.remember(str(tmp_path), "abc", str(saved))
    assert not saved.exists()
    assert not build_cache.is_current(str(tmp_path), "abc")


def test_remembered_work_is_reused_only_for_the_same_key(tmp_path):
    calls = []

    def work(value):
        def compute():
            calls.append(value)
            return [value]
        return compute

    assert build_cache.remembered(str(tmp_path), "strings", "k1", work("a")) == ["a"]
    assert build_cache.remembered(str(tmp_path), "strings", "k1", work("b")) == ["a"]
    assert build_cache.remembered(str(tmp_path), "strings", "k2", work("c")) == ["c"]
    (tmp_path / "strings").write_bytes(b"not a pickle")
    assert build_cache.remembered(str(tmp_path), "strings", "k2", work("d")) == ["d"]
    assert calls == ["a", "c", "d"]
