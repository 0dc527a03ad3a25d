"""Where a build keeps its caches, and when the content cache may be reused.

Pelican's content cache (CACHE_CONTENT in pelicanconf.py) keeps what the reader
returned for each file, keyed by the file's MD5, so a rebuild reads only the files
that changed. Two things Pelican leaves to the site:

- Where. Pelican's default is `cache/` in whatever folder the build runs from, so
  builds into different output folders (the tests make dozens, some at the same
  time) would share, and race on, one cache file. Here the default becomes a
  folder beside the output, named after it: `make html` into output/ uses
  cache/output/, a build into /tmp/x/site uses /tmp/x/cache/site. A path set with
  --cache-path is used as given.
- When. The cached reading holds the rendered Markdown and the validation's
  problems, so it is only valid for the code and settings that produced it. Its
  fingerprint (the plugin's source, the Markdown settings, the library versions
  and the working folder, which problem paths are relative to) is written beside
  the cache once Pelican has saved it; a build whose fingerprint differs reads
  every file again.

Beside it, `remembered` keeps the result of other work that depends only on files,
under a key made of them (the strings in the templates), and render_cache.py keeps
a record of the pages written.

Nothing here imports Pelican.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TypeVar

Value = TypeVar("Value")

PELICAN_DEFAULT = "cache"  # CACHE_PATH when neither pelicanconf.py nor --cache-path sets it
FINGERPRINT_FILE = "campaign-fingerprint"
TEMPLATES_FOLDER = "templates"  # compiled Jinja templates, beside the content cache
PELICAN_CACHE_FILES = ("*Generator-Readers", "*Generator")  # the names Pelican gives its cache files
PICKLE_STOP = b"."  # the last byte of every complete pickle

# What else the reader's result depends on: the packages that parse and typeset.
LIBRARIES = ("pelican", "markdown", "pyyaml", "typogrify", "smartypants", "babel", "jinja2", "markupsafe")
SETTINGS = ("MARKDOWN", "TYPOGRIFY", "DEFAULT_LANG", "JINJA_ENVIRONMENT")


def cache_path(configured: str, output_path: str) -> str:
    """The content cache's folder: beside the output unless one was given."""
    if configured != PELICAN_DEFAULT:
        return configured
    output = Path(output_path)
    return str(output.parent / PELICAN_DEFAULT / output.name)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(code_files: Iterable[Path], settings: Mapping, working_dir: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(code_files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in SETTINGS:
        digest.update(f"{name}={settings.get(name)!r}\0".encode())
    for name in LIBRARIES:
        digest.update(f"{name}=={_version(name)}\0".encode())
    digest.update(f"python={sys.version}\0cwd={working_dir}".encode())
    return digest.hexdigest()[:20]


def is_current(cache_dir: str, expected: str) -> bool:
    try:
        return (Path(cache_dir) / FINGERPRINT_FILE).read_text(encoding="ascii").strip() == expected
    except (OSError, UnicodeDecodeError):
        return False


def forget(cache_dir: str) -> None:
    """Before a build that must not reuse the cache: delete it (Pelican's cache files
    and the compiled templates), so that if this build stops before saving a new one,
    the next build does not trust the old one either."""
    folder = Path(cache_dir)
    (folder / FINGERPRINT_FILE).unlink(missing_ok=True)
    for pattern in PELICAN_CACHE_FILES:
        for path in folder.glob(pattern):
            if path.is_file():
                path.unlink()
    for path in (folder / TEMPLATES_FOLDER).glob("*.cache"):
        path.unlink()


def remember(cache_dir: str, current: str, saved_file: str, compressed: bool = False) -> bool:
    """After Pelican has saved the cache to saved_file. Pelican only logs a warning when
    it cannot (a value that cannot be pickled), and may leave a truncated file: then
    the cache is deleted rather than trusted. Returns whether it was kept."""
    try:
        with (gzip.open if compressed else open)(saved_file, "rb") as cache:
            cache.seek(-1, 2)
            complete = cache.read(1) == PICKLE_STOP
    except OSError:
        complete = False
    if not complete:
        forget(cache_dir)
        return False
    (Path(cache_dir) / FINGERPRINT_FILE).write_text(current + "\n", encoding="ascii")
    return True


def remembered(cache_dir: str, name: str, key: str, compute: Callable[[], Value]) -> Value:
    """compute(), or what it returned last time for the same key (kept in cache_dir/name).
    For work that depends only on files the key covers, such as the strings in the templates."""
    path = Path(cache_dir) / name
    try:
        saved_key, value = pickle.loads(path.read_bytes())
        if saved_key == key:
            return value
    except Exception:  # missing, truncated or from other code: compute it again
        pass
    value = compute()
    try:
        write_whole(path, pickle.dumps((key, value)))
    except OSError:
        pass  # a cache that cannot be written only costs time
    return value


def write_whole(path: Path, data: bytes) -> None:
    """Write a cache file so that a reader finds the old one or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
