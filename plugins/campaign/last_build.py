"""What the last build read and wrote, so that `make html` can skip a build that would
write the same bytes (up_to_date.py).

While a build runs, an audit hook (sys.addaudithook) sees every file the process opens
for reading and every folder it lists: content, templates, catalogs, data files, and
every module, imported early or late. Each file is hashed when it is opened, before it
is read, so a file saved during the build differs from the record and the next build
runs. Nothing is listed by hand: whatever the build reads is in the record because the
build read it. The record also holds the settings' digest, the build's day, the
Python version, the environment, where each imported module's name resolves, and the
size, hash and mode of every output file. `check` says what differs, or None.

Nothing here imports Pelican.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import re
import stat
import sys
import threading
import time
from pathlib import Path

VERSION = 2  # 2: output files by content (N9)
CHANGED = "changed during the build"  # never equals a hash: the next build runs
NEWER_THAN_PYC = "saved after Python checked its .pyc"  # the same, unless Python then reads the source
# Set by a shell or make for each command, and read by no build; SOURCE_DATE_EPOCH is
# compared as the build's day, PYTHONPATH as where each module resolves.
_SHELL_ENV = {"PWD", "OLDPWD", "SHLVL", "_"}
_MAKE_ENV = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR"}
NOT_COMPARED_ENV = _SHELL_ENV | _MAKE_ENV | {"PYTHONPATH", "SOURCE_DATE_EPOCH"}


def file_hash(path: str) -> str | None:
    """The bytes' SHA-256; None if there is no file; CHANGED if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return CHANGED


