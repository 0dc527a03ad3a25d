"""`make html`'s first step: is the output already what a build would write?

    PYTHONPATH=plugins python -m campaign.up_to_date --settings pelicanconf.py --content content --output output

Exits 0 and says so if nothing the last build read or wrote has changed since
(last_build.py compares every file's bytes, the folders it listed, where its modules
come from, the settings, the day, Python, the environment and every output file);
else says what changed and exits 1, and make runs Pelican. Any doubt is a change.

This is the one module outside stages/ that imports Pelican: the settings are read with
Pelican's public `pelican.settings.read_settings` (that module alone, not the engine),
with the overrides `pelican` makes of the Makefile's arguments (PATH, OUTPUT_PATH, DEBUG),
so they are the settings a build would use, defaults and all; it is imported only once
everything else matched.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

from .config import BUILD_STATE
from .deadlines import build_day
from .last_build import check, settings_digest
from .staging import record_path


def read_settings(settings_file: str, content: str, output: str):
    pelican_read_settings = _settings_module().read_settings
    overrides = {"PATH": os.path.abspath(content), "OUTPUT_PATH": os.path.abspath(output), "DEBUG": False}
    settings = pelican_read_settings(settings_file, override=overrides)
    plugins = {plugin for plugin in settings.get("PLUGINS") or [] if isinstance(plugin, str)}
    return settings_digest(settings, BUILD_STATE), plugins, settings.get("PLUGIN_PATHS") or []


def _settings_module():
    """pelican.settings without the rest of Pelican: the package's __init__ imports the whole
    engine (generators, readers, docutils; about 0.1 s), which reading settings does not use.
    Only `python -m campaign.up_to_date` (make html) comes here, a process that runs no build;
    where Pelican was imported already, that one is used."""
    if "pelican" not in sys.modules:
        spec = importlib.util.find_spec("pelican")
        if spec is not None and spec.submodule_search_locations is not None:
            sys.modules["pelican"] = importlib.util.module_from_spec(spec)  # not executed: a namespace
    from pelican import settings

    return settings


def changed(settings_file: str, content: str, output: str) -> str | None:
    try:
        day = build_day(os.environ).isoformat()
        settings = lambda: read_settings(settings_file, content, output)  # noqa: E731
        return check(record_path(output), output, day, os.environ, settings)
    except Exception as error:  # any doubt (a bad SOURCE_DATE_EPOCH, settings that fail): build
        return f"the last build could not be compared ({type(error).__name__}: {error})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", required=True)
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    reason = changed(args.settings, args.content, args.output)
    relative = os.path.relpath(args.output)
    shown = (args.output if relative.startswith("..") else relative).rstrip("/") + "/"
    if reason is None:
        print(f"Nothing changed since the last build; {shown} is up to date.")
        return 0
    print(f"Building {shown}: {reason}.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
