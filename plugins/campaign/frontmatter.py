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


def _record_lines(node, prefix: str, offset: int, lines: dict[str, int], path: str, problems: list[Problem]) -> None:
    """Each field's line; a field written twice in one place, or a field name with an invisible
    character in it, is a problem (YAML would keep the last value, or a name no one can see is wrong)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            line = key_node.start_mark.line + offset
            if name in lines and name != "":
                problems.append(
                    Problem(
                        path,
                        line,
                        name,
                        f"is written twice, on line {lines[name]} and on line {line} (only the last would count)",
                        "keep one of the two lines and delete the other",
                    )
                )
            hidden = next((char for char in str(key_node.value) if char in _KEY_LOOKALIKES), None)
            if hidden is not None:
                column = key_node.start_mark.column + str(key_node.value).index(hidden) + 1
                what, fix = _KEY_LOOKALIKES[hidden]
                problems.append(Problem(path, line, "", f"column {column}: {what} in the field name", fix))
            lines.setdefault(name, line)
            _record_lines(value_node, name, offset, lines, path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}[{index}]"
            lines.setdefault(name, item.start_mark.line + offset)
            _record_lines(item, name, offset, lines, path, problems)


# Characters pasted from word processors and web pages, or typed by input methods, that
# look like nothing or like something else. Named, with their line and column, and the fix.
_RETYPE_SPACE = "delete it and type an ordinary space"
_INVISIBLE = {
    "\x0b": (
        "an invisible line break from a word processor (U+000B, Word's Shift+Enter)",
        "delete it: type a space, or press Enter if a new line was meant",
    ),
    "\x0c": ("an invisible page break (U+000C)", "delete it"),
    "\u2028": (
        "an invisible line separator (U+2028, pasted from a web page or a word processor)",
        "delete it: type a space, or press Enter if a new line was meant",
    ),
    "\u2029": (
        "an invisible paragraph separator (U+2029, pasted from a web page or a word processor)",
        "delete it: press Enter twice if a new paragraph was meant",
    ),
    "\x85": ("an invisible line break (U+0085)", "delete it: type a space, or press Enter"),
}
_KEY_LOOKALIKES = {
    "\u00a0": ("a non-breaking space (U+00A0, often pasted from a word processor)", _RETYPE_SPACE),
    "\u3000": ("a full-width space (U+3000, typed by a Chinese input method)", _RETYPE_SPACE),
    "\u200b": ("an invisible zero-width space (U+200B)", "delete it"),
    "\u2060": ("an invisible word joiner (U+2060)", "delete it"),
    "\ufeff": ("an invisible byte-order mark (U+FEFF)", "delete it"),
    "：": ("a full-width colon '：' (typed by a Chinese input method)", "type an ordinary colon ':' instead"),
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def control_characters(text: str, path: str, first_line: int = 1, separators: bool = True) -> list[Problem]:
    """Every invisible control character, with its line and column (the first of each line).
    YAML refuses them with a position no editor can find, and XML (the feeds) cannot carry them.
    separators: also U+2028/U+2029, which YAML reads as line breaks (in Markdown they are harmless)."""
    problems = []
    for index, line in enumerate(text.split("\n")):
        for match in _CONTROL.finditer(line):
            char = match.group()
            if char in "\u2028\u2029" and not separators:
                continue
            what, fix = _INVISIBLE.get(
                char, (f"an invisible control character (U+{ord(char):04X})", "delete it (retype the text around it)")
            )
            problems.append(Problem(path, first_line + index, "", f"column {match.start() + 1}: {what}", fix))
            break
    return problems


def _anchors(text: str, path: str, first_line: int) -> list[Problem]:
    """YAML anchors (&name) and aliases (*name): no editor needs them, and nested aliases make
    a few lines expand to gigabytes (a 'billion laughs'), or refer to themselves for ever.
    Found in YAML's tokens, before anything is built from them."""
    problems = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
            problems.append(
                Problem(
                    path,
                    first_line + token.start_mark.line,
                    "",
                    f"'{sign}{token.value}' is a YAML {'anchor' if sign == '&' else 'alias'}, which this site does not read",
                    "write the value out in full (if '&' or '*' is part of the text, put the value in quotes)",
                )
            )
    return problems


