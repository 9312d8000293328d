"""Determinism: the same input builds byte-identical output, whatever the time zone, the locale, the hash
seed, the number of workers, the folder the site sits in and the order its files were created in.

Every build runs `python -m themehub build` in a subprocess with its own environment, on its own copy
of the sample hub (a cold cache each time). One pair of builds also makes the search index and
compares site/pagefind/ too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hardening.conftest import AS_OF, Entry, cli_env, diff_snapshots, snapshot
from tests.helpers import copy_sample


def available_locales() -> list[str]:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10, check=False).stdout
    except OSError:
        return []
    return [name for name in out.split() if name]


def other_locale() -> str:
    """A locale unlike C.UTF-8: a real language if one is installed, else POSIX (plain ASCII C)."""
    names = available_locales()
    for preferred in ("de_DE.utf8", "fr_FR.utf8", "tr_TR.utf8", "ja_JP.utf8", "en_US.utf8"):
        if preferred in names:
            return preferred
    real = [n for n in names if n not in ("C", "POSIX", "C.utf8", "C.UTF-8")]
    return real[0] if real else "POSIX"


def copy_reversed(source: Path, target: Path) -> None:
    """The same files, created in reverse order (folders first made in reverse too)."""
    paths = sorted(source.rglob("*"), reverse=True)
    target.mkdir(parents=True)
    for path in paths:
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


@dataclass(frozen=True)
class Variant:
    id: str
    env: Mapping[str, str]
    args: tuple[str, ...] = ()
    reversed_tree: bool = False


BASE_ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
VARIANTS = (
    Variant("again-other-hash-seed", {**BASE_ENV, "PYTHONHASHSEED": "1"}),
    Variant("tz-asia-tokyo", {**BASE_ENV, "TZ": "Asia/Tokyo", "PYTHONHASHSEED": "2"}),
    Variant("tz-america-los-angeles", {**BASE_ENV, "TZ": "America/Los_Angeles", "PYTHONHASHSEED": "3"}),
    Variant("tz-pacific-kiritimati", {**BASE_ENV, "TZ": "Pacific/Kiritimati"}),
    Variant("other-locale", {**BASE_ENV, "LC_ALL": other_locale(), "LANG": other_locale(), "PYTHONHASHSEED": "4"}),
    Variant("files-created-in-reverse", {**BASE_ENV, "PYTHONHASHSEED": "5"}, reversed_tree=True),
    Variant("two-workers", {**BASE_ENV, "PYTHONHASHSEED": "random"}, ("--jobs", "2")),
)


def start_build(root: Path, env: Mapping[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "themehub", "build", "--site", str(root), "--as-of", AS_OF, *args],
        env=cli_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen[str]) -> None:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err + out


def run_parallel(jobs: list[tuple[Path, Mapping[str, str], tuple[str, ...]]], width: int = 2) -> None:
    for i in range(0, len(jobs), width):
        procs = [start_build(root, env, *args) for root, env, args in jobs[i : i + width]]
        for proc in procs:
            finish(proc)


@pytest.fixture(scope="module")
def no_search_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Entry]]:
    base = tmp_path_factory.mktemp("determinism")
    source = copy_sample(base / "source")
    jobs: list[tuple[Path, Mapping[str, str], tuple[str, ...]]] = []
    roots = {}
    for variant in (Variant("reference", BASE_ENV), *VARIANTS):
        root = base / variant.id / "site-root"
        if variant.reversed_tree:
            copy_reversed(source, root)
        else:
            shutil.copytree(source, root)
        roots[variant.id] = root
        jobs.append((root, variant.env, ("--no-search", "--jobs", "1", *variant.args)))
    run_parallel(jobs)
    results = {name: snapshot(root / "site") for name, root in roots.items()}
    # The reference once more, in place, with a warm cache and every source file touched.
    reference = roots["reference"]
    for path in reference.rglob("*"):
        if path.is_file() and "site" not in path.relative_to(reference).parts[:1]:
            os.utime(path)
    run_parallel([(reference, BASE_ENV, ("--no-search", "--jobs", "1"))])
    results["rebuilt-in-place"] = snapshot(reference / "site")
    return results


def test_the_reference_build_is_the_whole_sample_hub(no_search_builds: dict[str, dict[str, Entry]]) -> None:
    reference = no_search_builds["reference"]
    assert "index.html" in reference and "hub.json" in reference and "feed.xml" in reference
    assert sum(1 for rel in reference if rel.endswith(".html")) > 50


@pytest.mark.parametrize("variant", [*(v.id for v in VARIANTS), "rebuilt-in-place"])
def test_build_is_byte_identical(no_search_builds: dict[str, dict[str, Entry]], variant: str) -> None:
    reference, other = no_search_builds["reference"], no_search_builds[variant]
    assert diff_snapshots(reference, other) == [], f"{variant} differs from the reference build"


def test_with_search_including_pagefind(tmp_path: Path) -> None:
    """Two builds with the search index, differing in folder, file order, time zone and locale."""
    a = copy_sample(tmp_path / "a")
    b = tmp_path / "b"
    copy_reversed(a, b)
    procs = [start_build(a, BASE_ENV, "--jobs", "1"),
             start_build(b, {**BASE_ENV, "TZ": "Asia/Tokyo", "LC_ALL": other_locale(), "PYTHONHASHSEED": "9"},
                         "--jobs", "2")]
    for proc in procs:
        finish(proc)
    first, second = snapshot(a / "site"), snapshot(b / "site")
    assert any(rel.startswith("pagefind/") for rel in first), "no search index was built"
    assert [rel for rel in first if rel.startswith("pagefind/")] == [rel for rel in second if rel.startswith("pagefind/")]
    assert diff_snapshots(first, second) == []
