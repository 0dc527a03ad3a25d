"""Every build writes a new folder beside the output, which replaces the output only if the build succeeds.

So the output always holds one whole build: never a page a later build no longer makes
(a deleted document, an old slug), never half of a build that failed or was killed, and
`make publish` with a mistake in the content leaves the last good site where it was.
Two builds into one output at once each write their own folder; the output ends with the
one that started last, which read the newest files.

A build never deletes what it did not make. It replaces only a folder that is missing,
empty, or holds a previous build of this site (its mark, `.campaign-build.json`, lists
every file that build wrote); anything else is refused with one line before the build
starts (`refusal`): the project, a folder holding or inside content/, theme/,
translations/, plugins/ or the settings, a parent of the project, a folder with files the
build did not make.

    output/                       the last build that succeeded
      .campaign-build.json        its mark: the files it wrote
    .output.building-<pid>/       a build running now (removed if it fails)
    .output.lock                  held while a build takes its number or swaps its folder
                                  in: the next build's number, and the number of the build
                                  in output/ (builds are numbered, not timed: a clock that
                                  goes back never makes a new build lose to an old one)
    .output.last-build.json       what the build in output/ read and wrote (last_build.py)

An output that is a symbolic link, or a mount point (Docker's `-v`, NFS, a partition of
its own), cannot be swapped: the build then writes its folder inside it
(`output/.campaign-building-<pid>/`) and moves the files of the old build out and those of
the new one in; the link stays a link to the same folder.

Nothing here imports Pelican.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
import sys
from pathlib import Path

_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:building|replaced)-(?P<pid>\d+)$")
_LEFTOVER_INSIDE = re.compile(r"\.campaign-(?:building|replaced)-(?P<pid>\d+)$")
MARK = ".campaign-build.json"
_MADE_BY = "the campaign site's build (plugins/campaign/staging.py)"


def protected_folders(project: str | os.PathLike, content=None, theme=None, translations=None) -> dict[str, str]:
    """What an output folder must never be, hold or be inside (refusal), by the name shown."""
    project = Path(project)
    return {
        "the content folder": str(content or project / "content"),
        "the theme folder": str(theme or project / "theme"),
        "the translations folder": str(translations or project / "translations"),
        "the plugins folder": str(project / "plugins"),
        "the settings file": str(project / "pelicanconf.py"),
    }


class OutputRefused(Exception):
    """The output folder is not one the build may write: str() is the one line to show."""


def _real(output: str | os.PathLike) -> Path:
    """The output folder itself, if `output` is a symbolic link to it."""
    return Path(os.path.realpath(output))


def _mount_point(folder: Path) -> bool:
    """A mount point, bind mounts included (os.path.ismount misses those on the same disk)."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            points = {line.split()[4] for line in mounts if len(line.split()) > 4}
    except OSError:
        return False
    decode = lambda text: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), text)  # noqa: E731
    return str(folder) in {decode(point) for point in points}


def in_place(output: str | os.PathLike) -> bool:
    """An output that cannot be swapped whole: a symbolic link (it stays one, to the same
    folder) or a mount point (renaming it fails with EBUSY)."""
    given = Path(os.path.abspath(output))
    return given.is_symlink() or (given.is_dir() and _mount_point(_real(given)))


def stage_path(output: str | os.PathLike) -> Path:
    real = _real(output)
    if in_place(output):
        return real / f".campaign-building-{os.getpid()}"
    return real.parent / f".{real.name}.building-{os.getpid()}"


def record_path(output: str | os.PathLike) -> Path:
    output = _real(output)
    return output.parent / f".{output.name}.last-build.json"


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return (str(path) if relative.startswith("..") else relative).rstrip("/") + "/"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _own_names(name: str) -> bool:
    """What the build keeps inside an output it writes in place: its mark and its folders."""
    return name == MARK or bool(_LEFTOVER_INSIDE.match(name))


