"""Writing: the templates get gettext and the site's filters, and each build writes a folder
of its own that replaces the output only if the build succeeds (staging.py), with a
record of what it read and wrote (last_build.py) (stages/__init__.py)."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import sys
from pathlib import Path

from pelican.generators import PagesGenerator

from .. import build_cache, last_build, parallel, problems, site_files, staging, stylesheets, templating, traditional
from ..build_cache import TemplateBytecode
from ..case import case_from
from ..config import BUILD_STATE, PROJECT, BuildState, apply_defaults, cache_folder, setting
from ..failures import OneLineErrors
from ..i18n import load_translations, read_catalogs
from ..sources import display_path
from .site_model import CampaignGenerator

_recorder: last_build.Recorder | None = None


def _protected(settings) -> dict[str, str]:
    translations = os.path.join(PROJECT, setting(settings, "CAMPAIGN_TRANSLATIONS"))
    return staging.protected_folders(PROJECT, settings["PATH"], settings["THEME"], translations)


def _stop(message: str, status: int = 2):
    problems.log.critical(message)  # one line, shown under -q too
    raise SystemExit(status)


def build_aside(pelican):
    """The build writes a new folder beside the output, removed if the build fails; from
    now on, every file it reads goes into the record of the build (the audit hook cannot
    be removed: one per process, idle once the build is over)."""
    global _recorder
    output = pelican.output_path
    # the error that ends a build is one line (failures.py), in the build and the devserver
    logging.getLogger("pelican").addFilter(OneLineErrors(str(PROJECT), output))
    protected = _protected(pelican.settings)
    reason = staging.refusal(output, PROJECT, protected)
    if reason:  # before anything is read: a build never deletes what it did not make
        _stop(reason)
    if _recorder is None:
        cache = cache_folder(pelican.settings)
        with contextlib.suppress(OSError):  # there before the build lists its parent: not a file "added"
            cache.mkdir(parents=True, exist_ok=True)
        build_cache.prune(cache)
        _recorder = last_build.Recorder(output, also_ignored=[cache])
        sys.addaudithook(_recorder.event)
        _recorder.settings = last_build.settings_digest(pelican.settings, BUILD_STATE)
        _recorder.start()
    else:  # settings read again under `pelican --autoreload`: what it read is no longer known
        _recorder.builds += 1
    apply_defaults(pelican.settings)  # after the digest: `make html`'s check reads the settings as written
    staging.remove_leftovers(output)
    stage = staging.stage_path(output)
    try:  # a disk that cannot be written says so now, in one line
        stage.parent.mkdir(parents=True, exist_ok=True)
        stage.mkdir()
        stage.rmdir()
    except FileExistsError:
        pass
    except OSError as error:
        _stop(staging.storage_problem(error, output) or f"The build cannot write {stage.parent} ({error.strerror})")
    pelican.output_path = str(stage)  # what Pelican.run hands to every generator and the writer
    pelican.settings[BUILD_STATE] = BuildState(output=output, protected=protected)
    atexit.register(staging.discard, stage)  # a build that stops on a problem, or crashes


def start_build(pelican):
    """Sent as each build starts (`pelican --autoreload` builds again and again): an empty
    folder, and a new state for the stages to share."""
    staging.discard(pelican.output_path)
    _recorder.builds += 1  # only a process's first build knows all it read
    before = pelican.settings[BUILD_STATE]
    pelican.settings[BUILD_STATE] = BuildState(
        output=before.output, protected=before.protected, number=staging.take_number(before.output)
    )
    return CampaignGenerator


def install_templating(generator):
    state = generator.settings[BUILD_STATE]
    if not state.translations:
        # Read once per build: the site model checks the very bytes the pages are translated with.
        folder = Path(setting(generator.settings, "CAMPAIGN_TRANSLATIONS"))
        cache = cache_folder(generator.settings)  # before any file is read: pages use them too
        state.conversions = traditional.load(folder, display_path, cache)
        state.catalogs = read_catalogs(folder, state.conversions)
        state.translations = load_translations(folder, state.catalogs)
    templating.install(generator.env, state.translations)
    generator.env.bytecode_cache = TemplateBytecode(cache_folder(generator.settings))
    converters = {code: conversion.convert for code, conversion in state.conversions.items()}
    generator.env.globals["case"] = case_from(setting(generator.settings, "CAMPAIGN_CASE"), converters)  # case.py


def swap_in(pelican):
    """The build succeeded and its last file is written: the stylesheets lose their comments
    (stylesheets.py), and the folder becomes the output."""
    stylesheets.strip_folder(Path(pelican.output_path) / pelican.settings["THEME_STATIC_DIR"])
    state = pelican.settings[BUILD_STATE]
    inputs = _recorder.stop()
    staging.write_mark(pelican.output_path)  # before the manifest: the mark is part of the output
    record = None
    if _recorder.builds == 1:
        output_files = last_build.manifest(pelican.output_path)
        record = last_build.record(inputs, _recorder.settings, state.day.isoformat(), os.environ, output_files)
    try:
        used = staging.publish(
            pelican.output_path,
            state.output,
            state.number,
            record,
            refuse=lambda output: staging.refusal(output, PROJECT, state.protected),
        )
    except staging.OutputRefused as refused:
        _stop(str(refused))
    except OSError as error:
        _stop(
            staging.storage_problem(error, state.output)
            or f"{display_path(state.output)} could not be replaced ({error}): the last good output is unchanged — build again"
        )
    if not used:
        shown = display_path(state.output)
        _stop(
            f"This build was not used: a build that started after it has already replaced {shown}, and it stays"
            " — nothing to do, unless you expected this build's pages there (then build again)",
            3,
        )


def pages_in_writing_order(generator: PagesGenerator) -> list:
    """The pages in the order PagesGenerator.generate_output writes them."""
    return [
        *generator.translations,
        *generator.pages,
        *generator.hidden_translations,
        *generator.hidden_pages,
        *generator.draft_translations,
        *generator.draft_pages,
    ]


def processes(settings, pages: int) -> int:
    """How many processes share the reading and the writing of `pages` pages (parallel.py)."""
    return parallel.processes_for(
        pages, setting(settings, "CAMPAIGN_PROCESSES"), setting(settings, "CAMPAIGN_PARALLEL_MIN_PAGES")
    )


def share_work(count: int, work, what: str) -> list:
    """parallel.run_shares with the build's audit record; a worker that fails stops the
    build with one line, before anything is published (the build's folder is discarded)."""
    try:
        return parallel.run_shares(count, work, _recorder)
    except parallel.WorkerFailed as error:
        _stop(f"The build stopped: a process {what} {error}. Nothing was published; build again.", 1)


def share_page_writing(generators):
    """Once every page is read: the pages are rendered and written by several processes,
    each writing every n-th page in Pelican's own loop (PagesGenerator.generate_output).
    Pages render independently; the files each worker wrote are handed back so that
    Pelican's writer still refuses to write a file twice."""
    generator = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    if generator is None:
        return
    pages = pages_in_writing_order(generator)
    count = processes(generator.settings, len(pages))
    if count < 2 or len({page.save_as for page in pages}) != len(pages):
        return  # (two pages with one address: Pelican's writer says so, in one process)
    pelican_writes = generator.generate_output

    def generate_output(writer):
        def work(share: int):
            written = set(getattr(writer, "_written_files", ())), set(getattr(writer, "_overridden_files", ()))
            calls, write_file = itertools.count(), writer.write_file

            def write_this_share(*args, **kwargs):
                if next(calls) % count == share:
                    return write_file(*args, **kwargs)
                return None

            writer.write_file = write_this_share
            try:
                pelican_writes(writer)
            finally:
                del writer.write_file
            # and the calendar files beside the actions' pages (site_files.py), in the same shares
            calendars = generator.context["site"].calendars
            site_files.write_deadline_calendars(Path(generator.output_path), calendars[share::count])
            return (
                set(getattr(writer, "_written_files", ())) - written[0],
                set(getattr(writer, "_overridden_files", ())) - written[1],
            )

        for written, overridden in share_work(count, work, "writing pages")[1:]:
            if hasattr(writer, "_written_files"):
                writer._written_files |= written
                writer._overridden_files |= overridden
        generator.settings[BUILD_STATE].calendars_written = True

    generator.generate_output = generate_output
