"""Two builds of one site at once: the second waits for the first (a lock in the cache folder), no build
deletes a staging folder another live build is writing, and no path ends in an internal error."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.conftest import cli_env, make_mini_hub, run_cli, staging_leftovers
from themehub.output.lock import build_lock
from themehub.output.writer import BackgroundIO


def _build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "themehub", "build", "--site", str(root), "--no-search", "--as-of", "2026-11-23"]


def test_two_builds_started_together_both_succeed_and_leave_a_whole_site(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub")
    for _ in range(3):
        procs = [subprocess.Popen(_build_command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=cli_env()) for _ in range(2)]
        outputs = [proc.communicate(timeout=120) for proc in procs]
        for proc, (_, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, err
            assert "internal error" not in err and "Traceback" not in err
        assert staging_leftovers(root / "site") == []
        assert (root / "site/articles/cloud-basics/index.html").is_file()
        assert (root / "site/index.html").is_file()


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub")
    log = tmp_path / "stderr.txt"
    with build_lock(root / ".themehub-cache", lambda message: None), log.open("w") as err:
        proc = subprocess.Popen(_build_command(root), stdout=subprocess.DEVNULL, stderr=err, env=cli_env())
        deadline = time.monotonic() + 30
        while "waiting for another build" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.05)
        assert "waiting for another build of this site (process " in log.read_text()
        time.sleep(0.3)
        assert proc.poll() is None, "the build did not wait for the lock"
        assert not (root / "site").exists()
    assert proc.wait(timeout=120) == 0, log.read_text()
    assert (root / "site/index.html").is_file()


def test_a_build_never_deletes_the_staging_folder_of_a_live_build(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub")
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        live = root / f".site.staging-{sleeper.pid}"
        (live / "articles").mkdir(parents=True)
        (live / "articles" / "half-written.html").write_text("another build is writing this")
        dead = root / ".site.staging-999999"  # above the kernel's default pid_max: never a live process
        dead.mkdir()
        done = run_cli("build", "--site", str(root), "--no-search", "--as-of", "2026-11-23")
        assert done.returncode == 0, done.stderr
        assert (live / "articles" / "half-written.html").read_text() == "another build is writing this"
        assert not dead.exists(), "a folder left by a build that is gone is removed"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failed_background_call_is_raised_once_and_nothing_recurses() -> None:
    """A FileNotFoundError in the writer's thread used to recurse between `_send` and `flush`."""
    io = BackgroundIO()

    def fail() -> None:
        raise FileNotFoundError(2, "No such file or directory", "/gone")

    io.submit(fail)
    with pytest.raises(FileNotFoundError):
        for _ in range(10_000):  # more than a batch: the failure surfaces while submitting
            io.submit(lambda: None)
            time.sleep(0)
        io.flush()
    io.flush()  # raised once; the thread is gone and nothing is left to raise


def test_a_cache_without_its_marker_is_rebuilt_silently(tmp_path: Path) -> None:
    """`serve` before the first build (or a failed build) left .themehub-cache/ without FORMAT, and every
    later `build --strict` failed on a cache-ignored warning."""
    root = make_mini_hub(tmp_path / "hub")
    (root / ".themehub-cache" / "images").mkdir(parents=True)
    (root / ".themehub-cache" / "images" / "share-0.png").write_bytes(b"half")
    done = run_cli("build", "--site", str(root), "--no-search", "--strict", "--as-of", "2026-11-23")
    assert done.returncode == 0, done.stderr
    assert "cache-ignored" not in done.stderr
    assert not (root / ".themehub-cache/images/share-0.png").exists()


def test_a_folder_that_is_not_a_themehub_cache_is_left_alone_with_a_warning(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub")
    (root / ".themehub-cache").mkdir()
    (root / ".themehub-cache" / "notes.txt").write_text("mine")
    done = run_cli("build", "--site", str(root), "--no-search", "--as-of", "2026-11-23")
    assert done.returncode == 0, done.stderr
    assert "cache-ignored" in done.stderr and "notes.txt" in done.stderr
    assert (root / ".themehub-cache" / "notes.txt").read_text() == "mine"


def test_a_build_after_serve_finds_a_cache_of_its_own(tmp_path: Path) -> None:
    """The preview writes images into the cache: it makes the cache whole (with its marker) first."""
    from themehub.serve.server import Preview

    root = make_mini_hub(tmp_path / "hub")
    preview = Preview(root)
    assert not [d for d in preview.rebuild() if d.is_error]
    assert (root / ".themehub-cache" / "FORMAT").is_file()
    done = run_cli("build", "--site", str(root), "--no-search", "--strict", "--as-of", "2026-11-23")
    assert done.returncode == 0, done.stderr
