"""Reading and rendering pages on every core (plugins/campaign/parallel.py) changes nothing in the site."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import threading

from campaign import parallel
from conftest import DEFAULT_CLOCK, ROOT, epoch


def load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def tree(directory):
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_a_site_built_in_two_processes_is_the_site_built_in_one(tmp_path):
    content = load_bench().make_synthetic_content(tmp_path / "content", 20)  # 60 files: enough for 2 processes
    outputs = {}
    for processes in (1, 2):
        output = tmp_path / f"built-in-{processes}" / "site"
        result = subprocess.run(
            [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(ROOT / "pelicanconf.py"),
             "-e", f"CAMPAIGN_PROCESSES={processes}", "LOAD_CONTENT_CACHE=false"],
            cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)}, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[processes] = tree(output)
    assert len([name for name in outputs[1] if name.endswith("index.html")]) == 60
    assert outputs[2] == outputs[1]


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


FORKED_SQUARES = """
import json, os
from campaign import parallel
results = parallel.map_in_processes(lambda n: (n * n, os.getpid()), list(range(200)), 2)
print(json.dumps({"parent": os.getpid(), "results": results}))
"""


def test_work_is_done_in_forked_processes_and_comes_back_in_order():
    # In a fresh interpreter: this test session runs server threads, and with other
    # threads alive map_in_processes rightly refuses to fork.
    result = subprocess.run(
        [sys.executable, "-c", FORKED_SQUARES], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [square for square, _ in report["results"]] == [n * n for n in range(200)]
    assert report["parent"] not in {pid for _, pid in report["results"]}


FORKED_FAILURES = """
import json
from campaign import parallel

def stop(n):
    if n == 150:
        raise SystemExit(1)
    return n

def fail(n):
    if n == 10:
        raise ValueError("bad item")
    return n

print(json.dumps([parallel.map_in_processes(stop, list(range(200)), 2), parallel.map_in_processes(fail, list(range(200)), 2)]))
"""


def test_a_failing_item_means_doing_the_work_here_never_a_hung_pool():
    result = subprocess.run(
        [sys.executable, "-c", FORKED_FAILURES], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [None, None]  # the caller then does the work, and meets the error itself


def test_small_jobs_one_core_and_other_threads_stay_in_this_process():
    assert parallel.map_in_processes(square_and_pid, list(range(10)), 2) is None
    assert parallel.map_in_processes(square_and_pid, list(range(200)), 1) is None
    release = threading.Event()
    busy = threading.Thread(target=release.wait)
    busy.start()
    try:
        assert parallel.map_in_processes(square_and_pid, list(range(200)), 2) is None
    finally:
        release.set()
        busy.join()
