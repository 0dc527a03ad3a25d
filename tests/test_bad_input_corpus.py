"""No traceback ever reaches an editor (issue 17): a corpus of bad inputs, each fed to
`make check` (campaign.check, in this process) and to the build (Pelican, in a process of
its own), into one prepared copy of the site whose output holds the last good build.

For each input: either both refuse it (non-zero exit, the file and the line named, no
Traceback, the last output byte-identical), or both accept it and the build is correct.
The inputs are the reviews' (reliability-2.md, editor-trial.md) and more of the same
kind: text pasted from a word processor, a translator's edits to a .po file, a hurried
edit in GitHub's web editor.

Builds run in a child forked from this process once Pelican is imported (a build costs
its work, not Python's start-up); where fork is missing, in a new process.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign.languages import LANGUAGES
from campaign.sources import display_path
from conftest import CONTENT, DEFAULT_CLOCK, ROOT, epoch, settings_file, tree

UA, UA_NL, UA_ZH = "pages/urgent-action.en.md", "pages/urgent-action.nl.md", "pages/urgent-action.zh.md"
PR, PR_NL, PR_ZH = "pages/press-release.en.md", "pages/press-release.nl.md", "pages/press-release.zh.md"
TIMELINE = "timeline.yaml"
PO_NL, PO_ZH = "translations/nl/LC_MESSAGES/messages.po", "translations/zh/LC_MESSAGES/messages.po"
DELETE = object()


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the corpus needs updating: {old!r} is not in the file"
        return text.replace(old, new, count)

    return edit


def regex(pattern: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        changed = re.sub(pattern, new, text, count=1, flags=re.M)
        assert changed != text, f"the corpus needs updating: {pattern!r} matches nothing"
        return changed

    return edit


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def as_bytes(function: Callable[[str], bytes]):
    function.binary = True
    return function


@dataclass
class Case:
    name: str
    edits: dict  # file (relative to the site copy) -> edit(text) -> text, DELETE, or ("symlink", target)
    where: tuple[str, str | None] | None = None  # (file, text on the line to be named) if refused; None: built
    says: str = ""  # words the message must have
    column: int | None = None

    @property
    def refused(self) -> bool:
        return self.where is not None


def same_in_all(edit) -> dict:
    return {UA: edit, UA_NL: edit, UA_ZH: edit}


CASES = [
    # --- the reviews' cases -----------------------------------------------------------
    Case(
        "deadline written day-first",
        {UA: regex(r"^deadline: .*$", "deadline: 31-01-2027")},
        (UA, "deadline:"),
        "YYYY-MM-DD",
    ),
    Case(
        "impossible date",
        {UA_NL: regex(r"^deadline: .*$", "deadline: 2027-02-30")},
        (UA_NL, "deadline:"),
        "not a real day",
    ),
    Case(
        "deadline in the year 9999 (N7)",
        same_in_all(regex(r"^deadline: .*$", "deadline: 9999-12-31")),
        (UA, "deadline:"),
        "1900 to 2100",
    ),
    Case("misspelt field", {UA: replace("salutation:", "salutaion:")}, (UA, "salutaion:"), "not a field"),
    Case(
        "e-mail with a space",
        {UA: replace("email: chinaembpress_us@", "email: chinaembpress_us @")},
        (UA, "email:"),
        "e-mail",
    ),
    Case(
        "straight quotes inside a quoted value (M4)",
        {UA: replace("summary: \"Amnesty International's", 'summary: "Amnesty "International\'s"')},
        (UA, "summary:"),
        "curly quotes",
    ),
    Case(
        "Word's soft line break in the subject (M5)",
        {UA: replace('subject: "Release Huang', 'subject: "Release\x0bHuang')},
        (UA, "subject:"),
        "U+000B",
        column=20,
    ),
    Case(
        "Word's soft line break in the body (N5)",
        {PR: append("\nPasted from Word:\x0bsecond line\n")},
        (PR, "Pasted from Word"),
        "U+000B",
    ),
    Case(
        "line separator in a title", {PR_NL: regex(r'^title: "', 'title: "Let op\u2028')}, (PR_NL, "title:"), "U+2028"
    ),
    Case(
        "non-breaking space after a colon",
        {UA: replace('reference: "', 'reference:\u00a0"')},
        (UA, "reference:"),
        "U+00A0",
    ),
    Case(
        "non-breaking spaces as indentation",
        {UA: replace("    title: Chief Procurator", "  \u00a0 title: Chief Procurator")},
        (UA, "title: Chief Procurator"),
        "U+00A0",
    ),
    Case(
        "non-breaking space in a field name",
        {UA: replace("reference: ", "reference\u00a0: ")},
        (UA, "reference"),
        "U+00A0",
    ),
    Case(
        "full-width colon from a Chinese input method (M10)",
        {
            UA_ZH: replace(
                "    role: target\n    priority: 2\n", '    role: target\n    priority: 2\n    reason： "先写信"\n'
            )
        },
        (UA_ZH, "reason："),
        "full-width colon",
    ),
    Case(
        "curly quotes used as YAML quotes",
        {UA: regex(r"^reference: .*$", "reference: “Second: Urgent Action 44.22”")},
        (UA, "reference:"),
        "curly quote",
    ),
    Case("tab indenting a field", {UA: replace("    salutation: ", "\tsalutation: ")}, (UA, "salutation:"), "a tab"),
    Case(
        "unquoted value with ': ' (M8)",
        {UA_NL: regex(r"^  subject: .*$", "  subject: Eerst naar de minister: zij kan het")},
        (UA_NL, "subject:"),
        "quotes",
    ),
    Case(
        "quote never closed", {UA: regex(r'^reference: "(.*)"$', r'reference: "\1')}, (UA, "reference:"), "never closed"
    ),
    Case(
        "nested YAML aliases (N4)",
        {
            UA: replace(
                "targets:\n",
                "lang_x: &a [x, x, x, x, x, x, x, x, x]\nlang_y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nlang_z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntargets:\n",
            )
        },
        (UA, "lang_x:"),
        "anchor",
    ),
    Case(
        "self-referencing alias (N4)", {PR: replace("lang: en\n", "lang: en\nrec: &r [*r]\n")}, (PR, "rec:"), "anchor"
    ),
    Case(
        "title written twice (N10)",
        {PR: replace("lang: en\n", 'lang: en\ntitle: "A newer title"\n')},
        (PR, "A newer title"),
        "twice",
    ),
    Case(
        "deadline written twice",
        {UA: replace("reference:", "deadline: 2025-03-20\nreference:")},
        (UA, "2025-03-20"),
        "twice",
    ),
    Case(
        "one translation's deadline differs (M7)",
        {UA_NL: regex(r"^deadline: .*$", "deadline: 2025-03-17")},
        (UA_NL, "deadline:"),
        "same deadline",
    ),
    Case(
        "slug equal to a language folder (N6)",
        {
            PR: replace("slug: press-release", "slug: nl"),
            PR_NL: replace("slug: press-release", "slug: nl"),
            PR_ZH: replace("slug: press-release", "slug: nl"),
        },
        (PR, "slug:"),
        "Dutch pages",
    ),
    Case(
        "slug equal to the theme folder (N6)",
        {
            PR: replace("slug: press-release", "slug: theme"),
            PR_NL: replace("slug: press-release", "slug: theme"),
            PR_ZH: replace("slug: press-release", "slug: theme"),
        },
        (PR, "slug:"),
        "stylesheets",
    ),
    Case(
        "slug climbing out of the site",
        {PR: replace("slug: press-release", "slug: ../../x")},
        (PR, "slug:"),
        "not a valid slug",
    ),
    Case("front matter never closed", {PR: regex(r"^---\n\n", "\n")}, (PR, None), "never closed"),
    Case("no front matter at all", {PR: regex(r"\A---\n", "")}, (PR, None), "front matter"),
    Case(
        "file saved as Latin-1",
        {PR_NL: as_bytes(lambda text: text.replace('title: "', 'title: "Café ', 1).encode("latin-1", "replace"))},
        (PR_NL, "title:"),
        "UTF-8",
    ),
    Case("empty file", {PR_ZH: lambda text: ""}, (PR_ZH, None), "front matter"),
    Case(
        "language in the file differs from its name",
        {PR_NL: replace("lang: nl", "lang: zh")},
        (PR_NL, "lang:"),
        "file name",
    ),
    Case("unknown kind", {PR: replace("kind: press", "kind: blog")}, (PR, "kind:"), "kind of page"),
    Case("title read as yes/no", {PR: regex(r"^title: .*$", "title: yes")}, (PR, "title:"), "yes/no"),
    Case("title read as a number", {PR: regex(r"^title: .*$", "title: 2024")}, (PR, "title:"), "number"),
    Case(
        "TODO left in",
        {PR: regex(r"^summary: .*$", 'summary: "TODO write the summary"')},
        (PR, "summary:"),
        "placeholder",
    ),
    Case(
        "'::: open' indented in a list (N8)",
        {UA: append("\n- item\n  ::: open\n  Write today!\n  :::\n")},
        (UA, "  ::: open"),
        "indented",
    ),
    Case("':::' closing nothing", {PR: append("\n:::\n")}, (PR, ":::"), "never opened"),
    Case("'::: open' never closed", {UA: append("\n::: open\nWrite today!\n")}, (UA, "LAST:::: open"), "never closed"),
    Case("<script> in the body", {PR: append("\n<script>alert(1)</script>\n")}, (PR, "<script>"), "script"),
    Case(
        "javascript: link", {PR: append('\n<a href="javascript:alert(1)">x</a>\n')}, (PR, "javascript:"), "javascript"
    ),
    Case(
        "image from another host",
        {PR: append('\n<img src="https://evil.example/p.gif">\n')},
        (PR, "evil.example"),
        "another site",
    ),
    Case(
        "control character before a URL (N12)",
        {PR: append('\n<a href="\x01javascript:alert(1)">x</a>\n')},
        (PR, "javascript:"),
        "",
    ),
    Case(
        "meta refresh in the body",
        {PR: append('\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n')},
        (PR, "<meta"),
        "meta",
    ),
    Case(
        "link to a page file that does not exist",
        {PR: append("\n[see]({filename}missing.en.md)\n")},
        (PR, "missing.en.md"),
        "does not exist",
    ),
    # --- a hurried editor on GitHub's web editor ---------------------------------------
    Case(
        "page saved without .md",
        {"pages/new-page.en.txt": lambda text: "---\ntitle: x\n---\n"},
        ("pages/new-page.en.txt", None),
        "not part of the site",
    ),
    Case(
        "a language deleted 'to do later' (M11)",
        {UA_ZH: DELETE},
        ("pages/urgent-action.zh.md", None),
        f"no {LANGUAGES['zh'].name} version",
    ),
    Case(
        "dangling symbolic link (N13)",
        {"pages/ghost.en.md": ("symlink", "nowhere.md")},
        ("pages/ghost.en.md", None),
        "cannot be read",
    ),
    Case(
        "a copy keeps the slug",
        {"pages/press-release-copy.en.md": lambda text: (CONTENT / PR).read_text(encoding="utf-8")},
        ("pages/press-release-copy.en.md", None),
        "also used by",
    ),
    Case("the date line deleted", {PR: regex(r"^date: .*\n", "")}, (PR, None), "date"),
    Case("a field indented by one space", {PR: replace("\nkind: press", "\n kind: press")}, (PR, "kind:"), "YAML"),
    Case(
        "a heading pasted above the front matter",
        {PR: lambda text: "# Press release\n" + text},
        (PR, None),
        "front matter",
    ),
    Case(
        "an address line with ': ' unquoted",
        {UA: replace('      - "No. 66, Huangpu Dadao Xi"', "      - Attn: Chief Procurator")},
        (UA, None),
        "should be a list of text lines",
    ),
    Case(
        "subject with a line break in quotes",
        {UA: replace('subject: "Release Huang', 'subject: "Release\\nHuang')},
        (UA, "subject:"),
        "line break",
    ),
    # --- the timeline -------------------------------------------------------------------
    Case(
        "timeline date written as text",
        {TIMELINE: replace("date: 2019-10", "date: October 2019")},
        (TIMELINE, "October 2019"),
        "date",
    ),
    Case(
        "timeline event without Chinese",
        {TIMELINE: regex(r'^      zh: "黄雪琴在撰文.*\n', "")},
        (TIMELINE, None),
        "Chinese",
    ),
    Case(
        "timeline alias", {TIMELINE: replace("events:\n", "shared: &s x\nevents:\n")}, (TIMELINE, "shared:"), "anchor"
    ),
    Case(
        "timeline soft line break",
        {TIMELINE: replace("is detained after", "is detained\x0bafter")},
        (TIMELINE, "is detained"),
        "U+000B",
    ),
    Case(
        "timeline key twice",
        {TIMELINE: replace("    end: 2020-01\n", "    end: 2020-01\n    end: 2020-02\n")},
        (TIMELINE, "2020-02"),
        "twice",
    ),
    # --- a translator's .po edits -------------------------------------------------------
    Case(
        "msgstr missing its closing quote",
        {PO_NL: replace('msgstr "Direct naar de inhoud"', 'msgstr "Direct naar de inhoud')},
        (PO_NL, "Direct naar de inhoud"),
        "cannot be read",
    ),
    Case(
        "quotes inside a msgstr",
        {PO_NL: replace('msgstr "Direct naar de inhoud"', 'msgstr "Direct naar de "inhoud""')},
        (PO_NL, "Direct naar de"),
        "cannot be read",
    ),
    Case(
        "markup in a msgstr",
        {PO_NL: replace('msgstr "Direct naar de inhoud"', 'msgstr "Direct naar de <script>inhoud</script>"')},
        (PO_NL, 'msgid "Skip to main content"'),
        "markup",
    ),
    Case(
        "placeholder translated",
        {PO_ZH: replace("今天（%(today)s）", "今天（%(jintian)s）")},
        (PO_ZH, 'msgid "Today, %(today)s'),
        "placeholder",
    ),
    Case(
        "catalog declares Latin-1 (N11)",
        {PO_NL: regex(r"charset=[\w-]+", "charset=latin-1")},
        (PO_NL, "charset="),
        "charset",
    ),
    Case(
        "msgid written twice (N11)",
        {PO_NL: append('\nmsgid "Skip to main content"\nmsgstr "Sla over"\n')},
        (PO_NL, 'LAST:msgid "Skip to main content"'),
        "twice",
    ),
    Case(
        "a Latin-1 letter in a UTF-8 catalog",
        {PO_NL: as_bytes(lambda text: text.encode("utf-8").replace(b'de inhoud"', b'de inhoud \xeb"', 1))},
        (PO_NL, "Direct naar de inhoud"),
        "UTF-8",
    ),
    # --- accepted: harmless or handled, and built correctly -----------------------------
    Case("byte-order mark (Notepad)", {PR: as_bytes(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"))}),
    Case("Windows line endings", {PR_NL: as_bytes(lambda text: text.replace("\n", "\r\n").encode("utf-8"))}),
    Case("spaces after the front matter's ---", {PR: regex(r"^---$", "---   ")}),
    Case(
        "curly quotes inside a quoted value", {PR: replace('summary: "On the eve', 'summary: "“Baseless”: on the eve')}
    ),
    Case(
        "non-breaking space inside a value",
        {PR: replace("Amnesty International and", "Amnesty\u00a0International and")},
    ),
    Case("full-width colon inside a Chinese value", {UA_ZH: replace('subject: "请立即', 'subject: "事由：请立即')}),
    Case(
        "'~~~' inside a ``` fence, then an ended block (N8)",
        {PR: append("\n```\ncode\n~~~\n```\n\n::: ended urgent-action\nThe trial is over.\n:::\n")},
    ),
    Case(
        "a fuzzy translation",
        {PO_NL: replace('msgid "Skip to main content"', '#, fuzzy\nmsgid "Skip to main content"')},
    ),
    Case("an empty translation", {PO_NL: replace('msgstr "Direct naar de inhoud"', 'msgstr ""')}),
    Case(
        "a subject pasted over two lines inside quotes (M5b)",
        {UA: replace('subject: "Release Huang', 'subject: "Release\n    Huang')},
    ),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One copy of the site (content, catalogs, settings pointing at them), built once."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(ROOT / "translations", root / "translations", ignore=shutil.ignore_patterns("*.mo"))
    settings = settings_file(root / "settings.py", CAMPAIGN_TRANSLATIONS=root / "translations")
    with pytest.MonkeyPatch.context() as environment:  # the in-process checks read the clock too
        environment.setenv("SOURCE_DATE_EPOCH", epoch(DEFAULT_CLOCK))
        code, out, err = build(root, settings)
        assert code == 0, out + err
        yield root, settings


def build(root: Path, settings: Path) -> tuple[int, str, str]:
    argv = [str(root / "content"), "-o", str(root / "output"), "-s", str(settings)]
    env = {"SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)}
    if not hasattr(os, "fork"):
        result = subprocess.run(
            [sys.executable, "-m", "pelican", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, **env},
            timeout=300,
        )
        return result.returncode, result.stdout, result.stderr
    import build_server  # Pelican imported once, here; each build is a child of this process

    out_file, err_file = root / "build.out", root / "build.err"
    pid = os.fork()
    if pid == 0:  # the child: a build, then its exit status; nothing of the parent's runs on exit
        code = 70
        try:
            code = build_server.build_here(argv, {**os.environ, **env}, str(ROOT), str(out_file), str(err_file))
        except BaseException:  # noqa: BLE001 - shown to the test as a traceback in the build's errors
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return (
        os.waitstatus_to_exitcode(status),
        out_file.read_text(encoding="utf-8", errors="replace"),
        err_file.read_text(encoding="utf-8", errors="replace"),
    )


def check(root: Path, settings: Path) -> tuple[int, str]:
    from campaign.check import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            code = main(
                [str(root / "content"), "--settings", str(settings), "--translations", str(root / "translations")]
            )
        except SystemExit as stop:  # argparse
            code = stop.code
        except Exception:  # noqa: BLE001 - a traceback is what the test refuses
            import traceback

            traceback.print_exc(file=buffer)
            code = 70
    return code, buffer.getvalue()


def apply(root: Path, case: Case) -> dict[Path, bytes | None]:
    """Make the case's edits; return what to restore."""
    saved: dict[Path, bytes | None] = {}
    for relative, edit in case.edits.items():
        path = root / relative if relative.startswith("translations/") else root / "content" / relative
        saved[path] = path.read_bytes() if path.exists() or path.is_symlink() else None
        if edit is DELETE:
            path.unlink()
        elif isinstance(edit, tuple):
            path.symlink_to(edit[1])
        elif getattr(edit, "binary", False):
            path.write_bytes(edit(saved[path].decode("utf-8") if saved[path] is not None else ""))
        else:
            path.write_text(edit(saved[path].decode("utf-8") if saved[path] is not None else ""), encoding="utf-8")
    return saved


