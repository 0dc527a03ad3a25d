"""Whether a build has anything to do: the last one's inputs and output, compared.

After a build that succeeded, the plugin records a digest of everything the build
read (the content folder, the theme, the catalogs, the plugin's code and the
libraries, the settings, the build's day) and the size and mtime of every file in
the output folder. A build that finds the same digest and the same output has
nothing to do and stops there, as `make` does: about a third of a second however
many pages the site has, against a second for a build that reads the cache and
renders nothing (render_cache.py). Any difference, even a file added to or deleted
from the output, and the build runs as usual.

Nothing here imports Pelican.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .build_cache import write_whole

STATE_FILE = "last-build.json"
STATE_VERSION = 1


def output_listing(output_dir: str | os.PathLike) -> dict[str, list[int]]:
    """Every file below the folder: relative path -> [size, mtime_ns]."""
    listing = {}
    root = os.fspath(output_dir)
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            listing[os.path.relpath(path, root)] = [stat.st_size, stat.st_mtime_ns]
    return listing


def is_up_to_date(cache_dir: str | os.PathLike, inputs: str, output_dir: str | os.PathLike) -> bool:
    try:
        state = json.loads((Path(cache_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or state.get("inputs") != inputs:
        return False
    return Path(output_dir).is_dir() and state.get("output") == output_listing(output_dir)


def record(cache_dir: str | os.PathLike, inputs: str, output_dir: str | os.PathLike) -> None:
    """After a build that succeeded."""
    state = {"version": STATE_VERSION, "inputs": inputs, "output": output_listing(output_dir)}
    write_whole(Path(cache_dir) / STATE_FILE, json.dumps(state).encode("utf-8"))


def forget(cache_dir: str | os.PathLike) -> None:
    """Before a build starts: until it succeeds, the next one must not be skipped."""
    (Path(cache_dir) / STATE_FILE).unlink(missing_ok=True)
