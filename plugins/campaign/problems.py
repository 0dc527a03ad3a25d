"""Editor-facing problems: one line each, naming the file, the field and the fix.

A build says them through `log`, a child of Pelican's logger: Pelican's -q, -v and --debug
govern them like its own messages (a problem that stops the build is CRITICAL, so -q still
shows it; warnings and the translation status are WARNING). Its handler writes each
message as it is, to stderr, so a line keeps the `file:line: field: what — fix` shape
(Pelican's own handler would add a time and a level and wrap long lines). Commands an
editor runs (`make check`, `make new`) print their output: it is what they are for.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass


class _Stderr(logging.StreamHandler):
    """Writes to sys.stderr as it is when a message is logged (a test may have replaced it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


log = logging.getLogger("pelican.campaign")
log.propagate = False  # not to Pelican's handler: the line stays as written
log.addHandler(_Stderr())


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message} — {self.fix}"


def report(problems: list[Problem]) -> str:
    lines = [str(p) for p in sorted(set(problems))]
    count = len(lines)
    noun = "problem" if count == 1 else "problems"
    lines.append(f"{count} {noun} found; the site was not built. Fix the lines above and build again.")
    return "\n".join(lines)
