"""A build never deletes what it did not make (N1), orders builds by number rather than by
the clock (N2), and says in one line why it cannot write its output (N3) or why a template
failed (N14); the last good output stays (plugins/campaign/staging.py, failures.py)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from golden import GOLDEN

from campaign import staging
from campaign.failures import one_line
from conftest import CONTENT, DEFAULT_CLOCK, ROOT, build, epoch, run_pelican, tree

PROJECT_FILES = ("pelicanconf.py", "Makefile", "README.md")


def precious(folder: Path) -> dict[str, str]:
    """A folder with someone's own files in it (a home folder, a web root)."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "thesis.txt").write_text("precious", encoding="utf-8")
    (folder / ".bashrc").write_text("x", encoding="utf-8")
    return tree(folder)


def refused(result: subprocess.CompletedProcess, folder: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    line = result.stderr.strip()
    assert "\n" not in line and folder in line and " — " in line, line
    return line


def snapshot_project() -> dict[str, int]:
    return {name: (ROOT / name).stat().st_mtime_ns for name in PROJECT_FILES}


@pytest.mark.parametrize(
    "output, why",
    [
        (".", "is the project folder"),
        ("..", "holds the project"),
        ("content", "is the content folder"),
        ("content/new", "is inside the content folder"),
        ("theme/static", "is inside the theme folder"),
        ("translations", "is the translations folder"),
        ("plugins", "is the plugins folder"),
    ],
)
def test_the_project_and_its_folders_are_never_an_output(output, why):
    """`pelican -o .` (and content, theme, a parent of the project...) is refused before anything is read."""
    before, listing = snapshot_project(), sorted(os.listdir(ROOT))
    result = run_pelican(Path(output), content=ROOT / "content")
    assert why in refused(result, output.rstrip("/").split("/")[-1] if output != ".." else "/")
    assert snapshot_project() == before and sorted(os.listdir(ROOT)) == listing


def test_a_folder_with_files_the_build_did_not_make_is_refused_and_kept(tmp_path):
    """N1: a home folder given as OUTPUTDIR keeps every file; so does a previous build with a file added."""
    home = tmp_path / "home"
    kept = precious(home)
    line = refused(run_pelican(home), str(home))
    assert "not empty and was not made by this site's build" in line and ".bashrc" in line
    assert tree(home) == kept and sorted(p.name for p in tmp_path.iterdir()) == ["home"]

    site = build(tmp_path / "site")
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree(site)
    line = refused(run_pelican(site), str(site))
    assert "files the build did not make (notes.txt)" in line and "move them out" in line
    assert tree(site) == before


@pytest.mark.parametrize("target", ["html", "publish"])
def test_make_html_and_make_publish_refuse_a_folder_they_did_not_make(tmp_path, target):
    home = tmp_path / "home"
    kept = precious(home)
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "--old-file=.venv/.deps-installed",
            target,
            f"INPUTDIR={CONTENT}",
            f"OUTPUTDIR={home}",
        ],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert f"The output folder {home}/ is not empty" in result.stderr
    assert tree(home) == kept


def test_an_empty_folder_and_a_previous_build_are_replaced(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "empty-folder").mkdir()
    build(output)
    first = tree(output)
    assert staging.MARK in first and set(staging.made_files(output)) == set(first) - {staging.MARK}
    build(output)
    assert tree(output) == first


def test_an_output_built_before_the_mark_is_recognised_by_its_record(tmp_path):
    """Outputs built before this change have no mark; the record beside them lists their files."""
    output = build(tmp_path / "output")
    (output / staging.MARK).unlink()
    assert staging.refusal(output, ROOT, {}) is None
    (output / "extra.html").write_text("x", encoding="utf-8")
    assert "extra.html" in staging.refusal(output, ROOT, {})


