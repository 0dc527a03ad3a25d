"""Which pages a rebuild must render again, and a record of those it rendered.

Rendering is most of a warm build: Jinja takes about 2 ms a page, and Pelican
renders every page on every build. A page's HTML depends only on

- the site: the templates and static files, the catalogs, the timeline, the
  settings, the plugin's code and the libraries (build_cache.fingerprint), the
  build's day (deadlines open and close), and every page's front matter and
  address (the nav, the language switcher and the home page's list of actions
  are made of other pages' front matter, never of their text);
- the page itself: its own rendered text.

So each page gets a key, digest(site, page), and the record (kept beside the
content cache, one per output folder) holds, for every page written, its key and the size and mtime of
the file written. A page whose key and file are as recorded is left as it is;
editing one page's text renders that page again, and editing any front matter,
template or catalog renders them all. A file changed or deleted in the output
since is written again.

Nothing here imports Pelican.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .build_cache import write_whole

RECORD_VERSION = 1


def record_path(cache_dir: str | os.PathLike, output_path: str | os.PathLike) -> Path:
    """One record per output folder, so that builds sharing a cache (`make devserver`
    rotates between three folders) each keep what they wrote."""
    return Path(cache_dir) / f"rendered-{digest(os.path.abspath(output_path))[:12]}.json"


def digest(*parts: str | bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()[:24]


def files_digest(folders: Iterable[str | os.PathLike]) -> str:
    """Every file below the folders, by path and content (a missing folder counts as empty)."""
    parts = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            parts.append(f"{folder}: none")
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            parts.extend((str(path.relative_to(folder)), path.read_bytes()))
    return digest(*parts)


def _describe(value: object) -> str:
    """Settings that are not data (a Jinja filter, a class) count by name, and a function
    by its code too: neither changes from one run to the next as a repr's address does."""
    kind = value if isinstance(value, type) else type(value)
    name = getattr(value, "__qualname__", None) or kind.__qualname__
    code = getattr(value, "__code__", None)
    body = digest(marshal.dumps(code)) if code is not None else ""
    return f"<{getattr(value, '__module__', kind.__module__)}.{name} {body}>"


def settings_digest(settings: Mapping) -> str:
    """Every UPPERCASE setting: SITEURL, the URL patterns, the theme's options..."""
    chosen = {key: value for key, value in settings.items() if key.isupper()}
    return digest(json.dumps(chosen, sort_keys=True, default=_describe, ensure_ascii=False))


def output_key(site: str, output_name: str, *parts: str) -> str:
    """One output's key: the site's, the output's name, and what else it is made of."""
    return digest(site, output_name, *parts)


@dataclass
class RenderRecord:
    """What was written into one output folder, and from which keys."""

    output_path: str
    pages: dict[str, dict] = field(default_factory=dict)  # output name -> {"key", "size", "mtime_ns"}

    @classmethod
    def load(cls, cache_dir: str | os.PathLike, output_path: str | os.PathLike) -> RenderRecord:
        output_path = os.path.abspath(output_path)
        try:
            saved = json.loads(record_path(cache_dir, output_path).read_text(encoding="utf-8"))
            if saved.get("version") == RECORD_VERSION and saved.get("output_path") == output_path and isinstance(saved.get("pages"), dict):
                return cls(output_path, saved["pages"])
        except (OSError, ValueError, AttributeError):
            pass  # no record, or an unreadable one: every page is rendered
        return cls(output_path)

    def _stat(self, name: str):
        try:
            return os.stat(os.path.join(self.output_path, name))
        except OSError:
            return None

    def is_current(self, name: str, key: str) -> bool:
        """The file is there, as this record's build wrote it, from the same key."""
        entry = self.pages.get(name)
        if not entry or entry.get("key") != key:
            return False
        stat = self._stat(name)
        return stat is not None and stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def wrote(self, name: str, key: str) -> None:
        stat = self._stat(name)
        if stat is None:
            self.pages.pop(name, None)
        else:
            self.pages[name] = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def save(self, cache_dir: str | os.PathLike) -> None:
        record = {"version": RECORD_VERSION, "output_path": self.output_path, "pages": self.pages}
        write_whole(record_path(cache_dir, self.output_path), json.dumps(record, sort_keys=True).encode("utf-8"))
