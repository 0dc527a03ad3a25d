"""A build into an output that an earlier build made writes what a cold build would:
it picks up an edit, still stops on a bad file, and decides the deadline state by
its own clock. (tests/test_incremental.py compares them after every kind of change.)"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import CONTENT, DEFAULT_CLOCK, ROOT, build, page_path, run_pelican, tree

EDITED = Path("pages") / "urgent-action.nl.md"
AFTER_THE_DEADLINE = dt.date(2025, 4, 1)  # the urgent action's deadline is 2025-03-18


def copy_content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def test_a_warm_build_writes_what_a_cold_one_writes(tmp_path):
    output = tmp_path / "site"
    first = run_pelican(output)
    assert first.returncode == 0, first.stderr
    cold = tree(output)
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


def test_a_string_added_to_a_template_is_reported_by_the_next_build(tmp_path):
    theme = Path(shutil.copytree(ROOT / "theme", tmp_path / "theme"))
    site = build(tmp_path / "site", options=("-t", str(theme)))
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</body>", '<p>{{ _("A sentence nobody translated") }}</p></body>', 1),
        encoding="utf-8",
    )
    result = run_pelican(site, options=("-t", str(theme)))
    assert result.returncode == 0, result.stderr
    assert "A sentence nobody translated" in result.stderr  # the translation status names it
    assert "A sentence nobody translated" in page_path(site, "home", "nl").read_text(encoding="utf-8")
