"""The GitHub Actions workflows `themehub init` writes, read as GitHub reads them: valid YAML, every action
pinned to a version, the deploy rebuilt on a schedule (scheduled pieces go live without a commit), and a
preview of every pull request that is built with drafts, under its own address, kept out of search
engines, uploaded and linked in a comment, and that can never replace the live site."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = ("check.yml", "deploy.yml", "preview.yml")
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})")


@pytest.fixture(scope="module")
def workflows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("init")
    done = subprocess.run([sys.executable, "-m", "themehub", "init", "hub"], cwd=root, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    folder = root / "hub" / ".github" / "workflows"
    assert sorted(p.name for p in folder.iterdir()) == sorted(WORKFLOWS)
    return {name: yaml.safe_load((folder / name).read_text()) for name in WORKFLOWS}


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """`on:` (YAML 1.1 reads the bare key as True), as a mapping of event -> its settings."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps(workflow))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_workflow_is_yaml_with_jobs_and_every_action_pinned(workflows: dict[str, dict[str, Any]],
                                                                   name: str) -> None:
    workflow = workflows[name]
    assert isinstance(workflow["name"], str) and triggers(workflow)
    assert workflow["jobs"]
    used = [step["uses"] for step in steps(workflow) if "uses" in step]
    assert used
    assert [u for u in used if not PINNED.fullmatch(u)] == []
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"


def valid_cron(expression: str) -> bool:
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    fields = expression.split()
    if len(fields) != 5:
        return False
    for text, (low, high) in zip(fields, ranges, strict=True):
        for part in text.split(","):
            value, _, step = part.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                return False
            if value == "*":
                continue
            start, _, end = value.partition("-")
            numbers = [start, end] if end else [start]
            if not all(n.isdigit() and low <= int(n) <= high for n in numbers):
                return False
    return True


def test_valid_cron_knows_a_bad_expression() -> None:
    assert valid_cron("17 * * * *") and valid_cron("0 6 * * 1-5") and valid_cron("*/15 * * * *")
    assert not valid_cron("17 * * *") and not valid_cron("60 * * * *") and not valid_cron("@hourly")


def test_the_deploy_runs_on_main_by_hand_and_on_a_schedule(workflows: dict[str, dict[str, Any]]) -> None:
    deploy = workflows["deploy.yml"]
    on = triggers(deploy)
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons and all(valid_cron(cron) for cron in crons), crons
    assert "themehub build --strict" in runs(deploy)
    assert [s["uses"].split("@")[0] for s in steps(deploy) if "uses" in s][-1] == "actions/deploy-pages"


def test_the_preview_builds_each_pull_request_with_drafts_noindex_and_its_own_address(
        workflows: dict[str, dict[str, Any]]) -> None:
    preview = workflows["preview.yml"]
    assert set(triggers(preview)) == {"pull_request"}
    build = next(line for line in runs(preview).splitlines() if line.strip().startswith("themehub build"))
    assert "--drafts" in build and "--noindex" in build
    assert re.search(r"--base-url \S+", build) and re.search(r"--out \S*pr-\$PR", build), build
    text = yaml.safe_dump(preview)
    assert "previews/pr-$PR/" in text  # the address of its own, per pull request


def test_the_preview_uploads_the_site_and_comments_the_link(workflows: dict[str, dict[str, Any]]) -> None:
    preview = workflows["preview.yml"]
    used = {s["uses"].split("@")[0]: s for s in steps(preview) if "uses" in s}
    assert used["actions/upload-artifact"]["with"]["path"] == "preview"
    script = used["actions/github-script"]["with"]["script"]
    assert "createComment" in script and "updateComment" in script  # one comment per pull request, kept current
    assert "ARTIFACT_URL" in script and "PREVIEW_URL" in script


def test_the_preview_has_minimal_permissions_and_never_touches_the_live_site(
        workflows: dict[str, dict[str, Any]]) -> None:
    preview = workflows["preview.yml"]
    assert preview["permissions"] == {"contents": "read"}
    for name, job in preview["jobs"].items():
        granted = job.get("permissions", preview["permissions"])
        assert "pages" not in granted and "id-token" not in granted, name
        assert "environment" not in job, name
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= ({"pull-requests"} if name == "comment" else set()), (name, writes)
    assert "deploy-pages" not in yaml.safe_dump(preview)
    assert "upload-pages-artifact" not in yaml.safe_dump(preview)


def test_init_writes_the_preview_beside_the_other_workflows(tmp_path: Path) -> None:
    from themehub.scaffold import PREVIEW_WORKFLOW, init_site

    message, problems = init_site(tmp_path / "hub")
    assert problems == [] and "created a new hub" in message
    assert (tmp_path / "hub/.github/workflows/preview.yml").read_text() == PREVIEW_WORKFLOW
