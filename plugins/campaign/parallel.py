"""A build's work shared with forked processes, on every core, with nothing lost.

    results = run_shares(processes, work, recorder)   # [work(0), work(1), ...]

Reading a page is a pure function of its file, and pages render independently, so a
build hands shares of that work to processes forked from itself: each starts with
everything the build has loaded (modules, settings, the Markdown parser, templates,
every page read so far) and only its results travel back. This process does share 0
itself; each worker does one other share and sends back, with its result, what its
audit hook recorded (the files it read, the folders it listed, the modules it imported:
last_build.Recorder.for_worker), which joins the build's record, so the "nothing
changed" check (up_to_date.py) knows everything the build read in any process.

A worker that fails in any way (an exception, killed, its result lost) makes
run_shares raise WorkerFailed once every worker has stopped: the build stops and
publishes nothing. A worker never outlives the build (it dies with it), never runs the
build's exit handlers (which would discard the build's folder) and never logs (a lock
held by another thread at the fork would never be released in the worker).

Nothing here imports Pelican, and nothing is kept between builds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any


class WorkerFailed(Exception):
    """A worker process did not hand back its share of the build."""


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes_for(items: int, processes: int | None, min_items: int) -> int:
    """How many processes share `items` pieces of work: up to one per core (or
    `processes`), each with at least `min_items`; 1 where forking would not pay."""
    if not hasattr(os, "fork"):
        return 1
    wanted = processes or available_cores()
    return max(1, min(wanted, items // max(1, min_items) if min_items else items))


def _die_with(parent: int) -> None:
    """Linux: this worker is killed when the build's process ends, however it ends."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build ended before prctl
        os._exit(1)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _worker(share: int, work: Callable[[int], Any], recorder, parent: int, fd: int) -> None:
    """In the forked process: do one share, send back the result and the record, exit."""
    status = 1
    try:
        _die_with(parent)
        logging.disable(logging.CRITICAL)
        if recorder is not None:
            recorder.for_worker()
        result = work(share)
        record = recorder.worker_record() if recorder is not None else None
        payload = pickle.dumps((True, result, record), pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException as error:  # noqa: BLE001 (whatever it is, the build must hear of it)
        payload = pickle.dumps((False, f"{type(error).__name__}: {error}", None))
    try:
        _write_all(fd, payload)
    finally:
        os._exit(status)  # no exit handlers, no buffered output written twice


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"was killed by {name}"
    return f"stopped with exit status {os.waitstatus_to_exitcode(status)}"


def run_shares(processes: int, work: Callable[[int], Any], recorder=None) -> list[Any]:
    """[work(0), ..., work(processes - 1)]: share 0 here, each other share in a forked
    worker whose audit record (recorder) joins this process's. Raises WorkerFailed."""
    if processes <= 1:
        return [work(0)]
    sys.stdout.flush()  # what is buffered now is this process's to write, once
    sys.stderr.flush()
    parent = os.getpid()
    workers: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    gc.freeze()  # the collector leaves what exists now alone: a worker copies fewer memory pages
    try:
        for share in range(1, processes):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _worker(share, work, recorder, parent, write_end)  # never returns
            os.close(write_end)
            workers.append((pid, read_end))
        results = [work(0)]
        failures = []
        for share, (pid, read_end) in enumerate(workers, start=1):
            payload = _read_all(read_end)
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
            workers[share - 1] = (0, -1)
            try:
                ok, result, record = pickle.loads(payload)
            except Exception:  # noqa: BLE001 (cut short: the worker died while it wrote)
                ok, result, record = False, None, None
            if not ok or status != 0:
                if isinstance(result, str) and not ok:
                    failures.append(f"failed ({result})")
                else:
                    failures.append(_how_it_ended(status) if status else "handed back only part of its work")
                continue
            if recorder is not None and record is not None:
                recorder.merge(record)
            results.append(result)
        if failures:
            raise WorkerFailed(failures[0])
        return results
    finally:  # this process failed (or a worker did): no worker is left running
        gc.unfreeze()
        for pid, read_end in workers:
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            if read_end >= 0:
                os.close(read_end)
