"""The fixture site follows the languages table (tests/fixture_site.py): a written language
without fixture files gets them from the English, as a translator's first copy."""

from __future__ import annotations

import re
import shutil

import yaml
from fixture_site import HAND_WRITTEN, content, missing

from campaign.languages import DEFAULT_CODE
from conftest import CONTENT, SLUGS, WRITTEN, run_check


def test_the_tests_fixture_site_has_every_written_language():
    for lang in WRITTEN:
        for slug in SLUGS:
            assert (CONTENT / "pages" / f"{slug}.{lang}.md").is_file(), f"{slug} in {lang}"
    for event in yaml.safe_load((CONTENT / "timeline.yaml").read_text(encoding="utf-8"))["events"]:
        assert set(WRITTEN) <= set(event["text"])


def without_dutch(tmp_path):
    """A copy of the hand-written fixture site with no Dutch: as if Dutch had just been declared."""
    source = shutil.copytree(HAND_WRITTEN, tmp_path / "source")
    for path in (source / "pages").glob("*.nl.md"):
        path.unlink()
    timeline = source / "timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    timeline.write_text(re.sub(r"^ +nl: .*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    assert "nl:" not in timeline.read_text(encoding="utf-8")
    return source


def test_a_language_without_fixture_files_gets_them_made_from_the_english(tmp_path):
    source = without_dutch(tmp_path)
    languages_made = missing(source)  # Dutch, and any language declared since the fixture site was written
    assert "nl" in languages_made
    completed = content(source, folder=tmp_path / "built")
    assert completed.parent.parent == tmp_path / "built"
    written_by_hand = sorted(path.relative_to(source) for path in source.rglob("*.md"))
    for name in written_by_hand:  # used as they are
        assert (completed / name).read_bytes() == (source / name).read_bytes()
    for slug in SLUGS:
        made = (completed / "pages" / f"{slug}.nl.md").read_text(encoding="utf-8")
        english = (source / "pages" / f"{slug}.{DEFAULT_CODE}.md").read_text(encoding="utf-8")
        assert re.search(r"^lang: nl$", made, re.MULTILINE)
        # the fingerprint of the English, as the hand-written Dutch translation records it
        hand_written = (HAND_WRITTEN / "pages" / f"{slug}.nl.md").read_text(encoding="utf-8")
        recorded = re.search(r'^translation_of: "(\w+)"', hand_written, re.MULTILINE)
        assert recorded and f'translation_of: "{recorded[1]}"' in made.split("\n")
        assert ".en.md)" not in made and made.count(".nl.md)") == english.count(".en.md)")
    timeline = (completed / "timeline.yaml").read_text(encoding="utf-8")
    for event in yaml.safe_load(timeline)["events"]:
        assert event["text"]["nl"] == event["text"][DEFAULT_CODE]
    hand_written_lines = (source / "timeline.yaml").read_text(encoding="utf-8")
    assert re.sub(rf"^ +({'|'.join(languages_made)}): .*\n", "", timeline, flags=re.MULTILINE) == hand_written_lines

    # `make check` counts the made Dutch as translated and up to date
    result = run_check(completed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Dutch \(nl\): 4 of 4 documents, (\d+) of \1 timeline events", result.stdout, re.M), (
        result.stdout
    )

    # asked again (by another process of the test run), the same copy, not written again
    page = completed / "pages" / "home.nl.md"
    before = page.stat().st_mtime_ns
    assert content(source, folder=tmp_path / "built") == completed
    assert page.stat().st_mtime_ns == before
    assert [path.name for path in (tmp_path / "built").iterdir()] == [completed.parent.name]


def test_a_fixture_site_with_every_language_is_used_as_it_is(tmp_path):
    source = without_dutch(tmp_path)
    assert content(source, langs=[DEFAULT_CODE, "zh"], folder=tmp_path / "built") == source
    assert not (tmp_path / "built").exists()
