"""Killed builds: `python -m themehub build` is SIGKILLed at random moments while it rebuilds a copy of the
sample hub, alternating between two versions of the content (A and B). After every kill, site/ must be
exactly the complete previous site or the complete new one (compared file by file, byte for byte, with
clean reference builds of A and B): never a mix, never a truncated or missing file. A build that runs to
the end removes the `.site.staging-*` folders the killed ones left.

CI kills 25 builds (fixed seed); `python bench/hardening/kill_builds.py` runs the full 100 (or more).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hardening.conftest import AS_OF, Entry, cli_env, diff_snapshots, snapshot, staging_leftovers
from tests.helpers import copy_sample

CI_KILLS = 25
CI_SEED = 20261123
BUILD_ARGS = ("--no-search", "--as-of", AS_OF)
VERSION_PARTS = ("themehub.yaml", "content", "static")


def only_in(version: str) -> str:
    return (f"---\ntitle: Only in version {version}\ndate: 2026-02-02\nauthors: [maya-okafor]\nthemes: [finops]\n"
            f"summary: A piece that exists only in {version}.\n---\n\n{version} body.\n")


def make_version_a(root: Path) -> None:
    (root / "content" / "articles" / "killed-builds-a-only.md").write_text(only_in("A"))


def make_version_b(root: Path) -> None:
    """B differs from A on every page (the site description is in every footer), and in files that
    appear (a new article), disappear (A's own article) and change (bodies, a static file)."""
    config = root / "themehub.yaml"
    config.write_text(config.read_text().replace("description: ", "description: B-version ", 1))
    articles = sorted(p for p in (root / "content" / "articles").rglob("*.md") if "killed-builds" not in p.name)
    for path in articles[:3]:
        path.write_text(path.read_text() + "\n\nA paragraph that only version B has.\n")
    (root / "content" / "articles" / "killed-builds-a-only.md").unlink()
    (root / "content" / "articles" / "killed-builds-b-only.md").write_text(only_in("B"))
    svg = next((root / "static").rglob("*.svg"))
    svg.write_bytes(svg.read_bytes().replace(b"</svg>", b"<!-- B --></svg>"))


def cli_build(site: Path, *extra: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site), *BUILD_ARGS, *extra],
                          env=cli_env(), capture_output=True, text=True, timeout=timeout, check=False)


def set_version(work: Path, source: Path) -> None:
    for part in VERSION_PARTS:
        target, src = work / part, source / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)


@dataclass
class KillReport:
    kills: int = 0
    finished: int = 0
    old_site: int = 0
    new_site: int = 0
    no_site: int = 0
    leftovers_seen: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.kills} kills ({self.old_site} left the previous site, {self.new_site} the new one, "
                f"{self.no_site} no site yet), {self.finished} builds finished before their kill, "
                f"{self.leftovers_seen} staging leftovers seen")


@dataclass
class KillSetup:
    versions: dict[str, Path]
    references: dict[str, dict[str, Entry]]
    work: Path
    duration: float