# What a value looks like when its mistake is one YAML reports a line or more further down.
_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*：")
_SPACE_LOOKALIKE = re.compile(
    r"^[ \u00a0\u3000]*(?:-[ \u00a0\u3000]+)?[A-Za-z_][\w-]*[ \u00a0\u3000]*:?[ \u00a0\u3000]?"
)
_CURLY_OPENING = re.compile(r"^\s*(?:-\s+|[A-Za-z_][\w-]*:\s+)(?P<quote>[“”‘’„«»「『])")
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+|[A-Za-z_][\w-]*:\s+)(?=[\"'])")


def _lookalike(line: str) -> tuple[int, str, str] | None:
    """(column, what is wrong, fix) for a line whose mistake YAML cannot name."""
    indent = line[: len(line) - len(line.lstrip())]
    if "\t" in indent:
        return (
            indent.index("\t") + 1,
            "a tab indents this line, and YAML takes only spaces as indentation",
            "replace the tab with spaces, as many as the lines around it use",
        )
    match = _FULL_WIDTH_COLON.match(line)
    if match:
        return (
            line.index("：") + 1,
            f"a full-width colon '：' after '{match['key']}' (typed by a Chinese input method)",
            f"type an ordinary colon and a space instead: {match['key']}: ...",
        )
    match = _SPACE_LOOKALIKE.match(line)
    if match:
        for char in ("\u00a0", "\u3000"):
            if char in match.group():
                what = _KEY_LOOKALIKES[char][0]
                return match.group().index(char) + 1, f"{what} where YAML needs an ordinary space", _RETYPE_SPACE
    match = _CURLY_OPENING.match(line)
    if match:
        return (
            match.start("quote") + 1,
            f"the value starts with a curly quote {match['quote']}, which YAML does not take as a quote",
            'put the whole value in straight quotes "..." (curly quotes inside them are fine)',
        )
    match = _QUOTED_VALUE.match(line)
    if match:
        value = line[match.end() :]
        closed = _CLOSED[value[0]].match(value)
        rest = value[closed.end() :].strip() if closed else ""
        if closed and rest and not rest.startswith("#"):
            other = "single" if value[0] == '"' else "double"
            return (
                match.end() + closed.end(),
                f"the value's quotes end here, before the end of the line: a {value[0]} inside a value in {value[0]}...{value[0]} ends it",
                f"write the quotes inside the value as curly quotes “...” (or put the value in {other} quotes)",
            )
    return None


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
    lines: dict[str, int] = {"": first_line}
    problems = control_characters(text, path, first_line)
    if problems:  # YAML would stop at the first, with a position in characters
        return {}, lines, problems
    loader = None
    try:
        problems = _anchors(text, path, first_line)
        if problems:
            return {}, lines, problems
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return {}, lines, []
        _record_lines(node, "", first_line, lines, path, problems)
        if problems:
            return {}, lines, problems
        return loader.construct_document(node), lines, []
    except yaml.MarkedYAMLError as error:
        return {}, lines, [_yaml_error(error, text, path, first_line)]
    except yaml.YAMLError as error:
        return (
            {},
            lines,
            [Problem(path, first_line, "", f"the YAML cannot be read ({error})", "check the file's syntax")],
        )
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_error(error: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    """YAML reports where it gave up, often a line or more below the mistake: the mistake's
    own line when it can be found (a look-alike character, a quote), else YAML's."""
    mark = error.problem_mark or error.context_mark
    at = mark.line if mark else 0
    what = (error.problem or error.context or "unreadable").strip()
    source = text.split("\n")
    for index in range(min(at, len(source) - 1), max(-1, at - 3), -1):  # the line, and the two above it
        found = _lookalike(source[index])
        if found:
            column, message, fix = found
            return Problem(path, first_line + index, "", f"column {column}: {message}", fix)
    opened = unclosed_quote(text, at)
    if opened is not None:
        return Problem(
            path,
            first_line + opened,
            "",
            "a quote opens on this line and is never closed",
            "end the value with the same quote mark it starts with, on the same line",
        )
    return Problem(
        path,
        first_line + at,
        "",
        f"the YAML cannot be read ({what})",
        "check the indentation and put quotes around any value that contains ': ' or starts with a special character",
    )


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