def made_files(folder: Path) -> list[str] | None:
    """The files a build of this site wrote into `folder`, as its mark lists them; None without a mark."""
    try:
        mark = json.loads((folder / MARK).read_text(encoding="utf-8"))
        files = mark["files"]
        if mark.get("made by") == _MADE_BY and isinstance(files, list):
            return [str(name) for name in files]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:  # built before the mark existed: the record beside it lists the files that build wrote
        record = json.loads(record_path(folder).read_bytes())
        output = record.get("output")
        return [str(name) for name in output if not str(name).endswith("/")] if isinstance(output, dict) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _files(folder: Path) -> list[str]:
    found = []
    for parent, folders, names in os.walk(folder):
        if Path(parent) == folder:
            folders[:] = [name for name in folders if not _own_names(name)]
            names = [name for name in names if not _own_names(name)]
        found += [os.path.relpath(os.path.join(parent, name), folder) for name in names]
    return sorted(found)


def refusal(
    output: str | os.PathLike, project: str | os.PathLike, protected: dict[str, str | os.PathLike]
) -> str | None:
    """Why the build must not write `output`, in one line naming the folder and the fix; None if it may.
    `protected`: what must never be inside or around the output ({"content/": path, ...})."""
    real, project = _real(output), _real(project)
    shown = _shown(Path(os.path.abspath(output)))
    fix = "build into a folder of its own, such as OUTPUTDIR=output (the default)"
    if _inside(project, real):
        what = "the project folder" if real == project else "a folder that holds the project"
        return f"The output folder {shown} is {what} ({_shown(project)}): the build would replace it — {fix}"
    for name, path in protected.items():
        path = _real(path)
        if _inside(path, real) or _inside(real, path):
            where = "is" if real == path else "holds" if _inside(path, real) else "is inside"
            return f"The output folder {shown} {where} {name} ({_shown(path)}): the build would replace it — {fix}"
    if os.path.lexists(real) and not real.is_dir():
        return f"The output folder {shown} is a file, not a folder — {fix}, or move the file away"
    if not real.is_dir():
        return None
    present = _files(real)
    if not present:
        return None  # empty, or empty folders only: nothing to lose
    made = made_files(real)
    if made is None:
        first = present[0]
        return (
            f"The output folder {shown} is not empty and was not made by this site's build (it has {first}):"
            f" the build would replace it — {fix}, or empty {shown} yourself if nothing in it is needed"
        )
    foreign = sorted(set(present) - set(made))
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        return (
            f"The output folder {shown} has files the build did not make ({foreign[0]}{more}): the build replaces"
            f" the folder whole — move them out of {shown}, or delete them if they are not needed"
        )
    return None


def write_mark(stage: str | os.PathLike) -> None:
    """The mark of a build of this site: every file it wrote (in sorted order: the same site, the same bytes)."""
    stage = Path(stage)
    files = _files(stage)
    text = json.dumps({"made by": _MADE_BY, "files": files}, indent=0, ensure_ascii=False) + "\n"
    (stage / MARK).write_text(text, encoding="utf-8")


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
    if output.parent.is_dir():
        for path in output.parent.iterdir():
            match = _LEFTOVER.match(path.name)
            if match and match["name"] == output.name and not _alive(int(match["pid"])):
                shutil.rmtree(path, ignore_errors=True)
    if output.is_dir():
        for path in output.iterdir():
            match = _LEFTOVER_INSIDE.match(path.name)
            if match and not _alive(int(match["pid"])):
                shutil.rmtree(path, ignore_errors=True)


def discard(stage: str | os.PathLike) -> None:
    shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def _locked(output: Path):
    """Held while one build takes its number or swaps its folder in (see take_number)."""
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


def _numbers(lock) -> tuple[int, int]:
    """(the next build's number, the number of the build in the output) from the lock file.
    An older lock held one number (a time): the build in the output; the next follows it."""
    lock.seek(0)
    words = [int(word) for word in lock.read().split() if word.isdigit()]
    if len(words) >= 2:
        return max(words[0], words[1] + 1), words[1]
    if len(words) == 1:
        return words[0] + 1, words[0]
    return 1, 0


def _write_numbers(lock, next_number: int, in_output: int) -> None:
    lock.seek(0)
    lock.truncate()
    lock.write(f"{next_number} {in_output}\n")
    lock.flush()


def take_number(output: str | os.PathLike) -> int:
    """This build's number, taken as it starts: higher than any build's before it, whatever the clock says."""
    output = _real(output)
    if not output.parent.is_dir():
        return 1
    with _locked(output) as lock:
        if lock is None:
            return 1
        next_number, in_output = _numbers(lock)
        _write_numbers(lock, next_number + 1, in_output)
        return next_number


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


