"""Work on every core: a pool of forked processes, which read pages and render them.

Markdown, YAML, typogrify and Jinja are pure Python, so one process reads one page at a
time (about 4 ms each) and renders one at a time (about 2 ms): for hundreds of pages
that is most of a cold build. Forked workers start with everything the build has
loaded (modules, settings, the Markdown parser, the compiled templates, every page),
so they are ready in milliseconds and only each item's result travels back.

Nothing here imports Pelican.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per process, starting the processes costs more than it saves.
MIN_ITEMS_PER_PROCESS = 24

_task: Callable | None = None  # the function the forked workers run (inherited, not pickled)


def _run(item):
    try:
        return _task(item)
    except Exception:
        raise
    except BaseException as error:  # SystemExit would end the worker and leave the pool waiting forever
        raise RuntimeError(f"{type(error).__name__} in a worker: {error}") from None


def _quiet() -> None:
    # A worker reports through its results, never by logging: a log handler's lock may
    # have been held by another thread when the worker was forked.
    logging.disable(logging.CRITICAL)


def _other_threads() -> list[threading.Thread]:
    """Threads a fork could copy mid-work, besides the status spinner Pelican shows
    while it builds (rich's, which touches only its own lock and the terminal)."""
    return [thread for thread in threading.enumerate() if thread is not threading.current_thread() and type(thread).__name__ != "_RefreshThread"]


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_in_processes(function: Callable[[Item], Result], items: Sequence[Item], processes: int) -> list[Result] | None:
    """[function(item) for item in items], computed by up to `processes` forked workers.

    None when that is not worth it or not safe (few items, one core, no fork, or other
    threads running, which a fork would copy mid-work): the caller then does the work
    itself. Results come back in the order of the items; they must be picklable.
    """
    global _task
    processes = min(processes, len(items) // MIN_ITEMS_PER_PROCESS)
    if processes < 2 or _other_threads() or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _task = function
    sys.stdout.flush()  # or the workers would print again what is still buffered
    sys.stderr.flush()
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_quiet) as pool:
            return pool.map(_run, items, chunksize=max(1, len(items) // (processes * 4)))
    except Exception:  # any failure only means reading in this process instead
        logger.debug("reading in %d processes failed; reading in one", processes, exc_info=True)
        return None
    finally:
        _task = None
