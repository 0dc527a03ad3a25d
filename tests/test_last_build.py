"""The record of what a build read and wrote (plugins/campaign/last_build.py), on its own.

The audit hook's callback (Recorder.event) is called here as Python would call it, so
that the test process gets no audit hook of its own (one cannot be removed)."""

from __future__ import annotations

import json
import os
import py_compile
import sys
import time

import pytest

from campaign import last_build
from campaign.last_build import CHANGED, Recorder


def opened(recorder: Recorder, path, flags=os.O_RDONLY | os.O_CLOEXEC):
    recorder.event("open", (str(path), "r", flags))


@pytest.fixture
def site(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.md").write_text("first", encoding="utf-8")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("built", encoding="utf-8")
    recorder = Recorder(tmp_path / "output")
    # This process's modules (the tests' own among them) were imported before now: one saved
    # in the second before pytest started (a checkout, an editor) is not a change to them.
    recorder.started_ns = time.time_ns()
    recorder.active = True
    return tmp_path, recorder


def save(recorder: Recorder, tmp_path, day="2025-01-15", environ=None) -> None:
    inputs = recorder.stop()
    data = last_build.record(inputs, "settings", day, environ or {}, last_build.manifest(tmp_path / "output"))
    (tmp_path / ".output.last-build.json").write_bytes(data)


def check(tmp_path, day="2025-01-15", environ=None, settings="settings"):
    return last_build.check(
        tmp_path / ".output.last-build.json", tmp_path / "output", day, environ or {}, lambda: (settings, set(), [])
    )


def test_a_file_is_hashed_as_it_is_opened_so_a_save_after_that_is_seen(site):
    tmp_path, recorder = site
    page = tmp_path / "content" / "page.md"
    opened(recorder, page)
    page.write_text("saved while the build read", encoding="utf-8")  # after the hash, before the record
    save(recorder, tmp_path)
    assert check(tmp_path) == f"{page} changed"
    page.write_text("first", encoding="utf-8")
    assert check(tmp_path) is None


def test_a_file_read_twice_with_different_bytes_is_never_up_to_date(site):
    tmp_path, recorder = site
    page = tmp_path / "content" / "page.md"
    opened(recorder, page)
    page.write_text("second", encoding="utf-8")
    opened(recorder, page)
    page.write_text("first", encoding="utf-8")
    opened(recorder, page)  # a third read does not make it whole again
    save(recorder, tmp_path)
    assert recorder.files[str(page)] == CHANGED
    assert check(tmp_path) == f"{page} changed"


def test_writes_and_the_builds_own_files_are_not_inputs(site):
    tmp_path, recorder = site
    opened(recorder, tmp_path / "content" / "new.html", os.O_WRONLY | os.O_CREAT)
    opened(recorder, tmp_path / "output" / "index.html")
    opened(recorder, tmp_path / ".output.building-1" / "index.html")
    recorder.event("os.scandir", (str(tmp_path / "output"),))
    opened(recorder, "/proc/self/stat")
    assert recorder.files == {} and recorder.folders == {}


def test_a_new_file_in_a_folder_the_build_listed_or_read_from_is_a_change(site):
    tmp_path, recorder = site
    opened(recorder, tmp_path / "content" / "page.md")  # its folder is listed with it
    recorder.event("os.listdir", (str(tmp_path),))
    assert recorder.folders[str(tmp_path)] == ["content"]  # not the output, nor what staging.py keeps beside it
    save(recorder, tmp_path)
    (tmp_path / ".output.lock").write_text("1", encoding="utf-8")
    assert check(tmp_path) is None
    (tmp_path / "content" / "draft.md").write_text("new", encoding="utf-8")
    assert check(tmp_path) == f"files were added to or removed from {tmp_path / 'content'}"


def test_a_missing_file_the_build_looked_for_is_a_change_once_it_exists(site):
    tmp_path, recorder = site
    wanted = tmp_path / "elsewhere" / "override.html"
    opened(recorder, wanted)
    save(recorder, tmp_path)
    assert recorder.files[str(wanted)] is None and check(tmp_path) is None
    wanted.parent.mkdir()
    wanted.write_text("now it is there", encoding="utf-8")
    assert check(tmp_path) is not None


def test_a_module_read_from_its_pyc_counts_its_source_unless_the_source_changed_since(site):
    tmp_path, recorder = site
    source = tmp_path / "lib" / "helper.py"
    source.parent.mkdir()
    source.write_text("VALUE = 1\n", encoding="utf-8")
    past = time.time_ns() - 10**10
    os.utime(source, ns=(past, past))
    pyc = py_compile.compile(
        str(source), invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
    )  # as Python writes
    opened(recorder, pyc)
    assert recorder.files[str(source)] == last_build.file_hash(str(source))
    assert str(pyc) not in recorder.files
    source.write_text("VALUE = 22\n", encoding="utf-8")  # saved after Python checked the .pyc
    other = Recorder(tmp_path / "output")
    other.active = True
    opened(other, pyc)
    assert other.files[str(source)] == last_build.NEWER_THAN_PYC
    opened(other, source)  # Python found the .pyc stale and read the source: that is what ran
    assert other.files[str(source)] == last_build.file_hash(str(source))


def test_a_module_imported_before_the_hook_and_saved_after_the_process_started_is_a_change(tmp_path, monkeypatch):
    module = tmp_path / "fresh_module.py"
    module.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("fresh_module")
    recorder = Recorder(tmp_path / "output")
    recorder.start()  # this process started long before the file was saved
    assert recorder.files[str(module)] == CHANGED
    library = sys.modules["json"].__spec__.origin
    assert recorder.files[library] == last_build.file_hash(library)
    recorder.stop()
    sys.modules.pop("fresh_module")


def test_where_a_module_comes_from(tmp_path):
    assert last_build.module_origin("json") == sys.modules["json"].__spec__.origin
    assert last_build.module_origin("sys") == "built-in"
    assert last_build.module_origin("no_such_module_anywhere") is None
    (tmp_path / "my_plugin.py").write_text("", encoding="utf-8")
    assert last_build.module_origin("my_plugin", [str(tmp_path)]) == str(tmp_path / "my_plugin.py")


def test_the_day_the_environment_the_settings_and_the_output_are_compared(site):
    tmp_path, recorder = site
    save(recorder, tmp_path, environ={"LANG": "C.UTF-8", "SHLVL": "1", "MAKEFLAGS": "-- OUTPUTDIR=x", "OUTPUTDIR": "x"})
    same = {"LANG": "C.UTF-8", "SHLVL": "2", "MAKEFLAGS": "-- OUTPUTDIR=y", "OUTPUTDIR": "y", "SOURCE_DATE_EPOCH": "1"}
    assert check(tmp_path, environ=same) is None
    assert check(tmp_path, environ={**same, "LANG": "nl_NL.UTF-8"}) == "the environment changed (LANG)"
    assert check(tmp_path, environ=same, day="2025-01-16") == "the build's day changed (2025-01-15 → 2025-01-16)"
    assert check(tmp_path, environ=same, settings="other") == "the settings changed"
    (tmp_path / "output" / "index.html").write_text("edited by hand", encoding="utf-8")
    assert "is not as the last build left it" in check(tmp_path, environ=same)


def test_a_missing_or_foreign_record_means_build(tmp_path):
    (tmp_path / "output").mkdir()
    assert check(tmp_path) == "there is no record of the last build"
    (tmp_path / ".output.last-build.json").write_text(json.dumps({"version": 0}), encoding="utf-8")
    assert check(tmp_path) == "the record of the last build is of another kind"
    (tmp_path / ".output.last-build.json").write_text("{", encoding="utf-8")
    assert check(tmp_path) == "there is no record of the last build"


def test_settings_digest_is_stable_and_an_object_without_a_stable_form_never_matches():
    settings = {"SITENAME": "x", "FILTER": len, "CAMPAIGN_BUILD": object()}
    digest = last_build.settings_digest(settings, "CAMPAIGN_BUILD")
    assert digest == last_build.settings_digest({**settings, "CAMPAIGN_BUILD": object()}, "CAMPAIGN_BUILD")
    unstable = {"THING": object()}
    assert last_build.settings_digest(unstable, "") != last_build.settings_digest(unstable, "")


def test_a_folder_is_listed_once_when_first_seen_and_again_at_the_end(site, monkeypatch):
    """Not at every file opened (that grew with the square of a folder's files); a file
    added to a folder while the build ran is still a change, seen as the build ends."""
    tmp_path, recorder = site
    listed = []
    monkeypatch.setattr(last_build, "listing", lambda folder, own: listed.append(folder) or ["page.md"])
    for number in range(50):
        (tmp_path / "content" / f"p{number}.md").write_text("x", encoding="utf-8")
        opened(recorder, tmp_path / "content" / f"p{number}.md")
    assert listed.count(str(tmp_path / "content")) == 1
    monkeypatch.setattr(last_build, "listing", lambda folder, own: listed.append(folder) or ["page.md", "new.md"])
    inputs = recorder.stop()
    assert inputs["folders"][str(tmp_path / "content")] == [CHANGED]


def test_a_workers_record_joins_the_builds_and_a_disagreement_is_a_change(site):
    """What a forked worker read (parallel.py) is in the build's record; where the worker
    and the build saw different bytes, the record holds CHANGED (the next build runs)."""
    tmp_path, recorder = site
    page, other = tmp_path / "content" / "page.md", tmp_path / "content" / "other.md"
    other.write_text("other", encoding="utf-8")
    opened(recorder, page)
    recorder.for_worker()  # as in a forked worker: a copy of the build's recorder
    opened(recorder, other)
    page.write_text("saved between the two reads", encoding="utf-8")
    opened(recorder, page)
    worker = recorder.worker_record()
    assert set(worker["files"]) >= {str(other), str(page)}
    build = Recorder(tmp_path / "output")
    build.active = True
    page.write_text("first", encoding="utf-8")
    opened(build, page)
    build.merge(worker)
    assert build.files[str(other)] == last_build.file_hash(other)
    assert build.files[str(page)] == CHANGED
    assert build.folders[str(tmp_path / "content")] == last_build.listing(str(tmp_path / "content"), build.own)
