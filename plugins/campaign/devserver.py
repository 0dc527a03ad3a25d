"""`make devserver`: serve the site, rebuild it on every save, and reload the browser.

    PYTHONPATH=plugins python -m campaign.devserver [--content content] [--port 8000]

For editors' previews only, never for publishing:
- each build runs `pelican` in a subprocess into a temporary folder (not output/),
  and the server switches to it only if it succeeded: a file with a mistake
  prints its problem lines here and in the browser, and the last good build
  stays on screen until the mistake is fixed;
- the reload needs a script, which the published site does not have: the server
  adds one tag to each HTML page as it sends it (the files on disk stay as
  built), and widens the page's Content-Security-Policy just enough for it
  (script and connection to this server only). The script listens to a
  Server-Sent Events stream that says when a new build is ready.

Standard library only; watches by polling, which is plenty for a few dozen files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .config import PROJECT
from .devserver_http import make_server
from .sources import Locations


@dataclass(frozen=True)
class Snapshot:
    version: int  # goes up on every build, good or bad
    generation: str  # names the last good build; "none" before there is one
    problems: str  # the last build's problem lines, "" if it succeeded


class ServedSite:
    """What the server shows, shared between the builder and the request threads."""

    def __init__(self):
        self._changed = threading.Condition()
        self._snapshot = Snapshot(0, "none", "")
        self.site: Path | None = None

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def succeeded(self, site: Path) -> None:
        with self._changed:
            self.site = site
            self._snapshot = Snapshot(self._snapshot.version + 1, f"{site.name}-{time.time_ns()}", "")
            self._changed.notify_all()

    def failed(self, problems: str) -> None:
        with self._changed:
            self._snapshot = Snapshot(
                self._snapshot.version + 1, self._snapshot.generation, problems or "the build failed"
            )
            self._changed.notify_all()

    def wait(self, seen_version: int | None, timeout: float) -> Snapshot:
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version != seen_version, timeout=timeout)
            return self._snapshot


BUILD_FOLDERS = 3  # the one on screen, the one before (pages may still load from it), the next


class Builder:
    """Runs Pelican in a subprocess, as `make html` does, into one of three folders in turn:
    never the one on screen, nor the one before it (pages may still load from it)."""

    def __init__(self, content: Path, settings: Path, workdir: Path, state: ServedSite, log=print):
        self.content, self.settings, self.workdir, self.state, self.log = content, settings, workdir, state, log
        self.kept: list[Path] = []  # the folders of good builds, the newest last
        self.process: subprocess.Popen | None = None

    def next_target(self) -> Path:
        protected = self.kept[-2:]
        folders = [self.workdir / f"build-{number}" for number in range(1, BUILD_FOLDERS + 1)]
        unused = [folder for folder in folders if folder not in self.kept]
        return unused[0] if unused else next(folder for folder in self.kept if folder not in protected)

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()

    def build(self) -> bool:
        target = self.next_target()
        started = time.monotonic()
        with subprocess.Popen(
            [sys.executable, "-m", "pelican", str(self.content), "-o", str(target), "-s", str(self.settings)],
            cwd=self.settings.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            self.process = process  # so that stopping the devserver can stop a build half-way
            try:
                stdout, stderr = process.communicate(timeout=600)
                output, ok = stderr.strip(), process.returncode == 0
                if not ok:
                    output = (
                        "\n".join(part for part in (output, _pelican_errors(stdout)) if part)
                        or f"the build failed (exit status {process.returncode})"
                    )
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                output, ok = "the build took more than 10 minutes and was stopped", False
            except BaseException:  # the devserver is stopping (Ctrl-C, kill): so is the build
                process.kill()
                raise
            finally:
                self.process = None
        seconds = time.monotonic() - started
        if ok:
            self.state.succeeded(target)
            self.kept = [folder for folder in self.kept if folder != target] + [target]
            self.log(f"Rebuilt in {seconds:.1f} s; the browser reloads.")
            if output:
                self.log(output)
        else:
            # A build that fails leaves its folder as it was (staging.py), and is never shown.
            self.state.failed(output)
            self.log(output)
            self.log("Still showing the last good build. Save the file again once it is fixed.")
        return ok


def _pelican_errors(stdout: str, limit: int = 40) -> str:
    """Pelican's own error log (a template error, say), which it prints to standard output."""
    lines = stdout.rstrip().split("\n")
    first = next((i for i, line in enumerate(lines) if "CRITICAL" in line or "ERROR" in line), None)
    return "" if first is None else "\n".join(lines[first : first + limit])


def snapshot_files(roots: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Modification time, change time and size of every file an edit could change (not
    editors' temp files). The change time too: a save that keeps the modification time
    (`touch -r`, `cp -p`) still sets it."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [name for name in dirs if not name.startswith(".") and name != "__pycache__"]
            for name in files:
                if name.startswith(".") or name.endswith(("~", ".pyc", ".swp", ".mo")):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue  # deleted while we looked
                found[path] = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
    return found


def watch(roots: list[Path], builder: Builder, stop: threading.Event, interval: float = 0.1) -> None:
    # A look at every file costs about a millisecond: ten a second keep a save's wait short
    # (make bench measures a save to the reloaded page).
    last = snapshot_files(roots)
    while not stop.wait(interval):
        now = snapshot_files(roots)
        if now == last:
            continue
        stop.wait(0.1)  # editors often save several files at once
        last = snapshot_files(roots)  # taken before the build: a save during it triggers another
        builder.build()


def _stop_serving(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make devserver", description="Serve the site, rebuild it on every save and reload the browser."
    )
    parser.add_argument("--content", type=Path, help="the content folder (default: PATH in the settings)")
    parser.add_argument("--settings", type=Path, default=PROJECT / "pelicanconf.py")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    args = parser.parse_args(argv)

    settings = args.settings.resolve()
    locations = Locations.from_settings(settings, args.content)
    watched = [locations.content, locations.templates.parent, locations.translations, PROJECT / "plugins", settings]
    workdir = Path(tempfile.mkdtemp(prefix="campaign-devserver-"))
    state, stop = ServedSite(), threading.Event()
    log = lambda text: print(text, flush=True)  # noqa: E731
    builder = Builder(locations.content, settings, workdir, state, log)
    try:
        server = make_server(args.bind, args.port, state, stop)
    except OSError as error:
        print(
            f"make devserver: cannot listen on {args.bind}:{args.port} ({error.strerror}) — stop the other server, or use PORT=8001",
            file=sys.stderr,
        )
        shutil.rmtree(workdir, ignore_errors=True)
        return 1
    signal.signal(signal.SIGTERM, _stop_serving)  # `kill` cleans up like Ctrl-C
    watcher = threading.Thread(target=watch, args=(watched, builder, stop), daemon=True)
    try:
        log(f"Building {locations.content} (builds go to {workdir}, removed when you stop) ...")
        builder.build()
        watcher.start()
        host, port = server.server_address[:2]
        log(
            f"Serving the site at http://{host}:{port}/ — it rebuilds when you save, and the browser reloads. Ctrl-C stops."
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        builder.stop()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
        log("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
