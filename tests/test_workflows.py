"""The GitHub Actions workflows: linted (zizmor, the workflow schema) and held to the
publishing rules: least privilege, pinned actions, no expressions in shell lines, the
Makefile's commands, and no deploy unless every test passed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
BIN = Path(sys.executable).parent
# Installing what `make` itself needs is the one shell line that is not a make target.
BOOTSTRAP = re.compile(r"^apt-get update -qq\nDEBIAN_FRONTEND=noninteractive apt-get install ")
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+\s*$")


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.MULTILINE))


def test_there_are_a_publish_and_a_pull_request_workflow():
    assert PUBLISH.is_file() and PULL_REQUEST.is_file()
    assert {path.name for path in all_workflows()} == {"publish.yml", "pull-request.yml"}


# --- Linters ----------------------------------------------------------------------------------

def test_zizmor_finds_nothing():
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True, text=True, timeout=120,
    )
    findings = json.loads(result.stdout or "[]")
    summary = [f"{f.get('ident')}: {f.get('desc')}" for f in findings]
    assert result.returncode == 0 and findings == [], f"zizmor:\n{result.stdout}\n{result.stderr}\n{summary}"


def test_workflows_match_the_github_workflow_schema():
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, all_workflows())],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Both workflows -------------------------------------------------------------------------

@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert lines, "no actions used?"
    for line in lines:
        assert PINNED.match(line), f"{path.name}: pin to a full commit SHA with '# vX.Y.Z': {line.strip()}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_no_expression_in_a_shell_line(path):
    for job, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name} {job}: pass values through env:, not ${{{{ }}}} in run:"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_shell_lines_are_the_makefiles_commands(path):
    targets = makefile_targets()
    for job, step in steps(load(path)):
        command = step.get("run")
        if command is None or BOOTSTRAP.match(command.strip()):
            continue
        match = re.fullmatch(r"make ([\w-]+)", command.strip())
        assert match, f"{path.name} {job}: run a Makefile target, not {command!r}"
        assert match.group(1) in targets, f"{path.name} {job}: the Makefile has no target {match.group(1)!r}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    checkouts = [step for _, step in steps(load(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name} {name}: say which permissions the job needs"
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        if name == "deploy" and path == PUBLISH:
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
        else:
            assert writes == set(), f"{path.name} {name} may not write: {writes}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_no_cache_and_no_step_may_fail_quietly(path):
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        assert "continue-on-error" not in job, name
        for step in job.get("steps", []):
            assert "continue-on-error" not in step, f"{name}: {step}"
            assert not step.get("uses", "").startswith("actions/cache@"), "no cache in a workflow that builds what is published"
            assert "cache" not in step.get("with", {}), f"{name}: {step}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_tests_and_build_run_the_makefile(path):
    jobs = load(path)["jobs"]
    assert [s.get("run") for s in jobs["test"]["steps"] if s.get("run", "").startswith("make")] == ["make test"]
    assert [s.get("run") for s in jobs["build"]["steps"] if s.get("run", "").startswith("make")] == ["make publish"]
    # The machine kind the project is tested on (Debian 12: Python 3.11, Debian's Chromium).
    assert jobs["test"]["container"] == jobs["build"]["container"] == "debian:12"


# --- Publish ----------------------------------------------------------------------------------

def test_publish_runs_on_main_daily_and_by_hand():
    triggers = load(PUBLISH)["on"]
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and minute.isdigit() and hour.isdigit(), "once a day"


def test_publish_builds_with_todays_date():
    # deadlines.py reads SOURCE_DATE_EPOCH as "today"; set here it would freeze every deadline.
    assert "SOURCE_DATE_EPOCH" not in PUBLISH.read_text(encoding="utf-8")


def test_publish_is_one_at_a_time_and_never_cut_short():
    assert load(PUBLISH)["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_deploy_needs_every_test_to_pass():
    jobs = load(PUBLISH)["jobs"]
    deploy = jobs["deploy"]
    assert set(deploy["needs"]) == {"test", "build"}
    # Only main is published; a condition such as always() would deploy after a failed test.
    assert deploy.get("if") == "github.ref == 'refs/heads/main'"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"
    # Only the deploy job publishes; only the build job uploads what it publishes.
    for name, job in jobs.items():
        uses = [s.get("uses", "").split("@")[0] for s in job.get("steps", [])]
        assert ("actions/deploy-pages" in uses) == (name == "deploy")
        assert ("actions/upload-pages-artifact" in uses) == (name == "build")


def test_build_takes_siteurl_from_configure_pages_and_uploads_the_output():
    build = load(PUBLISH)["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    by_action = {s["uses"].split("@")[0]: s for s in build["steps"] if "uses" in s}
    configure = by_action["actions/configure-pages"]
    make_publish = next(s for s in build["steps"] if s.get("run") == "make publish")
    assert make_publish["env"] == {"SITEURL": "${{ steps.%s.outputs.base_url }}" % configure["id"]}
    order = [s.get("uses", s.get("run", "")).split("@")[0] for s in build["steps"]]
    assert order.index("actions/configure-pages") < order.index("make publish") < order.index("actions/upload-pages-artifact")
    assert by_action["actions/upload-pages-artifact"]["with"]["path"] == "output"


# --- Pull request ---------------------------------------------------------------------------

def test_pull_requests_are_tested_and_built_but_never_deployed():
    workflow = load(PULL_REQUEST)
    assert set(workflow["on"]) == {"pull_request"}, "never pull_request_target: it runs with the base repository's rights"
    assert set(workflow["jobs"]) == {"test", "build"}
    text = PULL_REQUEST.read_text(encoding="utf-8")
    for forbidden in ("deploy-pages", "upload-pages-artifact", "pages: write", "id-token", "secrets."):
        assert forbidden not in text
    assert workflow["concurrency"]["cancel-in-progress"] is True
