"""A build with nothing to do stops at once (plugins/campaign/up_to_date.py), and only then:
any change to what a build reads, or to its output, and it runs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from campaign import up_to_date
from conftest import CONTENT, ROOT, build, run_pelican
from test_content_cache import tree

NOTHING_CHANGED = "nothing changed since the last build"


# --- The module on its own -------------------------------------------------------------

def test_a_recorded_build_is_up_to_date_until_its_output_or_inputs_change(tmp_path):
    output, cache = tmp_path / "site", tmp_path / "cache"
    (output / "nl").mkdir(parents=True)
    (output / "nl" / "index.html").write_text("<p>Hallo</p>", encoding="utf-8")
    assert not up_to_date.is_up_to_date(cache, "inputs", output)  # never recorded
    up_to_date.record(cache, "inputs", output)
    assert up_to_date.is_up_to_date(cache, "inputs", output)
    assert not up_to_date.is_up_to_date(cache, "other inputs", output)

    (output / "extra.html").write_text("", encoding="utf-8")
    assert not up_to_date.is_up_to_date(cache, "inputs", output)
    (output / "extra.html").unlink()
    assert up_to_date.is_up_to_date(cache, "inputs", output)
    (output / "nl" / "index.html").write_text("<p>Hoi!</p>", encoding="utf-8")
    assert not up_to_date.is_up_to_date(cache, "inputs", output)

    up_to_date.record(cache, "inputs", output)
    up_to_date.forget(cache)
    assert not up_to_date.is_up_to_date(cache, "inputs", output)
    up_to_date.record(cache, "inputs", output)
    shutil.rmtree(output)
    assert not up_to_date.is_up_to_date(cache, "inputs", output)


@pytest.mark.parametrize("saved", ["", "{broken", "[]", '{"version": 0, "inputs": "inputs", "output": {}}'])
def test_an_unreadable_record_means_build(tmp_path, saved):
    (tmp_path / "site").mkdir()
    (tmp_path / up_to_date.STATE_FILE).write_text(saved, encoding="utf-8")
    assert not up_to_date.is_up_to_date(tmp_path, "inputs", tmp_path / "site")


# --- Real builds -----------------------------------------------------------------------

def built(result) -> bool:
    assert result.returncode == 0, result.stdout + result.stderr
    return NOTHING_CHANGED not in result.stdout


def test_a_second_build_with_nothing_changed_does_nothing(tmp_path):
    site = build(tmp_path / "site")
    before = tree(site)
    assert not built(run_pelican(site))
    assert tree(site) == before
    state = json.loads((tmp_path / "cache" / "site" / up_to_date.STATE_FILE).read_text(encoding="utf-8"))
    assert {"index.html", "sitemap.xml", "theme/css/site.css", "urgent-action/deadline.ics"} <= set(state["output"])


def test_any_change_to_what_a_build_reads_makes_it_build(tmp_path):
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    theme = Path(shutil.copytree(ROOT / "theme", tmp_path / "theme"))
    translations = Path(shutil.copytree(ROOT / "translations", tmp_path / "translations"))
    options = ("-t", str(theme), "-e", f"CAMPAIGN_TRANSLATIONS={json.dumps(str(translations))}")
    site = tmp_path / "site"
    assert built(run_pelican(site, content=content, options=options))

    changes = [
        lambda: (content / "timeline.yaml").write_text((content / "timeline.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"),
        lambda: (theme / "static" / "css" / "site.css").write_text((theme / "static" / "css" / "site.css").read_text(encoding="utf-8") + "\n", encoding="utf-8"),
        lambda: (translations / "zh" / "LC_MESSAGES" / "messages.po").write_text(
            (translations / "zh" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8") + "\n", encoding="utf-8"),
    ]
    for change in changes:
        change()
        assert built(run_pelican(site, content=content, options=options))
        assert not built(run_pelican(site, content=content, options=options))

    assert built(run_pelican(site, content=content, options=(*options, "-e", 'SITEURL="https://example.org"')))
    assert built(run_pelican(site, content=content, options=options, clock=dt.date(2025, 1, 16)))  # another day
    assert not built(run_pelican(site, content=content, options=options, clock=dt.date(2025, 1, 16)))
    assert built(run_pelican(site, content=content, options=(*options, "--ignore-cache"), clock=dt.date(2025, 1, 16)))


def test_an_output_file_deleted_makes_it_build_and_restore_it(tmp_path):
    site = build(tmp_path / "site")
    before = tree(site)
    for name in ("sitemap.xml", "theme/css/site.css", "urgent-action/deadline.ics"):
        (site / name).unlink()
        assert built(run_pelican(site))
        assert tree(site) == before


def test_a_failed_build_is_never_skipped_nor_the_one_after_it(tmp_path):
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    site = build(tmp_path / "site", content=content)
    before = tree(site)
    page = content / "pages" / "petition.nl.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("\nlang: nl\n", "\nlang: nl\ncolour: red\n", 1), encoding="utf-8")
    for _ in range(2):
        failed = run_pelican(site, content=content)
        assert failed.returncode != 0 and "colour: is not a field this site knows" in failed.stderr
    assert tree(site) == before  # a failed build changes nothing in the output
    page.write_text(good, encoding="utf-8")
    assert built(run_pelican(site, content=content))  # the failed build forgot the last good one
    assert not built(run_pelican(site, content=content))
    assert tree(site) == before