def prepare(base: Path) -> KillSetup:
    """Sources of A and B, their clean reference builds, and a working copy built with A."""
    a = copy_sample(base / "A")
    make_version_a(a)
    b = copy_sample(base / "B")
    make_version_a(b)
    make_version_b(b)
    references = {}
    builds = {}
    for name, src in (("A", a), ("B", b)):  # both clean reference builds at once
        ref = base / f"ref-{name}"
        shutil.copytree(src, ref)
        builds[name] = (ref, subprocess.Popen(
            [sys.executable, "-m", "themehub", "build", "--site", str(ref), *BUILD_ARGS, "--no-cache"],
            env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for name, (ref, proc) in builds.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        references[name] = snapshot(ref / "site")
    assert diff_snapshots(references["A"], references["B"], limit=1), "A and B build the same site"
    work = base / "work"
    work.mkdir()
    set_version(work, a)
    assert cli_build(work).returncode == 0
    assert snapshot(work / "site") == references["A"]
    # How long one warm rebuild takes: the kills are spread over that span.
    set_version(work, b)
    started = time.monotonic()
    done = cli_build(work)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert snapshot(work / "site") == references["B"]
    return KillSetup({"A": a, "B": b}, references, work, duration)


def which(site: Mapping[str, Entry], references: Mapping[str, Mapping[str, Entry]]) -> str | None:
    for name, ref in references.items():
        if site == ref:
            return name
    return None


def run_kills(setup: KillSetup, kills: int, seed: int, log: Callable[[str], None] = lambda _: None) -> KillReport:
    rng = random.Random(seed)
    report = KillReport()
    work, out = setup.work, setup.work / "site"
    current = "B"
    while report.kills < kills:
        target = "A" if current == "B" else "B"
        set_version(work, setup.versions[target])
        had_leftovers = bool(staging_leftovers(out))
        delay = rng.uniform(0.02, setup.duration * 0.95)
        proc = subprocess.Popen([sys.executable, "-m", "themehub", "build", "--site", str(work), *BUILD_ARGS],
                                env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the build's own process group (it was started in a new session)
            proc.communicate()
            killed = True
        site = snapshot(out)
        found = which(site, {current: setup.references[current], target: setup.references[target]})
        if killed:
            report.kills += 1
            if found is None:
                report.problems.append(f"kill {report.kills} after {delay:.2f} s ({current} -> {target}): site/ is "
                                       f"neither: {diff_snapshots(setup.references[target], site, limit=5)}")
            elif found == current:
                report.old_site += 1
            else:
                report.new_site += 1
            if staging_leftovers(out):
                report.leftovers_seen += 1
        else:
            report.finished += 1
            if proc.returncode != 0:
                report.problems.append(f"an unkilled build failed ({proc.returncode}): {err.decode()[-500:]}")
            elif found != target:
                report.problems.append(f"a finished build of {target} left {found or 'a mix'}")
            if staging_leftovers(out):
                report.problems.append(f"a finished build left {staging_leftovers(out)} (before: {had_leftovers})")
        log(f"{'kill' if killed else 'done'} {report.kills:4d} after {delay:5.2f} s: {current} -> {target}: "
            f"site is {found or 'BROKEN'}")
        current = found or target
    # The next build that runs to the end removes the leftovers and leaves the complete site.
    final = "A" if current == "B" else "B"
    set_version(work, setup.versions[final])
    done = cli_build(work)
    if done.returncode != 0:
        report.problems.append(f"the build after the kills failed: {done.stderr[-800:]}")
    if staging_leftovers(out):
        report.problems.append(f"leftovers after the final build: {staging_leftovers(out)}")
    if snapshot(out) != setup.references[final]:
        report.problems.append(f"final site differs from {final}: {diff_snapshots(setup.references[final], snapshot(out))}")
    if report.problems:
        # Tell a broken build apart from an engine that changed under a long run (or stopped being deterministic).
        check = work.parent / "reference-check"
        shutil.rmtree(check, ignore_errors=True)
        shutil.copytree(setup.versions["A"], check)
        if cli_build(check, "--no-cache").returncode != 0 or snapshot(check / "site") != setup.references["A"]:
            report.problems.insert(0, "a clean build of A no longer matches its reference: the engine changed during "
                                      "the run, or its output is not deterministic; the results below are suspect")
    return report


@pytest.fixture(scope="module")
def kill_setup(tmp_path_factory: pytest.TempPathFactory) -> KillSetup:
    return prepare(tmp_path_factory.mktemp("kill"))


def test_killed_builds_leave_the_previous_or_the_new_site(kill_setup: KillSetup) -> None:
    report = run_kills(kill_setup, CI_KILLS, CI_SEED)
    print(report.summary())
    assert report.problems == [], report.summary() + "\n" + "\n".join(report.problems[:10])
    assert report.kills == CI_KILLS
    assert report.old_site > 0, "no kill landed before the swap: the harness is not testing anything"


def test_killed_first_build_leaves_no_site_or_a_complete_one(kill_setup: KillSetup, tmp_path: Path) -> None:
    rng = random.Random(CI_SEED + 1)
    for attempt in range(2):
        work = tmp_path / f"first-{attempt}"
        work.mkdir()
        set_version(work, kill_setup.versions["A"])
        # A warm cache (as CI restores it), so the first build is quick; there is no site/ yet.
        shutil.copytree(kill_setup.work / ".themehub-cache", work / ".themehub-cache")
        proc = subprocess.Popen([sys.executable, "-m", "themehub", "build", "--site", str(work), *BUILD_ARGS],
                                env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            proc.wait(timeout=rng.uniform(0.3, kill_setup.duration))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out = work / "site"
        assert not out.exists() or snapshot(out) == kill_setup.references["A"], diff_snapshots(
            kill_setup.references["A"], snapshot(out))
        done = cli_build(work)
        assert done.returncode == 0, done.stderr
        assert staging_leftovers(out) == []
        assert snapshot(out) == kill_setup.references["A"]


def test_a_leftover_staging_folder_is_removed_by_the_next_build(kill_setup: KillSetup, tmp_path: Path) -> None:
    work = tmp_path / "site-root"
    shutil.copytree(kill_setup.work, work)
    leftover = work / ".site.staging-999999"
    (leftover / "articles").mkdir(parents=True)
    (leftover / "articles" / "half.html").write_bytes(b"<html><body>half a pa")
    old = work / ".site.staging-999998-old"
    old.mkdir()
    done = cli_build(work)
    assert done.returncode == 0, done.stderr
    assert staging_leftovers(work / "site") == []
    assert not leftover.exists() and not old.exists()
