"""Editor-facing problems: one line each, naming the file, the field and the fix."""

from __future__ import annotations

from dataclasses import dataclass


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
