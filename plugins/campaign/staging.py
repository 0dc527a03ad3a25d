"""Every build writes a new folder beside the output, which replaces the output only if the build succeeds.

So the output always holds one whole build: never a page a later build no longer makes
(a deleted document, an old slug), never half of a build that failed or was killed, and
`make publish` with a mistake in the content leaves the last good site where it was.
Two builds into one output at once each write their own folder; the output ends with the
one that started last, which read the newest files.

    output/                       the last build that succeeded
    .output.building-<pid>/       a build running now (removed if it fails)
    .output.lock                  held while a build swaps its folder in; says when the
                                  build in output/ started
    .output.last-build.json       what the build in output/ read and wrote (last_build.py)

Nothing here imports Pelican.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
from pathlib import Path

_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:building|replaced)-(?P<pid>\d+)$")


def _real(output: str | os.PathLike) -> Path:
    """The output folder itself, if `output` is a symbolic link to it (the swap replaces the folder, not the link)."""
    return Path(os.path.realpath(output))


def stage_path(output: str | os.PathLike) -> Path:
    output = _real(output)
    return output.parent / f".{output.name}.building-{os.getpid()}"


def record_path(output: str | os.PathLike) -> Path:
    output = _real(output)
    return output.parent / f".{output.name}.last-build.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(output: str | os.PathLike) -> None:
    """Folders of builds that were killed before they could clean up after themselves."""
    output = _real(output)
    if not output.parent.is_dir():
        return
    for path in output.parent.iterdir():
        match = _LEFTOVER.match(path.name)
        if match and match["name"] == output.name and not _alive(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)


def discard(stage: str | os.PathLike) -> None:
    shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def _locked(output: Path):
    """Held while one build swaps its folder in. The lock file holds when the build now in
    the output started (see publish)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the swap below still never leaves half a site
        yield None
        return
    with open(output.parent / f".{output.name}.lock", "a+", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield lock
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE): a server reading the
    output never finds it missing. False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def publish(stage: str | os.PathLike, output: str | os.PathLike, started_ns: int, record: bytes | None = None) -> bool:
    """Make the finished build in `stage` the output, and remove the build it replaces.

    Of two builds at once, the one that started later read the newer files: if it has
    already replaced the output, the earlier one's folder is removed instead (False).
    `record` (last_build.py) is written beside the output in the same step, or removed."""
    stage, output = Path(stage), _real(output)
    replaced = output.parent / f".{output.name}.replaced-{os.getpid()}"
    with _locked(output) as lock:
        if lock is not None and output.is_dir():
            lock.seek(0)
            current = lock.read().strip()
            if current.isdigit() and int(current) > started_ns:
                discard(stage)
                return False
        record_path(output).unlink(missing_ok=True)  # it describes the output about to be replaced
        if output.is_dir() and _exchange(stage, output):
            os.rename(stage, replaced)  # stage now holds the old build
        else:
            if output.exists():
                os.rename(output, replaced)
            os.rename(stage, output)
        if lock is not None:
            lock.seek(0)
            lock.truncate()
            lock.write(f"{started_ns}\n")
            lock.flush()
        if record is not None:  # whole or not at all: written aside, then renamed
            temporary = record_path(output).with_suffix(f".json.{os.getpid()}")
            temporary.write_bytes(record)
            os.replace(temporary, record_path(output))
    shutil.rmtree(replaced, ignore_errors=True)
    return True