def listing(folder: str, own: tuple[str, str]) -> list[str] | None:
    """A folder's names, without the build's own output and the files staging.py keeps beside it."""
    try:
        return sorted(
            name
            for name in os.listdir(folder)
            if (folder, name) != own and not (folder == own[0] and name.startswith(f".{own[1]}."))
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return [CHANGED]


def _process_start_ns() -> int:
    """When this process started (Linux /proc, 1 s early); elsewhere a minute ago."""
    try:
        with open("/proc/self/stat", "rb") as stat, open("/proc/uptime", "rb") as uptime:
            started_ticks = int(stat.read().rsplit(b")", 1)[1].split()[19])
            age = float(uptime.read().split()[0]) - started_ticks / os.sysconf("SC_CLK_TCK")
        return time.time_ns() - int((age + 1) * 1e9)
    except (OSError, ValueError, IndexError):
        return time.time_ns() - 60 * 10**9


class Recorder:
    """The audit hook's side: what one build read. `event` is the hook."""

    def __init__(self, output: str | os.PathLike, also_ignored: list[str | os.PathLike] = ()):
        output = os.path.realpath(output)
        self.own = (os.path.dirname(output), os.path.basename(output))
        # what the sources decide entirely (build_cache.py): not an input of its own
        self.also_ignored = tuple(os.path.abspath(folder) for folder in also_ignored)
        self.files: dict[str, str | None] = {}
        self.folders: dict[str, list[str] | None] = {}
        self.imported: set[str] = set()  # top-level names the build imported or tried to
        self.active, self.builds = False, 0
        self.settings = ""  # the settings' digest, as the build starts
        self.started_ns = _process_start_ns()  # a module saved after that may not be what ran
        self._inside = threading.local()  # the hook's own opens are not the build's

    def ignored(self, path: str) -> bool:
        folder, name = self.own
        return (
            path.startswith(("/proc/", "/dev/", "/sys/"))
            or path == os.path.join(folder, name)
            or path.startswith(os.path.join(folder, name) + os.sep)
            or path.startswith(os.path.join(folder, f".{name}."))
            or any(path == other or path.startswith(other + os.sep) for other in self.also_ignored)
        )

    def start(self) -> None:
        """Before the build reads anything more: the modules it has already imported count too."""
        self.active = True
        self._modules()
        self._inside.busy = True  # (the hook's own reads are not the build's)
        for folder in sys.path:
            self._folder(os.path.abspath(folder or "."))
        self._inside.busy = False

    def _modules(self) -> None:
        """The file of every module imported, hashed now if the hook did not see it read
        (imported before the hook, or an extension module, which Python opens itself)."""
        self._inside.busy = True
        for module in list(sys.modules.values()):
            origin = getattr(getattr(module, "__spec__", None), "origin", None)
            if origin and origin not in self.files and os.path.isfile(origin):
                self._file(origin)
                try:  # saved after this process started: perhaps not what ran
                    if os.stat(origin).st_mtime_ns >= self.started_ns:
                        self.files[origin] = CHANGED
                except OSError:
                    self.files[origin] = CHANGED
        self.imported |= {name.partition(".")[0] for name in sys.modules}
        self._inside.busy = False

    def event(self, name: str, args: tuple) -> None:
        if not self.active or getattr(self._inside, "busy", False):
            return
        self._inside.busy = True
        try:
            if name == "open" and isinstance(args[0], str | bytes | os.PathLike):
                flags = args[2] if isinstance(args[2], int) else 0
                if flags & os.O_ACCMODE != os.O_WRONLY:
                    self._opened(os.path.abspath(os.fsdecode(args[0])))
            elif name in ("os.listdir", "os.scandir") and isinstance(args[0], str | bytes | os.PathLike | None):
                self._folder(os.path.abspath(os.fsdecode(args[0] or ".")))
            elif name == "import":
                self.imported.add(args[0].partition(".")[0])
        finally:
            self._inside.busy = False

    def _opened(self, path: str) -> None:
        if self.ignored(path):  # before the stat below: the build opens its cache's entries by the thousand
            return
        if os.path.isdir(path):
            return self._folder(path)
        if path.endswith(".pyc") and os.sep + "__pycache__" + os.sep in path:
            try:
                source = importlib.util.source_from_cache(path)
            except ValueError:
                source = None
            if source and os.path.isfile(source):
                # Python checked the .pyc against the source's mtime and size just before:
                # if they no longer match, the source was saved since (or Python reads it next).
                self._file(source, None if _pyc_matches(path, source) else NEWER_THAN_PYC)
                return
        self._file(path)

    def _file(self, path: str, value: str | None = None) -> None:
        if self.ignored(path):
            return
        found = value if value is not None else file_hash(path)
        before = self.files.setdefault(path, found)
        if before == NEWER_THAN_PYC and value is None:  # Python found the .pyc stale and read the source
            self.files[path] = found
        elif before != found:  # read twice, different bytes
            self.files[path] = CHANGED
        folder = os.path.dirname(path)
        if folder not in self.folders:  # a new file beside one the build read: it may be looked for
            self._folder(folder)  # (listed when first seen and again at stop(), not at every file opened)

    def _folder(self, folder: str) -> None:
        if self.ignored(folder):
            return
        found = listing(folder, self.own)
        if self.folders.setdefault(folder, found) != found:
            self.folders[folder] = [CHANGED]

    def stop(self) -> dict:
        """What the build read, as the record keeps it; the hook does nothing from now on.
        Every folder is listed once more: a file added or removed while the build ran is a change."""
        self._modules()
        self.active = False
        for folder in list(self.folders):
            self._folder(folder)
        modules = {name: module_origin(name) for name in sorted(self.imported) if not name.startswith("__")}
        # (a module made by code, not found by the import system, is its maker's file)
        return {
            "files": self.files,
            "folders": self.folders,
            "modules": {name: origin for name, origin in modules.items() if origin != "no spec"},
        }

    def for_worker(self) -> None:
        """In a process forked to share the build's work (parallel.py): from now on, what it
        reads is kept apart, for worker_record() to hand back to the build."""
        self._worker_start = (dict(self.files), dict(self.folders), set(self.imported))

    def worker_record(self) -> dict:
        """What this worker read since for_worker(), for merge() in the build's process."""
        self._modules()
        files, folders, imported = self._worker_start
        return {
            "files": {path: value for path, value in self.files.items() if files.get(path, "") != value},
            "folders": {path: names for path, names in self.folders.items() if folders.get(path, "") != names},
            "imported": self.imported - imported,
        }

    def merge(self, worker: dict) -> None:
        """A worker's record joins the build's: read by either is read by the build, and
        where the two saw different bytes or names, the file or folder changed."""
        for path, value in worker["files"].items():
            if self.files.setdefault(path, value) != value:
                self.files[path] = CHANGED
        for folder, names in worker["folders"].items():
            if self.folders.setdefault(folder, names) != names:
                self.folders[folder] = [CHANGED]
        self.imported |= worker["imported"]


def _pyc_matches(pyc: str, source: str) -> bool:
    try:
        with open(pyc, "rb") as handle:
            header = handle.read(16)
        stat = os.stat(source)
    except OSError:
        return False
    if int.from_bytes(header[4:8], "little") != 0:  # a hash-based .pyc: checked against the source's bytes
        return True
    return (int.from_bytes(header[8:12], "little"), int.from_bytes(header[12:16], "little")) == (
        int(stat.st_mtime) & 0xFFFFFFFF,
        stat.st_size & 0xFFFFFFFF,
    )


def module_origin(name: str, plugin_paths: list[str] | None = None) -> str | list[str] | None:
    """Where a top-level module comes from in this process: a file, "built-in", a
    namespace package's folders, or None if it cannot be found."""
    try:
        module = sys.modules.get(name)
        spec = getattr(module, "__spec__", None) if module is not None else None
        if spec is None and plugin_paths:
            spec = importlib.machinery.PathFinder.find_spec(name, plugin_paths)  # as Pelican finds plugins
        if spec is None and module is None:
            spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return CHANGED
    if spec is None:
        return None if module is None else "no spec"
    if module is not None and spec.name != name:  # made by code from another module (Markdown's htmlparser)
        return "no spec"  # left out of the record: its maker's file is in it
    return spec.origin or sorted(spec.submodule_search_locations or [])


def settings_digest(settings: dict, leave_out: str) -> str:
    """The settings Pelican built with (a value that cannot be written stably never matches)."""

    def stable(value):
        name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
        text = name if callable(value) else repr(value)
        return text if not re.search(r" at 0x[0-9a-f]+", text) else os.urandom(8).hex()

    kept = {key: value for key, value in settings.items() if key != leave_out}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=stable).encode()).hexdigest()


