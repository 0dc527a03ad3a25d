"""Pages read and written in shares by forked workers (plugins/campaign/parallel.py): the
output is byte for byte a one-process build's, the record of the build holds everything
any process read, and a worker that fails fails the build, which publishes nothing.

The fixture site is small, so these builds ask for two processes whatever the site's size
(CAMPAIGN_PROCESSES, CAMPAIGN_PARALLEL_MIN_PAGES); what a worker does is seen, or made to
fail, by small Pelican plugins in a temporary folder, as in tests/test_incremental.py."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import time
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, run_pelican, tree

IN_TWO_PROCESSES = ("-e", "CAMPAIGN_PROCESSES=2", "CAMPAIGN_PARALLEL_MIN_PAGES=0")
IN_ONE_PROCESS = ("-e", "CAMPAIGN_PROCESSES=1")


def build_with(output: Path, hooks: Path | None, plugins: tuple[str, ...], options: tuple[str, ...], **env):
    extra = ()
    if plugins:
        extra = (
            f"PLUGINS={json.dumps(['campaign', *plugins])}",
            f"PLUGIN_PATHS={json.dumps([str(ROOT / 'plugins'), str(hooks)])}",
        )
    return run_pelican(output, options=(*options, *extra), **env)


WHO_WRITES = """
# Each process that writes a page says so (its pid, one line per page).
import os
from pelican import signals

def written(path, context):
    with open(os.environ["WRITERS_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\\n")

def register():
    signals.content_written.connect(written)
"""


def test_a_build_in_two_processes_writes_what_a_one_process_build_writes(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "who_writes.py").write_text(textwrap.dedent(WHO_WRITES), encoding="utf-8")
    os.utime(hooks / "who_writes.py", (time.time() - 60, time.time() - 60))  # not saved as the build starts
    log = tmp_path / "writers.log"
    one = tmp_path / "one" / "site"
    two = tmp_path / "two" / "site"
    result = build_with(one, hooks, ("who_writes",), IN_ONE_PROCESS, WRITERS_LOG=str(log))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(set(log.read_text().split())) == 1
    log.unlink()
    result = build_with(two, hooks, ("who_writes",), IN_TWO_PROCESSES, WRITERS_LOG=str(log))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(set(log.read_text().split())) == 2, "the pages were not written by two processes"
    assert tree(two) == tree(one)

    # The record of the build (last_build.py) holds what every process read: at least
    # what the one-process build read, with the same bytes.
    records = [json.loads((site.parent / ".site.last-build.json").read_bytes()) for site in (one, two)]
    serial, parallel = records
    content = str(tmp_path)  # the two outputs differ; the sources are the same
    for kind in ("files", "modules"):
        missing = {name for name in serial[kind] if name not in parallel[kind] and not name.startswith(content)}
        assert not missing, f"{kind} read by the one-process build, missing from the parallel one's record"
        differing = {
            name for name in serial[kind] if name in parallel[kind] and serial[kind][name] != parallel[kind][name]
        }
        assert not differing
    pages = str(CONTENT / "pages")
    assert parallel["folders"][pages] == serial["folders"][pages]
    assert {name for name in serial["files"] if name.startswith(pages)} <= set(parallel["files"])


KILL_A_WORKER = """
# A worker (not the build's own process) is killed, as by the kernel when memory runs out,
# while it {stage} pages.
import os, signal
from pelican import signals

BUILD = os.getpid()  # plugins are loaded in the build's process, before any worker is forked

def kill_a_worker(*args, **kwargs):
    if os.getpid() != BUILD:
        {failure}

def register():
    if "{stage}" == "writes":
        signals.content_written.connect(kill_a_worker)
    else:
        from campaign.stages import reading
        read_page = reading.read_page

        def read_page_then_fail(*args, **kwargs):
            kill_a_worker()
            return read_page(*args, **kwargs)

        reading.read_page = read_page_then_fail
"""
FAILURES = {
    "killed": ("os.kill(os.getpid(), signal.SIGKILL)", "was killed by SIGKILL"),
    "raises": ("raise MemoryError('no memory left')", "failed (MemoryError: no memory left)"),
}


@pytest.mark.parametrize(("stage", "failure"), [("reads", "killed"), ("writes", "killed"), ("writes", "raises")])
def test_a_worker_that_fails_fails_the_build_and_the_output_stays_as_it_was(stage, failure, tmp_path):
    site = tmp_path / "site"
    result = build_with(site, None, (), IN_TWO_PROCESSES)
    assert result.returncode == 0, result.stdout + result.stderr
    before = tree(site)
    record = (tmp_path / ".site.last-build.json").read_bytes()
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    (content / "pages" / "petition.nl.md").write_text(
        (content / "pages" / "petition.nl.md").read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n",
        encoding="utf-8",
    )
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    code, message = FAILURES[failure]
    (hooks / "fail_a_worker.py").write_text(
        textwrap.dedent(KILL_A_WORKER).replace("{stage}", stage).replace("{failure}", code), encoding="utf-8"
    )
    failed = run_pelican(
        site,
        content=content,
        options=(
            *IN_TWO_PROCESSES,
            f"PLUGINS={json.dumps(['campaign', 'fail_a_worker'])}",
            f"PLUGIN_PATHS={json.dumps([str(ROOT / 'plugins'), str(hooks)])}",
        ),
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    reading_or_writing = "reading" if stage == "reads" else "writing"
    assert (
        f"The build stopped: a process {reading_or_writing} pages {message}. Nothing was published; build again."
        in failed.stderr.splitlines()
    ), failed.stderr
    assert "Traceback" not in failed.stderr + failed.stdout
    assert tree(site) == before
    assert (tmp_path / ".site.last-build.json").read_bytes() == record
    assert not [p.name for p in tmp_path.iterdir() if ".building-" in p.name]
