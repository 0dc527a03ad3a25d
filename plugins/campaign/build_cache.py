"""What builds derive from their inputs, kept between builds under the content that decides it.

Compiling the templates (Jinja), extracting their interface strings again for the catalog
check (Babel, catalogs.cached_template_strings, which `make check` reads too) and converting
Markdown are most of a cold build, and each is a pure function of inputs that can be named:
a template's text, name and file; the Jinja environment's options, extensions, filters and
tests (the compiler looks up how each filter is called); Babel's extraction map; a page's
passages and the Markdown settings; and the versions of Python and the libraries. Each
result is stored under a SHA-256 of all of them, so it is found again only for the very same
inputs: any change makes a new key, and nothing stale can be read (a cache keyed by a
template's name, as Jinja's own is, would rely on a checksum it keeps inside the entry and
on the environment staying the same). Entries are written to a temporary file and renamed,
so builds running at once and forked workers never read half of one; an entry that cannot be
read or written costs time, never the build. The folder (`CAMPAIGN_CACHE`) may be deleted at
any time: the record of what a build read (last_build.py) leaves it out, since the sources
decide all it holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))  # lengths first: ("ab", "c") is not ("a", "bc")
        hasher.update(data)
    return hasher.hexdigest()


def load(folder: Path, name: str) -> bytes | None:
    try:
        return (Path(folder) / name).read_bytes()
    except OSError:
        return None


def store(folder: Path, name: str, data: bytes) -> None:
    folder = Path(folder)
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, folder / name)
        temporary = None
    except OSError:
        pass  # a full disk or a read-only folder: the next build compiles again
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def kept(folder: str | os.PathLike, name: str, compute, encode, decode):
    """compute()'s result: read back with decode(bytes) from the entry `name` if it is there,
    else computed and stored as encode(result). An entry decode refuses (ValueError or
    TypeError: cut short, damaged, not what was asked for) is a miss."""
    data = load(Path(folder), name)
    if data is not None:
        try:
            return decode(data)
        except (ValueError, TypeError):  # UnicodeDecodeError and JSON's errors are ValueErrors
            pass
    result = compute()
    store(Path(folder), name, encode(result))
    return result


def as_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


KEPT_DAYS = 30  # an entry not written again for this long goes (see prune)
KEPT_BYTES = 256 * 1024 * 1024  # beyond this, the entries written longest ago go first
PRUNED_STAMP = ".pruned"  # its time: when the folder was last pruned
PRUNE_EVERY_S = 3600


def prune(folder: str | os.PathLike, now: float | None = None) -> None:
    """Entries written more than KEPT_DAYS ago go (a template or a page edited since leaves
    its old entries behind, and one still in use is only written again by the next build),
    then the oldest while the folder holds more than KEPT_BYTES (builds of many copies of the
    theme, as the tests make, write new templates' entries). Looking at every entry costs a
    build that reads it, so this is done at most once every PRUNE_EVERY_S."""
    now = time.time() if now is None else now
    stamp = Path(folder) / PRUNED_STAMP
    with contextlib.suppress(OSError):
        if 0 <= now - stamp.stat().st_mtime < PRUNE_EVERY_S:
            return
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:  # a folder that cannot be written: nothing can be deleted either
        return
    cutoff = now - KEPT_DAYS * 86400
    kept: list[tuple[float, int, str]] = []
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name == PRUNED_STAMP or not entry.is_file(follow_symlinks=False):
                    continue
                status = entry.stat(follow_symlinks=False)
                if status.st_mtime < cutoff:
                    os.unlink(entry.path)
                else:
                    kept.append((status.st_mtime, status.st_size, entry.path))
    size = sum(entry_size for _, entry_size, _ in kept)
    for _, entry_size, path in sorted(kept):
        if size <= KEPT_BYTES:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
        size -= entry_size


def _named(value) -> str:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


def _calls(functions: dict) -> list[tuple[str, str]]:
    """Each filter or test by name and what the compiler passes it (context, environment...)."""
    return sorted((name, repr(getattr(function, "jinja_pass_arg", None))) for name, function in functions.items())


def environment_key(environment: jinja2.Environment) -> str:
    """Everything about the environment that the compiled code of a template depends on."""
    options = sorted(
        (name, repr(value))
        for name, value in vars(environment).items()
        if name != "bytecode_cache"
        and isinstance(value, bool | int | str | type(None))  # delimiters, trim_blocks, newstyle_gettext, is_async...
    )
    return digest(
        json.dumps(
            {
                "versions": [sys.version, jinja2.__version__],
                "options": options,
                "extensions": sorted(environment.extensions),
                "autoescape": _named(environment.autoescape),
                "finalize": _named(environment.finalize),
                "filters": _calls(environment.filters),
                "tests": _calls(environment.tests),
                "policies": sorted((name, _named(value)) for name, value in environment.policies.items()),
            }
        )
    )


class TemplateBytecode(BytecodeCache):
    """Jinja's compiled templates, under a key of the template's source and the environment."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def get_bucket(self, environment, name, filename, source):
        key = digest("jinja", environment_key(environment), name, filename or "", source)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = load(self.folder, f"template-{bucket.key}")
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)  # Jinja checks its magic (its and Python's version) and checksum
        except Exception:  # an entry cut short or damaged: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        store(self.folder, f"template-{bucket.key}", bucket.bytecode_to_string())


