"""`make devserver`'s web server: the last good build, with a script in every HTML page
that reloads it when a new build is ready (devserver.py builds; this serves).
Standard library only."""

from __future__ import annotations

import http.server
import re
import threading
from html import escape
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

EVENTS_PATH = "/__devserver/events"
SCRIPT_PATH = "/__devserver/reload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'

RELOAD_SCRIPT = """\
// make devserver only: reloads the page when a new build is ready, and shows the
// problems when a build fails. Never part of the published site.
(function () {
  "use strict";
  var known = null;
  var banner = null;
  var source = new EventSource("%(events)s");
  source.addEventListener("build", function (event) {
    if (known === null) {
      known = event.data;
    } else if (event.data !== known) {
      window.location.reload();
    }
  });
  source.addEventListener("problems", function (event) {
    if (!banner) {
      banner = document.createElement("pre");
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;z-index:9999;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;" +
        "padding:1rem;background:#fff3cd;color:#000;border-top:4px solid #b00;white-space:pre-wrap;font:14px/1.4 monospace";
      document.body.appendChild(banner);
    }
    banner.textContent = "The site could not be rebuilt: you are looking at the last good build.\\n\\n" + event.data;
  });
})();
""" % {"events": EVENTS_PATH}  # noqa: UP031 (the script's own braces stay as they are)

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CSP = re.compile(r"""http-equiv=["']?Content-Security-Policy""", re.IGNORECASE)
_CONTENT = re.compile(r"""(\scontent=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def dev_policy(policy: str) -> str:
    """The page's CSP, plus a script and a connection from this server (nothing else)."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    names = [directive.split()[0].lower() for directive in directives]
    for needed in ("script-src", "connect-src"):
        if needed in names:
            index = names.index(needed)
            sources = [source for source in directives[index].split()[1:] if source != "'none'"]
            if "'self'" not in sources:
                sources.append("'self'")
            directives[index] = " ".join([needed, *sources])
        else:
            directives.append(f"{needed} 'self'")
            names.append(needed)
    return "; ".join(directives)


def inject(html: str) -> str:
    """The page as the devserver sends it: with the reload script and a CSP that allows it."""

    def widen(meta: re.Match) -> str:
        tag = meta.group(0)
        if not _CSP.search(tag):
            return tag
        return _CONTENT.sub(
            lambda match: match.group(1) + match.group(2) + dev_policy(match.group(3)) + match.group(2), tag, count=1
        )

    html = _META.sub(widen, html)
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + SCRIPT_TAG
    at = matches[-1].start()
    return html[:at] + SCRIPT_TAG + "\n" + html[at:]


class ShownBuild(Protocol):
    """One build as the page is told about it (devserver.Snapshot)."""

    version: int  # counts builds, failed ones too
    generation: str  # names the last good build
    problems: str  # the last build's problem lines, "" if it succeeded


class ServerState(Protocol):
    """What the server reads of the builder's state (devserver.py's ServedSite has it): the
    folder of the last good build, the build shown now, and a wait for the next one."""

    site: Path | None

    @property
    def snapshot(self) -> ShownBuild: ...

    def wait(self, seen_version: int | None, timeout: float) -> ShownBuild: ...


class DevHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the last good build, with the reload script in every HTML page."""

    state: ServerState  # set on the subclass made by make_server
    stop: threading.Event

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the editor needs the build's messages, not a line per request

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_HEAD(self):
        self.respond(head_only=True)

    def do_GET(self):
        self.respond(head_only=False)

    def send_bytes(self, status: int, content_type: str, body: bytes, head_only: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def respond(self, head_only: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS_PATH:
            return self.stream_events()
        if path == SCRIPT_PATH:
            return self.send_bytes(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), head_only)
        site = self.state.site
        if site is None:
            problems = self.state.snapshot.problems or "The first build is still running."
            page = f"<!doctype html><html lang=en><title>Not built yet</title><h1>The site could not be built yet</h1><pre>{escape(problems)}</pre></html>"
            return self.send_bytes(503, "text/html; charset=utf-8", inject(page).encode(), head_only)
        self.directory = str(site)
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            file = file / "index.html"
        status = 200
        if not file.is_file():
            status, file = 404, site / "404.html"
            if not file.is_file():
                return self.send_bytes(404, "text/plain; charset=utf-8", b"Not found", head_only)
        if file.suffix == ".html":
            body = inject(file.read_text(encoding="utf-8")).encode("utf-8")
            return self.send_bytes(status, "text/html; charset=utf-8", body, head_only)
        return self.send_bytes(status, self.guess_type(str(file)), file.read_bytes(), head_only)

    def stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not self.stop.is_set():
                current = self.state.wait(seen, timeout=10)
                if current.version == seen:
                    self.wfile.write(b": still here\n\n")  # lets a closed tab end this thread
                else:
                    seen = current.version
                    message = f"event: build\ndata: {current.generation}\n\n"
                    if current.problems:
                        data = "".join(f"data: {line}\n" for line in current.problems.split("\n"))
                        message += f"event: problems\n{data}\n"
                    self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return


def make_server(bind: str, port: int, state: ServerState, stop: threading.Event) -> http.server.ThreadingHTTPServer:
    handler = type("BoundDevHandler", (DevHandler,), {"state": state, "stop": stop})
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    server.daemon_threads = True
    return server
