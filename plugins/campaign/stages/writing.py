"""Writing: the templates get gettext and the site's filters, and each build writes a folder
of its own that replaces the output only if the build succeeds (staging.py), with a
record of what it read and wrote (last_build.py) (stages/__init__.py)."""

from __future__ import annotations

import atexit
import os
import sys
import time
from pathlib import Path

from .. import last_build, staging, stylesheets, templating, traditional
from ..case import case_from
from ..config import BUILD_STATE, BuildState, apply_defaults, setting
from ..i18n import load_translations, read_catalogs
from ..sources import display_path
from .site_model import CampaignGenerator

_recorder: last_build.Recorder | None = None


def build_aside(pelican):
    """The build writes a new folder beside the output, removed if the build fails; from
    now on, every file it reads goes into the record of the build (the audit hook cannot
    be removed: one per process, idle once the build is over)."""
    global _recorder
    output = pelican.output_path
    if _recorder is None:
        _recorder = last_build.Recorder(output)
        sys.addaudithook(_recorder.event)
        _recorder.settings = last_build.settings_digest(pelican.settings, BUILD_STATE)
        _recorder.start()
    else:  # settings read again under `pelican --autoreload`: what it read is no longer known
        _recorder.builds += 1
    apply_defaults(pelican.settings)  # after the digest: `make html`'s check reads the settings as written
    staging.remove_leftovers(output)
    stage = staging.stage_path(output)
    pelican.output_path = str(stage)  # what Pelican.run hands to every generator and the writer
    pelican.settings[BUILD_STATE] = BuildState(output=output)
    atexit.register(staging.discard, stage)  # a build that stops on a problem, or crashes


def start_build(pelican):
    """Sent as each build starts (`pelican --autoreload` builds again and again): an empty
    folder, and a new state for the stages to share."""
    staging.discard(pelican.output_path)
    _recorder.builds += 1  # only a process's first build knows all it read
    pelican.settings[BUILD_STATE] = BuildState(output=pelican.settings[BUILD_STATE].output, started_ns=time.time_ns())
    return CampaignGenerator


def install_templating(generator):
    state = generator.settings[BUILD_STATE]
    if not state.translations:
        # Read once per build: the site model checks the very bytes the pages are translated with.
        folder = Path(setting(generator.settings, "CAMPAIGN_TRANSLATIONS"))
        state.conversions = traditional.load(folder, display_path)  # before any file is read: pages use them too
        state.catalogs = read_catalogs(folder, state.conversions)
        state.translations = load_translations(folder, state.catalogs)
    templating.install(generator.env, state.translations)
    converters = {code: conversion.convert for code, conversion in state.conversions.items()}
    generator.env.globals["case"] = case_from(setting(generator.settings, "CAMPAIGN_CASE"), converters)  # case.py


def swap_in(pelican):
    """The build succeeded and its last file is written: the stylesheets lose their comments
    (stylesheets.py), and the folder becomes the output."""
    stylesheets.strip_folder(Path(pelican.output_path) / pelican.settings["THEME_STATIC_DIR"])
    state = pelican.settings[BUILD_STATE]
    inputs = _recorder.stop()
    record = None
    if _recorder.builds == 1:
        output_files = last_build.manifest(pelican.output_path)
        record = last_build.record(inputs, _recorder.settings, state.day.isoformat(), os.environ, output_files)
    if not staging.publish(pelican.output_path, state.output, state.started_ns, record):
        shown = display_path(state.output)
        print(f"A build that started after this one has already replaced {shown}; it stays.", file=sys.stderr)
