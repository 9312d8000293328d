"""Dangerous output settings: every one refused with `dangerous-output` and exit 1, and every sentinel
file survives — set with `output:` in themehub.yaml (in-process build) and with `--out` (command line).

Safety net: these builds must stop at the output check, so the check the build calls is wrapped: when it
lets a setting through, the wrapper stops the build right there, before anything is written (in-process
with monkeypatch; on the command line through a tiny wrapper around `themehub.cli.main`), and
`shutil.rmtree` refuses every path outside the test's temporary folder. A regression then fails the
test instead of, say, emptying the temporary HOME (or `/`). HOME always points into the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import themehub.build
from tests.hardening.conftest import (
    AS_OF,
    build_in_process,
    cli_env,
    errors_of,
    make_mini_hub,
    run_cli,
    show,
    snapshot,
)
from themehub.diagnostics import Diagnostic

GUARD_EXIT = 97
GUARDED_CLI = (
    "import os, shutil, sys\n"
    "import themehub.build\n"
    "check = themehub.build.check_output_dir\n"
    "def guard(root, out, **kwargs):\n"
    "    problems = check(root, out, **kwargs)\n"
    "    if not any(d.code == 'dangerous-output' for d in problems):\n"
    "        print(f'GUARD: the output check let {out} through', file=sys.stderr)\n"
    f"        sys.exit({GUARD_EXIT})\n"
    "    return problems\n"
    "themehub.build.check_output_dir = guard\n"
    "rmtree, fence = shutil.rmtree, os.environ['HARDENING_FENCE']\n"
    "def fenced_rmtree(path, *args, **kwargs):\n"
    "    if not os.path.realpath(path).startswith(fence + os.sep):\n"
    "        print(f'GUARD: rmtree({path}) outside the test folder', file=sys.stderr)\n"
    f"        os._exit({GUARD_EXIT})\n"
    "    return rmtree(path, *args, **kwargs)\n"
    "shutil.rmtree = fenced_rmtree\n"
    "from themehub.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@dataclass
class World:
    """A temporary world: HOME, a parent folder, and the site inside it, each with sentinel files."""

    top: Path
    home: Path
    site: Path

    def sentinels(self) -> dict[str, object]:
        return {
            "home": snapshot(self.home),
            "site": {k: v for k, v in snapshot(self.site).items() if not k.startswith((".themehub-cache", "site"))},
            "top": {k: v for k, v in snapshot(self.top).items() if not k.startswith(("world/site/", "home/"))},
        }


def make_world(base: Path) -> World:
    top = base / "top"
    home = top / "home" / "user"
    home.mkdir(parents=True)
    (home / "precious.txt").write_text("my thesis\n")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_ed25519").write_text("PRIVATE KEY\n")
    (top / "home" / "other-user.txt").write_text("someone else\n")
    (top / "parent-sentinel.txt").write_text("beside the site\n")
    site = make_mini_hub(top / "world" / "site")
    (site / "sentinel.txt").write_text("site root\n")
    (site / "themes" / "brand" / "templates").mkdir(parents=True)
    (site / "themes" / "brand" / "templates" / "keep.html").write_text("{# keep #}\n")
    (site / "content" / "keep.txt").write_text("content sentinel\n")
    (site / "static" / "keep.txt").write_text("static sentinel\n")
    (site / "repo-out" / ".git").mkdir(parents=True)
    (site / "repo-out" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (site / "repo-out" / "README.md").write_text("a checkout\n")
    (site / "worktree-out").mkdir()
    (site / "worktree-out" / ".git").write_text("gitdir: ../.git/worktrees/x\n")
    (site / "foreign").mkdir()
    (site / "foreign" / "report.docx").write_text("not ours\n")
    (site / "a-file").write_text("a file, not a folder\n")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (site / ".git" / "objects").mkdir()
    (site / "into-content").symlink_to("content")
    return World(top, home, site)


# (id, the output setting; {site}, {top} and {home} are filled in, whether --force is also given)
DANGEROUS: tuple[tuple[str, str, bool], ...] = (
    ("dot", ".", False),
    ("dot-slash", "./", False),
    ("dot-dot", "..", False),
    ("site-then-up", "site/..", False),
    ("content", "content", False),
    ("content-subfolder", "content/articles/out", False),
    ("themes", "themes", False),
    ("themes-subfolder", "themes/brand", False),
    ("static", "static", False),
    ("static-via-dot-dot", "static/../content", False),
    ("symlink-into-content", "into-content", False),
    ("tilde", "~", False),
    ("tilde-slash", "~/", False),
    ("home-absolute", "{home}", False),
    ("root", "/", False),
    ("parent-of-the-site", "{top}", False),
    ("two-levels-up", "../..", False),
    ("folder-holding-a-git-folder", "repo-out", False),
    ("folder-holding-a-git-folder-forced", "repo-out", True),
    ("folder-holding-a-git-file", "worktree-out", False),
    ("non-empty-foreign-folder", "foreign", False),
    ("a-file", "a-file", False),
    ("the-config-file", "themehub.yaml", False),
    ("the-sites-git-folder-forced", ".git", True),
    ("a-parent-of-home-forced", "{top}/home", True),
)


def _setting(template: str, world: World) -> str:
    return template.format(site=world.site, top=world.top, home=world.home)


class GuardError(AssertionError):
    pass


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_world(tmp_path)
    monkeypatch.setenv("HOME", str(w.home))
    fence = str(tmp_path.resolve())
    rmtree = shutil.rmtree

    def fenced_rmtree(path: object, *args: object, **kwargs: object) -> None:
        if not os.path.realpath(str(path)).startswith(fence + os.sep):
            raise GuardError(f"rmtree({path}) outside the test folder")
        rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "rmtree", fenced_rmtree)
    return w


def guarded_env(world: World) -> dict[str, str]:
    return cli_env(HOME=str(world.home), HARDENING_FENCE=os.path.realpath(world.top.parent))


def test_there_are_at_least_10_dangerous_settings() -> None:
    assert len(DANGEROUS) >= 10


@pytest.mark.parametrize(("setting", "force"), [d[1:] for d in DANGEROUS], ids=[d[0] for d in DANGEROUS])
def test_output_setting_in_themehub_yaml_is_refused(world: World, monkeypatch: pytest.MonkeyPatch, setting: str,
                                                    force: bool) -> None:
    value = _setting(setting, world)
    (world.site / "themehub.yaml").write_text(
        f"title: Hub\nbase_url: https://example.com/insights/\noutput: '{value}'\n")
    before = world.sentinels()
    check = themehub.build.check_output_dir

    def guard(root: Path, out: Path, **kwargs: object) -> list[Diagnostic]:
        problems = check(root, out, **kwargs)  # type: ignore[arg-type]
        if not any(d.code == "dangerous-output" for d in problems):
            raise GuardError(f"output {value!r} was accepted (resolved to {out}); the build was stopped there")
        return problems

    monkeypatch.setattr(themehub.build, "check_output_dir", guard)
    monkeypatch.chdir(world.site)
    result = build_in_process(world.site, force=force)
    assert not result.ok
    assert [d.code for d in errors_of(result.diagnostics)] == ["dangerous-output"], show(result.diagnostics)
    assert world.sentinels() == before


@pytest.mark.parametrize(("setting", "force"), [d[1:] for d in DANGEROUS], ids=[d[0] for d in DANGEROUS])
def test_out_option_is_refused(world: World, setting: str, force: bool) -> None:
    value = _setting(setting, world)
    before = world.sentinels()
    args = ["build", "--site", str(world.site), "--out", value, "--no-search", "--jobs", "1", "--as-of", AS_OF]
    done = subprocess.run([sys.executable, "-c", GUARDED_CLI, *args, *(["--force"] if force else [])],
                          cwd=world.site, env=guarded_env(world), capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode != GUARD_EXIT, f"--out {value!r} was accepted:\n{done.stderr}"
    assert done.returncode == 1, done.stderr
    assert "[dangerous-output]" in done.stderr
    assert "Traceback" not in done.stderr
    assert world.sentinels() == before


def test_guard_wrapper_really_runs_the_cli(world: World) -> None:
    """The wrapper above is `themehub build`: a safe output gets as far as the (guarded) writer."""
    done = subprocess.run([sys.executable, "-c", GUARDED_CLI, "build", "--site", str(world.site), "--out", "fresh",
                           "--no-search", "--as-of", AS_OF], cwd=world.site, env=guarded_env(world),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == GUARD_EXIT, done.stderr


def test_force_replaces_a_foreign_non_empty_folder(world: World) -> None:
    foreign = world.site / "foreign"
    done = run_cli("build", "--site", str(world.site), "--out", "foreign", "--no-search", "--as-of", AS_OF,
                   cwd=world.site, env=cli_env(HOME=str(world.home)))
    assert done.returncode == 1 and "[dangerous-output]" in done.stderr
    assert (foreign / "report.docx").read_text() == "not ours\n"
    before = world.sentinels()
    done = run_cli("build", "--site", str(world.site), "--out", "foreign", "--force", "--no-search", "--as-of", AS_OF,
                   cwd=world.site, env=cli_env(HOME=str(world.home)))
    assert done.returncode == 0, done.stderr
    assert not (foreign / "report.docx").exists()
    assert (foreign / "index.html").is_file()
    assert (foreign / ".themehub-output").is_file()
    # Nothing else moved: every other sentinel is where it was.
    after = world.sentinels()
    assert after["home"] == before["home"]
    assert after["top"] == before["top"]
    site_before = {k: v for k, v in before["site"].items() if not k.startswith("foreign")}  # type: ignore[union-attr]
    site_after = {k: v for k, v in after["site"].items() if not k.startswith("foreign")}  # type: ignore[union-attr]
    assert site_after == site_before
    # Once themehub owns it, a rebuild needs no --force.
    done = run_cli("build", "--site", str(world.site), "--out", "foreign", "--no-search", "--as-of", AS_OF,
                   cwd=world.site, env=cli_env(HOME=str(world.home)))
    assert done.returncode == 0, done.stderr


def test_an_empty_folder_is_fine_without_force(world: World) -> None:
    (world.site / "empty-out").mkdir()
    done = run_cli("build", "--site", str(world.site), "--out", "empty-out", "--no-search", "--as-of", AS_OF,
                   cwd=world.site, env=cli_env(HOME=str(world.home)))
    assert done.returncode == 0, done.stderr
    assert (world.site / "empty-out" / "index.html").is_file()