class MarkdownPassages:
    """Python-Markdown's HTML of a page's passages (lifecycle.py's blocks), kept under the
    passages, the Markdown settings, and the code of Markdown and of every package an
    extension comes from. make_markdown() is called only for a page not seen before: a build
    whose pages were all converted before never sets Markdown and its extensions up."""

    def __init__(self, make_markdown, settings: dict, folder: str | os.PathLike):
        self.make_markdown, self.markdown, self.folder = make_markdown, None, Path(folder)
        self.key = markdown_key(settings)

    def convert_all(self, texts: list[str]) -> list[str]:
        def convert() -> list[str]:
            if self.markdown is None:
                self.markdown = self.make_markdown()
            return [self.markdown.reset().convert(text) for text in texts]

        def read(data: bytes) -> list[str]:
            html = json.loads(data)
            if not (isinstance(html, list) and len(html) == len(texts) and all(isinstance(h, str) for h in html)):
                raise ValueError("not this page's passages")
            return html

        return kept(self.folder, f"markdown-{digest(self.key, *texts)}.json", convert, as_json, read)


def markdown_key(settings: dict) -> str:
    """The Markdown settings and the code of Markdown and of every package an extension comes from."""
    return digest(
        "markdown",
        sys.version,
        json.dumps(settings, sort_keys=True, default=repr),  # an extension given as an object: a new key each time
        *_package_code(_extension_packages(settings)),
    )


class ReadPages:
    """What the reader makes of each page file (its HTML and metadata, problems included),
    kept under everything that decides it: the file's bytes and names, and for a generated
    page its source's and the conversion (sources.reading_inputs); the code that reads (this
    plugin, and YAML, typogrify, SmartyPants, MarkupSafe, nh3 and Pelican); the Markdown
    settings and Markdown's code. Reading never looks at the clock or at other files
    (stages/reading.py), so the same inputs read the same. A build whose pages were all
    read before parses no YAML, converts no Markdown and typesets no body."""

    def __init__(self, folder: str | os.PathLike, markdown_settings: dict):
        self.folder, self.markdown_settings, self._key = Path(folder), markdown_settings, ""

    @property
    def key(self) -> str:
        if not self._key:  # on the first page: a build that reads no page hashes no code
            import nh3
            import pelican
            import yaml

            code = _package_code([__package__, "yaml", "typogrify", "smartypants", "markupsafe"])
            versions = [nh3.__version__, pelican.__version__, yaml.__version__, str(yaml.__with_libyaml__)]
            self._key = digest("reading", sys.version, *versions, markdown_key(self.markdown_settings), *code)
        return self._key

    def read(self, inputs: list[str | bytes] | None, compute):
        """compute()'s (html, metadata), or what it gave before for the same inputs; None: inputs
        that could not be read (the file is missing or unreadable), so nothing is kept."""
        if inputs is None:
            return compute()
        return kept(self.folder, f"page-{digest(self.key, *inputs)}.pickle", compute, pickle.dumps, _read_page)


def _read_page(data: bytes) -> tuple[str, dict]:
    try:
        page = pickle.loads(data)
    except Exception as error:  # cut short, damaged, or of a class since renamed
        raise ValueError("not a page the reader made") from error
    if not (isinstance(page, tuple) and len(page) == 2 and isinstance(page[0], str) and isinstance(page[1], dict)):
        raise ValueError("not a page the reader made")
    return page


def _extension_packages(settings: dict) -> list[str]:
    """Markdown itself and the top-level package of every extension the settings name."""
    names = list(settings.get("extensions", [])) + list(settings.get("extension_configs", {}))
    return sorted({"markdown"} | {name.partition(".")[0].partition(":")[0] for name in names if isinstance(name, str)})


def _package_code(packages: list[str]) -> list[str | bytes]:
    """Each package's Python files, by name and bytes, found without importing them."""
    import importlib.util

    parts: list[str | bytes] = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            parts += [package, "not found"]  # Markdown will say so when it loads the extension
            continue
        origin = Path(spec.origin)
        files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
        for file in files:
            parts += [f"{package}:{file.relative_to(origin.parent).as_posix()}", file.read_bytes()]
    return parts
