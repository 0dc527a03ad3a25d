"""The tests' build server (tests/build_server.py) builds as a new `python -m pelican`
process does: the same files, the same exit status, the same messages; and a build whose
environment a fork could not give is left to a new process."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import conftest
from conftest import CONTENT, DEFAULT_CLOCK, ROOT, copy_site, epoch, replace, tree


def new_process(output, content=CONTENT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(ROOT / "pelicanconf.py")],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_served_build_writes_what_a_new_process_writes(tmp_path):
    assert conftest._BUILD_SERVER.serves({**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)})
    served = conftest.run_pelican(tmp_path / "served")
    alone = new_process(tmp_path / "alone")
    assert served.returncode == alone.returncode == 0, served.stderr + alone.stderr
    assert conftest._BUILD_SERVER.process is not None and conftest._BUILD_SERVER.process.poll() is None
    assert tree(tmp_path / "served") == tree(tmp_path / "alone")
    untimed = [re.sub(r"in [\d.]+ seconds", "", result.stdout + result.stderr) for result in (served, alone)]
    assert untimed[0] == untimed[1] and "Processed" in untimed[0]


def test_a_refused_build_ends_and_says_so_as_a_new_process_does(tmp_path):
    content, _ = copy_site(tmp_path)
    replace(content / "pages" / "urgent-action.en.md", "deadline: 2025-03-18", "deadline: 2025-02-30")
    served = conftest.run_pelican(tmp_path / "served", content=content)
    alone = new_process(tmp_path / "alone", content)
    assert served.returncode == alone.returncode != 0
    assert "Traceback" not in served.stderr
    assert (
        [line for line in served.stderr.splitlines() if "urgent-action.en.md" in line]
        == [line for line in alone.stderr.splitlines() if "urgent-action.en.md" in line]
        != []
    )


def test_a_build_with_an_environment_of_its_own_gets_a_new_process():
    server = conftest._BUILD_SERVER
    assert server.serves({**os.environ, "SITEURL": "https://example.org"})
    # what the tests' own plugins read as the build runs (test_incremental.py's hooks edit a page with them)
    assert server.serves({**os.environ, "HOOK_EDIT_PATH": "/a/page.md"})
    assert not server.serves({**os.environ, "EDIT_PATH": "/a/page.md"})  # anything else may be read at start-up
    for variable, value in (("PYTHONHASHSEED", "1"), ("TZ", "Asia/Shanghai"), ("PYTHONPATH", "/elsewhere")):
        assert not server.serves({**os.environ, variable: value}), variable


def test_a_build_that_loads_another_copy_of_the_plugin_runs_that_copy(tmp_path):
    """The server has imported the site's plugin from plugins/; a build whose PLUGIN_PATHS
    find `campaign` in another folder first runs that folder's code, as a new process does."""
    copy = Path(shutil.copytree(ROOT / "plugins", tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__")))
    with (copy / "campaign" / "plugin.py").open("a", encoding="utf-8") as plugin:
        plugin.write('\nprint("the copy of the plugin is loaded")\n')
    from_copy = conftest.run_pelican(tmp_path / "copy", options=("-e", f"PLUGIN_PATHS={json.dumps([str(copy)])}"))
    assert from_copy.returncode == 0, from_copy.stderr
    assert "the copy of the plugin is loaded" in from_copy.stdout
    original = conftest.run_pelican(tmp_path / "original")
    assert original.returncode == 0, original.stderr
    assert "the copy of the plugin is loaded" not in original.stdout
    assert tree(tmp_path / "copy") == tree(tmp_path / "original")
