"""The GitHub Actions workflows: linted (zizmor, the workflow schema) and held to the
publishing rules: least privilege, pinned actions, no expressions in shell lines, the
Makefile's commands, and no deploy unless the tests passed: on a push, every test; on
the daily run, which publishes the last commit whose tests passed, the fast checks."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT, stop

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
BIN = Path(sys.executable).parent
# Installing what `make` itself needs is the one shell command that is not a make target.
APT_UPDATE = "apt-get update -qq"
APT_INSTALL = re.compile(
    r"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends (?P<packages>[\w. -]+)"
)
# A command tried up to 3 times: the one form of retry in the workflows.
RETRY = re.compile(
    r"for try in 1 2 3; do\n(?P<command>.+?) && exit 0\n"
    r"\s*echo \"::warning::[^\n]*\"\n\s*\[ \"\$try\" = 3 \] \|\| sleep \"\$\(\(try \* \d+\)\)\"\ndone\n"
    r"echo \"::error::[^\n]*\"\nexit 1",
    re.S,
)
PUSH_JOBS = {"test", "build", "deploy"}
DAILY_JOBS = {"last-tested", "daily", "deploy-daily"}
DEPLOY_JOBS = {"deploy", "deploy-daily"}
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


def commands(run: str) -> tuple[list[str], int]:
    """The commands of a `run:` script, one per item, and how many times they are tried."""
    text, tries = run.strip(), 1
    if match := RETRY.fullmatch(text):
        text, tries = match["command"], 3
    text = re.sub(r"\s*\\\n\s*", " ", text)
    return [part.strip() for part in re.split(r"\n| && ", text) if part.strip()], tries


def make_targets(job: dict) -> list[str]:
    """The make targets a job runs, in order."""
    return [
        command.removeprefix("make ")
        for step in job.get("steps", [])
        if "run" in step
        for command in commands(step["run"])[0]
        if command.startswith("make ")
    ]


def apt_packages(job: dict) -> set[str]:
    return {
        package
        for step in job.get("steps", [])
        if "run" in step
        for command in commands(step["run"])[0]
        if (match := APT_INSTALL.fullmatch(command))
        for package in match["packages"].split()
    }


# GitHub's `if:` expressions, as far as the publish workflow uses them: event and ref
# compared with literals, joined by && and ||. Anything else (a status function such
# as always(), which would let a job run after a failed one) is not understood and fails.
EXPRESSION_TOKEN = re.compile(
    r"\s*(?:(?P<name>github\.event_name|github\.ref)|'(?P<literal>[^']*)'|(?P<operator>==|!=|&&|\|\||\(|\)))"
)


def evaluate(expression: str, context: dict[str, str]) -> bool:
    python, position, expression = [], 0, expression.strip()
    while position < len(expression):
        token = EXPRESSION_TOKEN.match(expression, position)
        assert token, f"the test does not understand {expression[position:]!r} in if: {expression}"
        if token["name"]:
            python.append(repr(context[token["name"]]))
        elif token["literal"] is not None:
            python.append(repr(token["literal"]))
        else:
            python.append({"&&": "and", "||": "or"}.get(token["operator"], token["operator"]))
        position = token.end()
    return bool(eval(" ".join(python), {"__builtins__": {}}))  # noqa: S307 (only the tokens above)


def jobs_run_on(event: str, ref: str = "refs/heads/main") -> set[str]:
    """The jobs of publish.yml that run on `event` when every job they need succeeds: a
    job runs if all its needs ran and its if: holds (GitHub adds success() to it)."""
    jobs, running = load(PUBLISH)["jobs"], {}

    def runs(name: str) -> bool:
        if name not in running:
            job = jobs[name]
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            holds = evaluate(job["if"], {"github.event_name": event, "github.ref": ref}) if "if" in job else True
            running[name] = all(runs(need) for need in needs) and holds
        return running[name]

    return {name for name in jobs if runs(name)}


def test_there_are_a_publish_and_a_pull_request_workflow():
    assert PUBLISH.is_file() and PULL_REQUEST.is_file()
    assert {path.name for path in all_workflows()} == {"publish.yml", "pull-request.yml"}


# --- Linters ----------------------------------------------------------------------------------


def test_zizmor_finds_nothing():
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(result.stdout or "[]")
    summary = [f"{f.get('ident')}: {f.get('desc')}" for f in findings]
    assert result.returncode == 0 and findings == [], f"zizmor:\n{result.stdout}\n{result.stderr}\n{summary}"


def test_workflows_match_the_github_workflow_schema():
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, all_workflows())],
        capture_output=True,
        text=True,
        timeout=120,
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
        if "run" not in step or step.get("shell", "").startswith("python3"):
            continue  # the daily run's look-up in GitHub's API (test_the_last_tested_commit_is_looked_up_in_github_api)
        assert "shell" not in step, f"{path.name} {job}: {step['name']} runs in another shell"
        for command in commands(step["run"])[0]:
            if command == APT_UPDATE or APT_INSTALL.fullmatch(command):
                continue
            match = re.fullmatch(r"make ([\w-]+)", command)
            assert match, f"{path.name} {job}: run a Makefile target, not {command!r}"
            assert match.group(1) in targets, f"{path.name} {job}: the Makefile has no target {match.group(1)!r}"


def test_only_the_daily_look_up_runs_python_on_the_runner():
    others = [(job, step["name"]) for job, step in steps(load(PUBLISH)) if "shell" in step and job != "last-tested"]
    assert not others
    (find,) = load(PUBLISH)["jobs"]["last-tested"]["steps"]
    assert find["shell"] == "python3 {0}"


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
        if name in DEPLOY_JOBS and path == PUBLISH:
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
        elif name == "last-tested" and path == PUBLISH:
            assert job["permissions"] == {"actions": "read"}, "the look-up only lists this workflow's runs"
        else:
            assert writes == set(), f"{path.name} {name} may not write: {writes}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_no_cache_and_no_step_may_fail_quietly(path):
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        assert "continue-on-error" not in job, name
        for step in job.get("steps", []):
            assert "continue-on-error" not in step, f"{name}: {step}"
            assert not step.get("uses", "").startswith("actions/cache@"), (
                "no cache in a workflow that builds what is published"
            )
            assert "cache" not in step.get("with", {}), f"{name}: {step}"


@pytest.mark.parametrize("path", [PUBLISH, PULL_REQUEST], ids=lambda p: p.name)
def test_tests_and_build_run_the_makefile(path):
    jobs = load(path)["jobs"]
    assert [s.get("run") for s in jobs["test"]["steps"] if s.get("run", "").startswith("make")] == ["make test"]
    assert [s.get("run") for s in jobs["build"]["steps"] if s.get("run", "").startswith("make")] == ["make publish"]
    # The machine kind the project is tested on (Debian 12: Python 3.11, Debian's Chromium).
    assert jobs["test"]["container"] == jobs["build"]["container"] == "debian:12"
    if path == PUBLISH:
        assert jobs["daily"]["container"] == "debian:12", "the daily build runs on the machine kind the tests ran on"


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
    assert deploy.get("if") == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert jobs["deploy-daily"].get("if") == "github.ref == 'refs/heads/main'"
    for name in DEPLOY_JOBS:
        assert [s["uses"].split("@")[0] for s in jobs[name]["steps"]] == ["actions/deploy-pages"]
        assert jobs[name]["environment"]["name"] == "github-pages"
    # Only the deploy jobs publish; only the jobs that build upload what is published.
    for name, job in jobs.items():
        uses = [s.get("uses", "").split("@")[0] for s in job.get("steps", [])]
        assert ("actions/deploy-pages" in uses) == (name in DEPLOY_JOBS)
        assert ("actions/upload-pages-artifact" in uses) == (name in {"build", "daily"})


def make_step(job: dict, target: str) -> dict:
    (step,) = [step for step in job["steps"] if "run" in step and f"make {target}" in commands(step["run"])[0]]
    return step


@pytest.mark.parametrize("name", ["build", "daily"])
def test_build_takes_siteurl_from_configure_pages_and_uploads_the_output(name):
    build = load(PUBLISH)["jobs"][name]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    by_action = {s["uses"].split("@")[0]: s for s in build["steps"] if "uses" in s}
    configure = by_action["actions/configure-pages"]
    make_publish = make_step(build, "publish")
    assert make_publish["env"] == {"SITEURL": "${{ steps." + configure["id"] + ".outputs.base_url }}"}
    order = [
        s.get("uses", "").split("@")[0] or ("make publish" if s is make_publish else s["run"]) for s in build["steps"]
    ]
    assert (
        order.index("actions/configure-pages")
        < order.index("make publish")
        < order.index("actions/upload-pages-artifact")
    )
    assert by_action["actions/upload-pages-artifact"]["with"]["path"] == "output"


# --- Publish: a push runs every test; the daily run, the fast checks on the last tested commit ---

FAST_CHECKS = ["check", "test-fast"]
# What make needs to install the Python packages and build; no browser, Node.js or Java.
DAILY_APT_PACKAGES = {"ca-certificates", "git", "make", "python3", "python3-venv"}
LAST_TESTED_SHA = "${{ needs.last-tested.outputs.sha }}"


def checkouts(job: dict) -> list[dict]:
    return [step for step in job.get("steps", []) if step.get("uses", "").startswith("actions/checkout@")]


def test_a_push_to_main_runs_every_test_before_it_deploys_the_pushed_commit():
    jobs = load(PUBLISH)["jobs"]
    assert jobs_run_on("push") == PUSH_JOBS
    assert make_targets(jobs["test"]) == ["test"] and make_targets(jobs["build"]) == ["publish"]
    assert set(jobs["deploy"]["needs"]) == {"test", "build"}
    for name in ("test", "build"):
        (checkout,) = checkouts(jobs[name])
        assert "ref" not in checkout["with"], f"{name}: a push tests and builds the commit pushed"


@pytest.mark.parametrize("event", ["schedule", "workflow_dispatch"])
def test_the_daily_run_needs_no_browser_suite_and_deploys_only_after_the_fast_checks(event):
    jobs = load(PUBLISH)["jobs"]
    assert jobs_run_on(event) == DAILY_JOBS
    assert make_targets(jobs["daily"]) == ["deps", *FAST_CHECKS, "publish"]
    for name in DAILY_JOBS:
        assert not {"test", "system-deps", "system-packages"} & set(make_targets(jobs[name])), name
    assert set().union(*(apt_packages(jobs[name]) for name in DAILY_JOBS)) == DAILY_APT_PACKAGES
    # What the daily run leaves out: the push's tests need Node.js, npm and Java besides.
    assert apt_packages(jobs["test"]) > DAILY_APT_PACKAGES | {"npm", "default-jre-headless"}
    # The site is uploaded only after the checks; the deploy needs the job that uploads it.
    steps = jobs["daily"]["steps"]
    uploads = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    upload = uploads[0]
    assert all(steps.index(make_step(jobs["daily"], target)) < upload for target in FAST_CHECKS)
    assert jobs["deploy-daily"]["needs"] == "daily" and jobs["daily"]["needs"] == "last-tested"


def test_a_daily_run_by_hand_on_another_branch_publishes_nothing():
    assert jobs_run_on("workflow_dispatch", ref="refs/heads/some-branch") == {"last-tested", "daily"}
    assert jobs_run_on("push", ref="refs/heads/some-branch") == {"test", "build"}


def test_the_daily_run_checks_out_the_last_tested_commit():
    jobs = load(PUBLISH)["jobs"]
    last_tested = jobs["last-tested"]
    (find,) = last_tested["steps"]
    assert last_tested["outputs"] == {"sha": "${{ steps." + find["id"] + ".outputs.sha }}"}
    # The look-up asks for a passed job of exactly the name the push's test job has.
    assert find["env"]["TEST_JOB"] == jobs["test"]["name"]
    daily_checkouts = [step for name in DAILY_JOBS for step in checkouts(jobs[name])]
    assert daily_checkouts, "the daily run checks out nothing?"
    for step in daily_checkouts:
        assert step["with"]["ref"] == LAST_TESTED_SHA, "the daily run must not build main's untested newest commit"


def test_the_daily_run_tries_installs_and_the_build_three_times_and_the_checks_once():
    tries = {}
    for step in load(PUBLISH)["jobs"]["daily"]["steps"]:
        if "run" in step:
            step_commands, times = commands(step["run"])
            tries.update((command.split(" --")[0], times) for command in step_commands)
    assert tries == {
        APT_UPDATE: 3,
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq": 3,
        "make deps": 3,
        "make check": 1,
        "make test-fast": 1,
        "make publish": 3,
    }


def retried_steps() -> list[dict]:
    return [step for step in load(PUBLISH)["jobs"]["daily"]["steps"] if "run" in step and commands(step["run"])[1] == 3]


@pytest.mark.parametrize("shell", [["bash", "-e"], ["sh", "-e"]], ids=["bash", "sh"])
@pytest.mark.parametrize("failures", [0, 1, 2, 3, 5])
def test_a_retried_step_stops_at_its_first_success_or_after_three_tries(tmp_path, shell, failures):
    """Runs each retried step with stand-ins for make, apt-get and sleep: the first
    `failures` commands fail."""
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "log"
    for name in ("make", "apt-get"):
        (fake / name).write_text(
            f'#!/bin/sh\necho "{name} $*" >> "{log}"\n[ "$(grep -cv "^sleep" "{log}")" -gt {failures} ]\n',
            encoding="utf-8",
        )
    (fake / "sleep").write_text(f'#!/bin/sh\necho "sleep $*" >> "{log}"\n', encoding="utf-8")
    for path in fake.iterdir():
        path.chmod(0o755)
    for step in retried_steps():
        log.write_text("", encoding="utf-8")
        script = tmp_path / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        result = subprocess.run(
            [*shell, str(script)],
            env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        calls = log.read_text(encoding="utf-8").splitlines()
        first_command = commands(step["run"])[0][0].replace("DEBIAN_FRONTEND=noninteractive ", "")
        tries = sum(call == first_command for call in calls)
        expected = (0, failures + 1) if failures < 3 else (1, 3)
        assert (result.returncode, tries) == expected, f"{step['name']}: {calls}\n{result.stdout}"
        sleeps = [call for call in calls if call.startswith("sleep")]
        assert sleeps == [f"sleep {30 * n}" for n in range(1, min(failures, 2) + 1)], "none after the last try"
        assert ("::error::" in result.stdout) == (failures >= 3)


def test_make_test_fast_runs_the_link_and_budget_tests_on_todays_site_without_a_browser():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^test-fast:(.*)$", makefile, re.MULTILINE)[1].split()
    assert not {"system-deps", "system-packages", "test"} & set(prerequisites), "no browser, npm or Debian packages"
    ignored = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTESTOPTS"}  # from a `make test` this may run under
    environment = {name: value for name, value in os.environ.items() if name not in ignored}
    dry_run = subprocess.run(
        ["make", "-n", "test-fast"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    (pytest_line,) = [line for line in dry_run.stdout.splitlines() if " -m pytest " in line]
    assert pytest_line.startswith("TEST_CLOCK=today ")

    def collected(command: str) -> set[str]:
        result = subprocess.run(
            f"{command} --collect-only -q",
            shell=True,
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return {line for line in result.stdout.splitlines() if "::" in line}

    fast = collected(pytest_line)
    assert {test.split("::")[0] for test in fast} == {"tests/test_links.py", "tests/test_budget.py"}
    browser = collected(f"{sys.executable} -m pytest tests/test_links.py tests/test_budget.py -m browser")
    assert browser and not fast & browser, f"test-fast runs browser tests: {fast & browser}"


@pytest.mark.parametrize("clock", ["today", ""])
def test_test_clock_today_builds_the_tests_site_as_of_today(clock):
    probe = "import conftest, inspect; print(inspect.signature(conftest.run_pelican).parameters['clock'].default)"
    path = os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])  # as pytest's pythonpath setting gives it
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT / "tests",
        env={**os.environ, "TEST_CLOCK": clock, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )
    from campaign.deadlines import build_day
    from conftest import DEFAULT_CLOCK

    today = build_day({}).isoformat()  # the site's day, in UTC-12
    assert result.stdout.strip() == (today if clock else str(DEFAULT_CLOCK)), result.stderr


# --- The daily run's look-up of the last tested commit, against a stand-in for GitHub's API ---

REPOSITORY = "campaign/site"
RUNS_PATH = f"/repos/{REPOSITORY}/actions/workflows/publish.yml/runs"
TOKEN = "token-for-the-test"
SHA = {name: (name * 40)[:40] for name in "abcdef"}


def find_step() -> dict:
    (step,) = load(PUBLISH)["jobs"]["last-tested"]["steps"]
    return step


def workflow_run(number: int, sha: str) -> dict:
    return {
        "id": 1000 + number,
        "run_number": number,
        "head_sha": sha,
        "html_url": f"https://github.com/{REPOSITORY}/actions/runs/{1000 + number}",
    }


def run_jobs(test: str | None, others: str = "success") -> dict:
    return {
        "jobs": [
            {"name": find_step()["env"]["TEST_JOB"], "conclusion": test},
            {"name": "Build for publishing (make publish)", "conclusion": others},
            {"name": "Deploy to GitHub Pages", "conclusion": others},
        ]
    }


def jobs_path(number: int) -> str:
    return f"/repos/{REPOSITORY}/actions/runs/{1000 + number}/jobs"


@pytest.fixture
def look_up(tmp_path, monkeypatch):
    """Runs the look-up step's Python, as the runner would, against a local stand-in for
    GitHub's API. `answers`: path → list of (status, JSON), used in turn, the last repeated."""
    sleeps = []
    monkeypatch.setattr(time, "sleep", sleeps.append)

    def run(answers: dict[str, list[tuple[int, object]]], newest: str) -> dict:
        requests = []

        class GitHubAPI(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append((self.path, self.headers.get("Authorization")))
                queue = answers.get(urlsplit(self.path).path, [(404, {"message": "Not Found"})])
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GitHubAPI)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        output, summary = tmp_path / "output", tmp_path / "summary"
        output.write_text("", encoding="utf-8")
        summary.write_text("", encoding="utf-8")
        step = find_step()
        for name, value in step["env"].items():
            monkeypatch.setenv(name, TOKEN if "${{" in value else value)
        runner = {
            "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}",
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_SHA": newest,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        for name, value in runner.items():
            monkeypatch.setenv(name, value)
        exit_message = None
        try:
            exec(compile(step["run"], "publish.yml, last-tested", "exec"), {"__name__": "__main__"})  # noqa: S102
        except SystemExit as exit_:
            exit_message = str(exit_.code)
        finally:
            stop(server)
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
        return {
            "sha": outputs.get("sha"),
            "summary": summary.read_text(encoding="utf-8"),
            "exit": exit_message,
            "requests": requests,
            "sleeps": list(sleeps),
        }

    return run


def test_the_last_tested_commit_is_looked_up_in_github_api(look_up):
    runs = [workflow_run(2, SHA["c"]), workflow_run(4, SHA["a"]), workflow_run(1, SHA["d"]), workflow_run(3, SHA["b"])]
    result = look_up(
        {
            RUNS_PATH: [(200, {"total_count": 4, "workflow_runs": runs})],
            jobs_path(4): [(200, run_jobs("failure"))],  # the newest push failed its tests (its build passed)
            jobs_path(3): [(200, run_jobs(None, others=None))],  # still running
            jobs_path(2): [(200, run_jobs("success", others="failure"))],  # tests passed, the deploy failed
            jobs_path(1): [(200, run_jobs("success"))],
        },
        newest=SHA["a"],
    )
    assert result["exit"] is None and result["sha"] == SHA["c"]
    paths = [path for path, _ in result["requests"]]
    assert [urlsplit(path).path for path in paths] == [RUNS_PATH, jobs_path(4), jobs_path(3), jobs_path(2)]
    query = parse_qs(urlsplit(paths[0]).query)
    assert query["event"] == ["push"] and query["branch"] == ["main"]
    assert {authorization for _, authorization in result["requests"]} == {f"Bearer {TOKEN}"}
    assert SHA["c"][:10] in result["summary"] and f"{SHA['a'][:10]}, is not published" in result["summary"]


def test_when_mains_newest_commit_passed_it_is_published_without_a_warning(look_up):
    result = look_up(
        {
            RUNS_PATH: [(200, {"workflow_runs": [workflow_run(7, SHA["e"]), workflow_run(6, SHA["d"])]})],
            jobs_path(7): [(200, run_jobs("success"))],
        },
        newest=SHA["e"],
    )
    assert result["sha"] == SHA["e"] and "not published" not in result["summary"]


def test_no_push_that_passed_its_tests_means_nothing_to_publish(look_up):
    result = look_up(
        {
            RUNS_PATH: [(200, {"workflow_runs": [workflow_run(2, SHA["b"]), workflow_run(1, SHA["a"])]})],
            jobs_path(2): [(200, run_jobs("failure"))],
            jobs_path(1): [(200, run_jobs("cancelled"))],
        },
        newest=SHA["b"],
    )
    assert result["sha"] is None and "nothing to publish" in result["exit"]


def test_an_api_that_fails_for_a_moment_is_asked_again(look_up):
    result = look_up(
        {
            RUNS_PATH: [(503, {"message": "Unavailable"}), (200, {"workflow_runs": [workflow_run(1, SHA["a"])]})],
            jobs_path(1): [(502, b"<html>Bad gateway</html>"), (200, run_jobs("success"))],
        },
        newest=SHA["a"],
    )
    assert result["sha"] == SHA["a"] and len(result["requests"]) == 4 and result["sleeps"] == [20, 20]


def test_an_api_that_keeps_failing_stops_the_run_after_three_tries(look_up):
    result = look_up({RUNS_PATH: [(503, {"message": "Unavailable"})]}, newest=SHA["a"])
    assert result["sha"] is None and "503" in result["exit"]
    assert len(result["requests"]) == 3 and result["sleeps"] == [20, 40]


def test_a_refused_request_is_not_asked_again(look_up):
    result = look_up({RUNS_PATH: [(404, {"message": "Not Found"})]}, newest=SHA["a"])
    assert result["sha"] is None and "404" in result["exit"] and len(result["requests"]) == 1 and result["sleeps"] == []


def test_a_run_that_names_no_commit_is_not_published(look_up):
    result = look_up(
        {
            RUNS_PATH: [(200, {"workflow_runs": [workflow_run(1, "main; echo injected")]})],
            jobs_path(1): [(200, run_jobs("success"))],
        },
        newest=SHA["a"],
    )
    assert result["sha"] is None and "names no commit" in result["exit"]


# --- Pull request ---------------------------------------------------------------------------


def test_pull_requests_are_tested_and_built_but_never_deployed():
    workflow = load(PULL_REQUEST)
    assert set(workflow["on"]) == {"pull_request"}, (
        "never pull_request_target: it runs with the base repository's rights"
    )
    assert set(workflow["jobs"]) == {"test", "build"}
    text = PULL_REQUEST.read_text(encoding="utf-8")
    for forbidden in ("deploy-pages", "upload-pages-artifact", "pages: write", "id-token", "secrets."):
        assert forbidden not in text
    assert workflow["concurrency"]["cancel-in-progress"] is True
