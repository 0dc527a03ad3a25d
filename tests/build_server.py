"""The tests' builds, forked from a process that has already imported Pelican.

A build in a new process spends about 0.2 s of its 0.5 s importing Pelican, Jinja,
Markdown, docutils and the rest, and the tests run some 200 of them (conftest.run_pelican).
This server imports those once, and forks a child for each build, which runs
`pelican.main` as `python -m pelican` would: in the build's folder and environment, its
output and errors in the files the caller named, its exit handlers run, its exit status
sent back. The settings and the templates are read by the child, as in any build, so a
test that changes them is built with its change. The site's own plugin (`campaign`, from
plugins/) is imported by the server too, as every build imports it before it reads
anything; a build that would find `campaign` somewhere else (a test's changed copy of
it) or not load it at all forgets the server's and imports its own, as a new process would.

conftest.run_pelican uses it only where a fork gives what a new process gives: the
environment the server started with, but for the build's day and SITEURL. A build with
any other variable (PYTHONHASHSEED, PYTHONPATH, TZ...) runs in a new process, as do
the builds that `make` starts. BUILD_SERVER=0 turns the server off.

    python tests/build_server.py SOCKET    # prints "ready" once it listens
"""

from __future__ import annotations

import atexit
import importlib.machinery
import io
import json
import logging
import os
import shutil
import signal
import socket
import sys
import traceback
import weakref
from pathlib import Path

# What every build imports before it reads a page (Pelican's engine, and the libraries the
# site's plugin uses), and nothing a build would not import, so that what a build records
# as its inputs (campaign/last_build.py) is what a new process records.
import babel.dates  # noqa: F401
import docutils.core  # noqa: F401
import jinja2  # noqa: F401
import markdown  # noqa: F401
import nh3  # noqa: F401
import pelican
import pelican.__main__  # noqa: F401
import pelican.generators  # noqa: F401
import pelican.readers  # noqa: F401
import pelican.writers  # noqa: F401
import smartypants  # noqa: F401
import typogrify.filters  # noqa: F401
import yaml  # noqa: F401
from pelican.plugins._utils import load_legacy_plugin

PLUGIN = "campaign"
PLUGIN_PATHS = [str(Path(__file__).resolve().parent.parent / "plugins")]  # pelicanconf.py's, made absolute
load_legacy_plugin(PLUGIN, PLUGIN_PATHS)  # as Pelican loads it, without adding to sys.path
__import__(f"{PLUGIN}.plugin")  # what its register() imports


_pelican_load_plugins = pelican.load_plugins


def _load_plugins(settings: dict) -> list:
    """Pelican's load_plugins, once the server's `campaign` is forgotten if this build would
    not load that one: not in PLUGINS, or found first in another folder of PLUGIN_PATHS."""
    preloaded = sys.modules.get(PLUGIN)
    if preloaded is not None:
        found = None
        if PLUGIN in (settings.get("PLUGINS") or []):
            found = importlib.machinery.PathFinder.find_spec(PLUGIN, settings.get("PLUGIN_PATHS") or [])
        if found is None or found.origin != preloaded.__spec__.origin:
            for name in [name for name in sys.modules if name == PLUGIN or name.startswith(f"{PLUGIN}.")]:
                del sys.modules[name]
    return _pelican_load_plugins(settings)


def build_here(args: list[str], environment: dict[str, str], cwd: str, stdout: str, stderr: str) -> int:
    """In a forked child: the build `python -m pelican ARGS` would run, its output and errors
    written to the files `stdout` and `stderr`; returns its exit status (the caller exits with
    it). tests/test_bad_input_corpus.py forks its builds from the test process with it."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    for fd, path in ((1, stdout), (2, stderr)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    # The files, not what the forking process had (pytest's capture, which also set up logging).
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", write_through=True)
    logging.root.handlers.clear()
    # Only the build's own exit handlers run when it ends (a stage it left behind is removed).
    atexit._clear()
    weakref.finalize._registered_with_atexit = False
    sys.argv = [pelican.__main__.__file__, *args]
    sys.path[0] = os.getcwd()  # as `python -m` starts: the working folder first
    pelican.load_plugins = _load_plugins
    try:
        pelican.main(args)
        code = 0
    except SystemExit as stop:  # as Python ends on one: sys.exit("message") shows it, status 1
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - as Python shows an uncaught error, with its status
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    logging.shutdown()
    return code


def run_build(request: dict, connection: socket.socket) -> None:
    """In the forked child: the build `request` asks for, then its exit status on `connection`."""
    code = 1
    try:
        connection.sendall(f"{os.getpid()}\n".encode())
        code = build_here(request["args"], request["env"], request["cwd"], request["stdout"], request["stderr"])
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            connection.sendall(f"{code}\n".encode())
        finally:
            os._exit(code)


def stop(signal_number, frame) -> None:
    raise SystemExit(0)


def serve(path: str) -> None:
    """Listen on the Unix socket `path` until told to stop or the test process is gone, then
    remove its folder."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, stop)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
        server.listen(16)
        server.settimeout(1.0)
        print("ready", flush=True)
        while os.getppid() == parent:
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                pass
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connection.settimeout(None)
            with connection.makefile("rb") as reader:
                request = json.loads(reader.readline())
            if os.fork() == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                server.close()
                run_build(request, connection)
            connection.close()
    finally:
        server.close()
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


if __name__ == "__main__":
    serve(sys.argv[1])
