"""A build replaces the output whole, and only when it succeeds (plugins/campaign/staging.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import pytest

from campaign import staging
from conftest import CONTENT, ROOT, tree


def make_site(folder, files: dict[str, str]):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_finished_build_replaces_the_output_whole(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    output = make_site(tmp_path / "output", {"index.html": "old", "old-slug/index.html": "gone"})
    stage = staging.stage_path(output)
    assert stage.parent == tmp_path and stage.name == f".output.building-{os.getpid()}"
    make_site(stage, {"index.html": "new", "nl/index.html": "nieuw"})
    staging.publish(stage, output, time.time_ns())
    assert tree(output).keys() == {staging.MARK, "index.html", "nl/index.html"}
    assert (output / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output"]


def test_of_two_builds_at_once_the_output_keeps_the_one_that_started_last(tmp_path):
    output = tmp_path / "output"
    earlier, later = time.time_ns(), time.time_ns() + 1
    assert staging.publish(make_site(tmp_path / "later", {"index.html": "newer sources"}), output, later)
    assert not staging.publish(make_site(tmp_path / "earlier", {"index.html": "older sources"}), output, earlier)
    assert (output / "index.html").read_text(encoding="utf-8") == "newer sources"
    assert not (tmp_path / "earlier").exists()
    assert staging.publish(make_site(tmp_path / "next", {"index.html": "next"}), output, time.time_ns())
    assert (output / "index.html").read_text(encoding="utf-8") == "next"


def test_the_first_build_creates_the_output(tmp_path):
    stage = make_site(staging.stage_path(tmp_path / "output"), {"index.html": "new"})
    staging.publish(stage, tmp_path / "output", time.time_ns())
    assert (tmp_path / "output" / "index.html").read_text(encoding="utf-8") == "new"


def test_an_output_that_is_a_link_to_a_folder_stays_a_link_to_the_same_folder(tmp_path):
    """N1: the build writes into the link's folder (the folder itself, its owner and
    permissions stay), not a new folder in its place."""
    target = make_site(tmp_path / "www" / "site", {"index.html": "old", "gone.html": "gone"})
    staging.write_mark(target)
    inode = target.stat().st_ino
    (tmp_path / "output").symlink_to(target)
    stage = make_site(staging.stage_path(tmp_path / "output"), {"index.html": "new"})
    assert stage.parent == target
    staging.publish(stage, tmp_path / "output", time.time_ns())
    assert (tmp_path / "output").is_symlink() and target.stat().st_ino == inode
    assert tree(tmp_path / "output") == tree(target) and set(tree(target)) == {staging.MARK, "index.html"}
    assert (target / "index.html").read_text(encoding="utf-8") == "new"


def test_leftovers_of_killed_builds_are_removed_and_running_builds_are_not(tmp_path):
    dead = subprocess.Popen(["true"])  # a process id that no longer runs
    dead.wait()
    leftovers = [tmp_path / f".output.building-{dead.pid}", tmp_path / f".output.replaced-{dead.pid}"]
    running = tmp_path / f".output.building-{os.getpid()}"
    other_output = tmp_path / f".other.building-{dead.pid}"
    for folder in [*leftovers, running, other_output]:
        folder.mkdir()
    staging.remove_leftovers(tmp_path / "output")
    assert not any(folder.exists() for folder in leftovers)
    assert running.is_dir() and other_output.is_dir()


def make_publish(content, output, expect_ok: bool) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "--old-file=.venv/.deps-installed",
            "publish",
            f"INPUTDIR={content}",
            f"OUTPUTDIR={output}",
        ],
        cwd=ROOT,
        env={**os.environ, "SITEURL": "https://example.org/campaign", "SOURCE_DATE_EPOCH": "1736942400"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (result.returncode == 0) == expect_ok, result.stdout + result.stderr
    return result


def test_make_publish_with_a_content_error_keeps_the_last_good_output(tmp_path):
    """R9: publish, break a deadline, publish again: the site that was published is still there."""
    content = shutil.copytree(CONTENT, tmp_path / "content")
    output = tmp_path / "output"
    make_publish(content, output, expect_ok=True)
    published = tree(output)
    assert "index.html" in published and len(published) > 20
    page = content / "pages" / "urgent-action.en.md"
    page.write_text(
        re.sub(r"^deadline: .*$", "deadline: 18/03/2025", page.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    failed = make_publish(content, output, expect_ok=False)
    assert "urgent-action.en.md" in failed.stderr and "deadline" in failed.stderr
    assert tree(output) == published
    assert not [p.name for p in tmp_path.iterdir() if ".building-" in p.name]


def test_the_record_of_the_build_is_written_with_the_swap_and_only_by_the_build_in_the_output(tmp_path):
    """last_build.py's record describes the output beside it, never another build's."""
    output, record = tmp_path / "output", staging.record_path(tmp_path / "output")
    assert record == tmp_path / ".output.last-build.json"
    later = time.time_ns()
    assert staging.publish(make_site(tmp_path / "later", {"index.html": "later"}), output, later, b"later")
    earlier = make_site(tmp_path / "earlier", {"index.html": "earlier"})
    assert not staging.publish(earlier, output, later - 1, b"earlier")
    assert record.read_bytes() == b"later"
    assert staging.publish(make_site(tmp_path / "next", {"index.html": "next"}), output, time.time_ns(), None)
    assert not record.exists()  # a build that keeps no record removes the one of the build it replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output"]