def _replace_contents(stage: Path, output: Path) -> None:
    """For an output that cannot be swapped: the old build's files move aside inside it, the
    new build's files move in; if a move fails, the old files move back."""
    replaced = output / f".campaign-replaced-{os.getpid()}"
    replaced.mkdir()
    moved_out, moved_in = [], []
    try:
        for name in sorted(os.listdir(output)):
            if name not in (stage.name, replaced.name) and not _LEFTOVER_INSIDE.match(name):
                os.rename(output / name, replaced / name)
                moved_out.append(name)
        for name in sorted(os.listdir(stage)):
            os.rename(stage / name, output / name)
            moved_in.append(name)
    except OSError:
        for name in moved_in:
            os.rename(output / name, stage / name)
        for name in moved_out:
            os.rename(replaced / name, output / name)
        replaced.rmdir()
        raise
    stage.rmdir()
    shutil.rmtree(replaced, ignore_errors=True)


def publish(
    stage: str | os.PathLike,
    output: str | os.PathLike,
    number: int,
    record: bytes | None = None,
    refuse=lambda output: None,
) -> bool:
    """Make the finished build in `stage` the output, and remove the build it replaces.

    Of two builds at once, the one that started later (a higher `number`, take_number) read
    the newer files: if it has already replaced the output, the earlier one's folder is
    removed instead (False). `refuse(output)` is asked again under the lock (OutputRefused).
    `record` (last_build.py) is written beside the output in the same step, or removed."""
    given, stage, output = output, Path(stage), _real(output)
    if not (stage / MARK).exists():
        write_mark(stage)
    replaced = output.parent / f".{output.name}.replaced-{os.getpid()}"
    with _locked(output) as lock:
        next_number, in_output = _numbers(lock) if lock is not None else (number + 1, 0)
        if lock is not None and output.is_dir() and in_output > number:
            discard(stage)
            return False
        reason = refuse(given)
        if reason:
            discard(stage)
            raise OutputRefused(reason)
        record_path(output).unlink(missing_ok=True)  # it describes the output about to be replaced
        if in_place(given) and output.is_dir():
            _replace_contents(stage, output)
        elif output.is_dir() and _exchange(stage, output):
            os.rename(stage, replaced)  # stage now holds the old build
        else:
            if output.exists():
                os.rename(output, replaced)
            os.rename(stage, output)
        if lock is not None:
            _write_numbers(lock, max(next_number, number + 1), number)
        if record is not None:  # whole or not at all: written aside, then renamed
            temporary = record_path(output).with_suffix(f".json.{os.getpid()}")
            temporary.write_bytes(record)
            os.replace(temporary, record_path(output))
    shutil.rmtree(replaced, ignore_errors=True)
    return True


def storage_problem(error: OSError, output: str | os.PathLike) -> str | None:
    """One line for a disk the output cannot be written to; None for any other error."""
    shown = _shown(Path(os.path.abspath(output)))
    kept = f"the last good output in {shown} is unchanged"
    if error.errno == errno.ENOSPC:
        return f"No space left on the disk of {shown}: {kept} — free some space and build again"
    if error.errno == errno.EDQUOT:
        return f"The disk quota of {shown} is used up: {kept} — free some space and build again"
    if error.errno == errno.EROFS:
        return f"{shown} is on a read-only disk: {kept} — build into a folder you can write, e.g. OUTPUTDIR=/tmp/site"
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"The build may not write {error.filename or shown} (permission denied): {kept}"
            " — build into a folder you own, or fix its permissions"
        )
    return None


def clean(output: str | os.PathLike, project: str | os.PathLike) -> int:
    """`make clean`: the output and what builds keep beside it, only if a build of this site made it."""
    reason = refusal(output, project, protected_folders(project))
    if reason:
        print(reason.replace("the build would replace it", "`make clean` would delete it"), file=sys.stderr)
        return 2
    real = _real(output)
    if in_place(output) and real.is_dir():  # a link or a mount point stays; what the build put in it goes
        for path in real.iterdir():
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    elif real.is_dir():
        shutil.rmtree(real)
    if real.parent.is_dir():
        for path in real.parent.iterdir():
            if path.name.startswith(f".{real.name}."):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    return 0


if __name__ == "__main__":  # make clean
    sys.exit(clean(sys.argv[1], Path(__file__).resolve().parents[2]))