def environment(environ) -> dict[str, str]:
    # make exports the variables set on its command line (`make html PELICANOPTS=...`): the
    # Makefile's, not the build's (what they change reaches the build through its arguments)
    assignments = environ.get("MAKEFLAGS", "").partition("-- ")[2].split()
    from_make = {word.split("=", 1)[0] for word in assignments if "=" in word}
    return {key: value for key, value in environ.items() if key not in NOT_COMPARED_ENV and key not in from_make}


def manifest(folder: str | os.PathLike) -> dict[str, list]:
    """Every file and folder of the output: relative path -> [size, SHA-256, mode] (a folder's
    path ends with /). By content, not time: an output file edited with its time kept
    (cp -p, rsync -t, tar x) is a change; the site's few hundred kB hash in milliseconds."""
    found: dict[str, list] = {}
    for parent, folders, names in os.walk(folder):
        for name in folders:
            path = os.path.join(parent, name)
            found[os.path.relpath(path, folder) + "/"] = ["folder", stat.S_IMODE(os.lstat(path).st_mode)]
        for name in names:
            path = os.path.join(parent, name)
            status = os.lstat(path)
            found[os.path.relpath(path, folder)] = [status.st_size, file_hash(path), stat.S_IMODE(status.st_mode)]
    return found


def record(inputs: dict, settings: str, day: str, environ, output_files: dict) -> bytes:
    return json.dumps(
        {
            "version": VERSION,
            "python": sys.version,
            "day": day,
            "settings": settings,
            "environment": environment(environ),
            "output": output_files,
            **inputs,
        }
    ).encode()


def check(path: Path, output: str | os.PathLike, day: str, environ, read_settings) -> str | None:
    """What differs from the last build, in a few words; None if nothing does.
    read_settings (the slowest, so called last) gives the settings now: (digest, PLUGINS, PLUGIN_PATHS)."""
    try:
        last = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return "there is no record of the last build"
    if not isinstance(last, dict) or last.get("version") != VERSION:
        return "the record of the last build is of another kind"
    if last["day"] != day:
        return f"the build's day changed ({last['day']} → {day})"
    if last["python"] != sys.version:
        return "Python changed"
    if last["environment"] != environment(environ):
        changed = set(last["environment"].items()) ^ set(environment(environ).items())
        return f"the environment changed ({', '.join(sorted({key for key, _ in changed}))})"
    if not Path(output).is_dir() or last["output"] != manifest(output):
        return f"{output} is not as the last build left it"
    for file, digest in last["files"].items():
        if file_hash(file) != digest:
            return f"{file} changed"
    own = (os.path.dirname(os.path.realpath(output)), os.path.basename(os.path.realpath(output)))
    for folder, names in last["folders"].items():
        if listing(folder, own) != names:
            return f"files were added to or removed from {folder}"
    digest, plugins, plugin_paths = read_settings()
    for name, origin in last["modules"].items():
        if module_origin(name, plugin_paths if name in plugins else None) != origin:
            return f"the module {name} now comes from elsewhere"
    return "the settings changed" if digest != last["settings"] else None