def test_a_symlinked_output_stays_a_link_and_its_folder_is_written_in_place(tmp_path):
    www = tmp_path / "var-www"
    www.mkdir()
    (www / "other-site").mkdir()
    (www / "other-site" / "index.html").write_text("another site", encoding="utf-8")
    (www / "html").mkdir()
    link = tmp_path / "output"
    link.symlink_to(www / "html")
    inode = (www / "html").stat().st_ino
    build(link)
    build(link)
    assert link.is_symlink() and (www / "html").stat().st_ino == inode
    assert (www / "html" / "index.html").is_file() and (www / "other-site" / "index.html").read_text() == "another site"
    assert not [p for p in (www / "html").iterdir() if p.name.startswith(".campaign-building")]


def _mount(source: Path, target: Path, *options: str) -> bool:
    command = ["mount", "--bind", *options, str(source), str(target)]
    return shutil.which("mount") is not None and subprocess.run(command, capture_output=True).returncode == 0


def test_an_output_that_is_a_mount_point_is_written_in_place(tmp_path, monkeypatch):
    """N3: Docker's `-v ./output:/site/output`; renaming a mount point fails (EBUSY).
    Where this test may mount (root, as in CI's container), a real bind mount; the
    in-place swap itself is also tested on a folder taken for a mount point."""
    source, output = tmp_path / "volume", tmp_path / "output"
    source.mkdir()
    output.mkdir()
    if _mount(source, output):
        try:
            build(output)
            build(output)
            assert (source / "index.html").is_file() and staging.MARK in os.listdir(source)
            subprocess.run(["mount", "-o", "remount,ro,bind", str(output)], check=True)
            before = tree(output)
            result = run_pelican(output)
            assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
            assert "is on a read-only disk" in result.stderr and "last good output" in result.stderr
            assert tree(output) == before
        finally:
            subprocess.run(["umount", str(output)], check=True)
    folder = tmp_path / "taken-for-a-mount"
    folder.mkdir()
    (folder / "old.html").write_text("old", encoding="utf-8")
    staging.write_mark(folder)
    inode = folder.stat().st_ino
    monkeypatch.setattr(staging, "_mount_point", lambda path: Path(path) == folder)
    stage = staging.stage_path(folder)
    assert stage.parent == folder
    stage.mkdir()
    (stage / "new.html").write_text("new", encoding="utf-8")
    assert staging.publish(stage, folder, staging.take_number(folder))
    assert folder.stat().st_ino == inode and sorted(os.listdir(folder)) == sorted([staging.MARK, "new.html"])


def disk_for_one_build() -> str:
    """A tmpfs size (in KiB) where one build of the fixture site fits and a second beside it
    does not: 1.4 times its golden output (the same build) in 4 KiB pages, in any language."""
    sizes = [path.stat().st_size for path in GOLDEN.rglob("*") if path.is_file()]
    return f"{round(1.4 * sum(4 * -(-size // 4096) for size in sizes))}k"