def restore(saved: dict[Path, bytes | None]) -> None:
    for path, data in saved.items():
        if path.is_symlink() or path.exists():
            path.unlink()
        if data is not None:
            path.write_bytes(data)


def expected_place(root: Path, case: Case) -> tuple[str, int | None]:
    relative, marker = case.where
    path = root / relative if relative.startswith("translations/") else root / "content" / relative
    shown = display_path(path)
    if marker is None:
        return shown, None
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    found = [index + 1 for index, line in enumerate(lines) if marker.removeprefix("LAST:") in line]
    return shown, (found[-1] if marker.startswith("LAST:") else found[0]) if found else -1


def test_every_bad_input_is_refused_clearly_and_every_harmless_one_builds(site):
    root, settings = site
    figures = {"tried": 0, "refused clearly": 0, "built correctly": 0}
    failures = []
    for case in CASES:
        figures["tried"] += 1
        before = tree(root / "output")
        saved = apply(root, case)
        try:
            check_code, check_out = check(root, settings)
            build_code, build_out, build_err = build(root, settings)
            everything = check_out + build_out + build_err
            problems = []
            if "Traceback" in everything:
                problems.append("a Traceback")
            if case.refused:
                shown, line = expected_place(root, case)
                named = f"{shown}:{line}:" if line else shown
                if check_code == 0:
                    problems.append("make check passed")
                if build_code == 0:
                    problems.append("the build passed")
                if named not in check_out:
                    problems.append(f"make check does not name {named}")
                if named not in build_err:
                    problems.append(f"the build does not name {named}")
                if case.says and case.says not in check_out:
                    problems.append(f"make check does not say {case.says!r}")
                if case.column and f"{named} column {case.column}:" not in check_out:
                    problems.append(f"make check does not give column {case.column}")
                if tree(root / "output") != before:
                    problems.append("the last output changed")
            else:
                if check_code != 0:
                    problems.append("make check refused it")
                if build_code != 0:
                    problems.append("the build refused it")
                if any(":::" in path.read_text(encoding="utf-8") for path in (root / "output").rglob("*.html")):
                    problems.append("a literal ':::' reached a page")
            if problems:
                failures.append(f"{case.name}: {', '.join(problems)}\n{everything[-1500:]}")
            else:
                figures["refused clearly" if case.refused else "built correctly"] += 1
        finally:
            restore(saved)
    print(f"\nbad-input corpus: {figures}")
    assert not failures, "\n\n".join(failures)
    assert figures["tried"] == len(CASES) >= 70
    assert not [p for p in root.iterdir() if ".building-" in p.name]
