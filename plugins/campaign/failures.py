"""What an error that stops a build is, in one line: the file and line it comes from, and
the fix. Pelican logs an exception that escapes a build with its whole traceback (Rich
prints sixty lines); editors see this line instead, and `pelican --debug` still shows
the traceback to developers.

Nothing here imports Pelican.
"""

from __future__ import annotations

import logging
import os
import traceback

from .problems import log
from .sources import display_path
from .staging import storage_problem

DEBUG_HINT = "run `pelican --debug` (or ask a developer) for the full traceback"


def _where(error: BaseException, project: str) -> str:
    """The innermost place in the project's own files or in a template that the error went through."""
    found = ""
    for frame in traceback.extract_tb(error.__traceback__):
        filename = os.path.abspath(frame.filename)
        own = filename.startswith(project + os.sep) and os.sep + ".venv" + os.sep not in filename
        if own or filename.endswith(".html"):  # (a theme's templates may live elsewhere: pelican -t)
            found = f"{display_path(filename)}:{frame.lineno}"
    return found


def one_line(error: BaseException, project: str, output: str) -> str:
    if isinstance(error, OSError):
        problem = storage_problem(error, output)
        if problem:
            return problem
    try:
        from jinja2 import TemplateSyntaxError
    except ImportError:  # pragma: no cover
        TemplateSyntaxError = ()  # noqa: N806
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, TemplateSyntaxError):
        where = f"{display_path(error.filename or error.name or 'a template')}:{error.lineno}"
        return f"{where}: the template cannot be read ({message}) — correct the template at that line"
    where = _where(error, project)
    prefix = f"{where}: " if where else ""
    if where.split(":")[0].endswith(".html"):
        return f"{prefix}the template failed ({type(error).__name__}: {message}) — correct the template at that line"
    return f"{prefix}the build stopped ({type(error).__name__}: {message}) — {DEBUG_HINT}"


class OneLineErrors(logging.Filter):
    """On Pelican's logger: the error that ends a build is printed as one line on standard
    error, in place of Pelican's log record and its traceback (which Rich also wraps)."""

    def __init__(self, project: str, output: str):
        super().__init__()
        self.project, self.output = project, output

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if (
            record.levelno >= logging.CRITICAL
            and error is not None
            and logging.getLogger("pelican").level != logging.DEBUG
        ):
            log.critical(one_line(error, self.project, self.output))
            return False
        return True