def test_a_full_disk_is_one_line_and_the_last_output_stays(tmp_path):
    """N3: where this test may mount a small disk (root, as in CI's container), a real one;
    the message itself is also tested below."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = disk_for_one_build()
    if (
        shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True
        ).returncode
        == 0
    ):
        try:
            output = build(disk / "output")  # one build fits, a second beside it does not
            before = tree(output)
            result = run_pelican(output)
            assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
            assert (
                f"No space left on the disk of {output}/: the last good output in {output}/ is unchanged"
                in result.stderr
            )
            assert tree(output) == before and not [p for p in disk.iterdir() if ".building-" in p.name]
        finally:
            subprocess.run(["umount", str(disk)], check=True)
    full = one_line(OSError(errno.ENOSPC, "No space left on device"), str(ROOT), str(disk / "output"))
    assert (
        full
        == f"No space left on the disk of {disk}/output/: the last good output in {disk}/output/ is unchanged — free some space and build again"
    )


def test_a_full_or_read_only_disk_is_one_line():
    output = "/srv/site/output"
    full = one_line(
        OSError(errno.ENOSPC, "No space left on device", "/srv/site/.output.building-1/x.html"), str(ROOT), output
    )
    assert full.startswith("No space left on the disk of /srv/site/output/") and "unchanged" in full
    read_only = one_line(OSError(errno.EROFS, "Read-only file system"), str(ROOT), output)
    assert "read-only" in read_only and "\n" not in read_only


def test_builds_are_ordered_by_number_so_a_clock_set_back_changes_nothing(tmp_path):
    """N2: a build made while the clock was an hour ahead left its time in the lock file."""
    output = build(tmp_path / "output")
    lock = tmp_path / ".output.lock"
    lock.write_text(f"{time.time_ns() + 3600 * 10**9}\n", encoding="ascii")
    content = shutil.copytree(CONTENT, tmp_path / "content")
    page = content / "pages" / "press-release.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: ", 'title: "NEWTITLE" #', 1), encoding="utf-8")
    build(output, content=content)
    assert "NEWTITLE" in (output / "press-release" / "index.html").read_text(encoding="utf-8")


def test_a_build_that_is_not_used_says_so_and_fails(tmp_path):
    """Of two builds at once, the one that started later stays; the other says so and exits 3."""
    output = tmp_path / "output"
    earlier = staging.take_number(output)
    later = staging.take_number(output)
    assert later > earlier
    later_stage, earlier_stage = tmp_path / "later", tmp_path / "earlier"
    for stage, text in ((later_stage, "later"), (earlier_stage, "earlier")):
        stage.mkdir()
        (stage / "index.html").write_text(text, encoding="utf-8")
    assert staging.publish(later_stage, output, later)
    assert not staging.publish(earlier_stage, output, earlier)
    assert (output / "index.html").read_text(encoding="utf-8") == "later"
    # a whole build that started before the one in the output (its number is lower): said, and exit 3
    site = build(tmp_path / "site")
    before = tree(site)
    (tmp_path / ".site.lock").write_text("6 5\n", encoding="ascii")
    script = (
        "import sys\n"
        "from campaign import staging\n"
        "staging.take_number = lambda output: 4  # it started before build 5, now in the output\n"
        "from pelican import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(CONTENT), "-o", str(site), "-s", str(ROOT / "pelicanconf.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
        timeout=300,
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "This build was not used: a build that started after it" in result.stderr
    assert tree(site) == before and not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_a_template_error_is_one_line_naming_the_template_and_line(tmp_path):
    """N14: in the build (and so in the devserver, which shows the build's error lines)."""
    output = build(tmp_path / "output")
    before = tree(output)
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    when = theme / "templates" / "partials" / "when.html"
    lines = when.read_text(encoding="utf-8").count("\n")
    when.write_text(when.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    result = run_pelican(output, options=("-t", str(theme)))
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and f"partials/when.html:{lines + 1}: the template cannot be read" in message
    when.write_text(when.read_text(encoding="utf-8").replace("{% if %}\n", "{{ nothing.at.all }}\n"), encoding="utf-8")
    result = run_pelican(output, options=("-t", str(theme)))
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert f"partials/when.html:{lines + 1}: the template failed (UndefinedError" in result.stderr
    assert tree(output) == before


def test_make_clean_removes_only_a_build_of_this_site(tmp_path):
    def make_clean(output):
        return subprocess.run(
            ["make", "--no-print-directory", "--old-file=.venv/.deps-installed", "clean", f"OUTPUTDIR={output}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    home = tmp_path / "home"
    kept = precious(home)
    result = make_clean(home)
    assert result.returncode != 0 and "`make clean` would delete it" in result.stderr and tree(home) == kept
    site = build(tmp_path / "site")
    assert make_clean(site).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_an_empty_outputdir_is_refused_by_make_before_anything_runs():
    """`make html OUTPUTDIR=` would hand Pelican no folder at all: make says what to write."""
    refused = subprocess.run(
        ["make", "--no-print-directory", "-n", "html", "OUTPUTDIR="],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and refused.stdout == ""
    assert "OUTPUTDIR is empty" in refused.stderr and "OUTPUTDIR=output" in refused.stderr
