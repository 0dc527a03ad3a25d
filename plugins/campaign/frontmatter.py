"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Dates are kept as the strings the editor wrote: validation parses them itself, so
an impossible date (2024-02-30) is reported against its field, not as a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

FENCE = "---"


@dataclass
class Parsed:
    data: dict
    body: str
    lines: dict[str, int] = field(default_factory=dict)  # "targets[0].email" -> line in file
    body_line: int = 1  # the file's line where the body starts

    def line(self, key: str) -> int:
        return nearest_line(self.lines, key)


def nearest_line(lines: dict[str, int], key: str) -> int:
    """The line of a key such as targets[0].email, or of its nearest written parent, or of the start."""
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0] if "." in key else key.rpartition("[")[0]
    return lines.get("", 1)


def _record_lines(node, prefix: str, offset: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines.setdefault(name, key_node.start_mark.line + offset)
            _record_lines(value_node, name, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}[{index}]"
            lines.setdefault(name, item.start_mark.line + offset)
            _record_lines(item, name, offset, lines)


# A value that opens a quote (`key: "...` or `- "...`), and a quoted value closed on its line.
_OPENS_QUOTE = re.compile(r"""^\s*(?:-\s+|[^\s#"'][^:#]*:\s+)(?P<quote>["'])""")
_CLOSED = {'"': re.compile(r'^"(?:[^"\\]|\\.)*"'), "'": re.compile(r"^'(?:[^']|'')*'")}


def unclosed_quote(text: str, before: int) -> int | None:
    """The 0-based index of the first line, up to line `before`, whose value opens a quote
    that the line does not close. YAML then reads on into the next lines and reports its
    error where it gives up, often many lines below the missing quote."""
    for index, line in enumerate(text.split("\n")[: before + 1]):
        match = _OPENS_QUOTE.match(line)
        if match and not _CLOSED[match["quote"]].match(line[match.start("quote") :]):
            return index
    return None


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[object, dict[str, int], list[Problem]]:
    """Parse YAML; return (data, field lines, problems). first_line: where text starts in the file."""
    loader = _Loader(text)
    lines: dict[str, int] = {"": first_line}
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, lines, []
        _record_lines(node, "", first_line, lines)
        return loader.construct_document(node), lines, []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        what = (error.problem or error.context or "unreadable").strip()
        opened = unclosed_quote(text, mark.line if mark else 0)
        if opened is not None:
            return (
                {},
                lines,
                [
                    Problem(
                        path,
                        first_line + opened,
                        "",
                        "a quote opens on this line and is never closed",
                        "end the value with the same quote mark it starts with, on the same line",
                    )
                ],
            )
        return (
            {},
            lines,
            [
                Problem(
                    path,
                    line,
                    "",
                    f"the YAML cannot be read ({what})",
                    "check the indentation and put quotes around any value that contains ': ' or starts with a special character",
                )
            ],
        )
    except yaml.YAMLError as error:
        return (
            {},
            lines,
            [Problem(path, first_line, "", f"the YAML cannot be read ({error})", "check the file's syntax")],
        )
    finally:
        loader.dispose()


def parse(text: str, path: str) -> tuple[Parsed, list[Problem]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return Parsed({}, text), [
            Problem(
                path,
                1,
                "",
                "the file does not start with front matter",
                "make the first line '---', then the fields, then another '---'",
            )
        ]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        return Parsed({}, text), [
            Problem(path, 1, "", "the front matter is never closed", "add a line '---' after the last field")
        ]
    data, field_lines, problems = load_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not problems and not isinstance(data, dict):
        problems = [
            Problem(
                path,
                2,
                "",
                "the front matter is not a list of 'field: value' lines",
                "write one 'field: value' per line",
            )
        ]
        data = {}
    body = "\n".join(lines[end + 1 :])
    return Parsed(data, body, field_lines, body_line=end + 2), problems
