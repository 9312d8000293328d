"""The command line, run as a user runs it: `python -m themehub ...` in a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import all_files, article, copy_sample, hub_pages, internal_link_problems, page

Site = Callable[..., Path]

TYPO_ARTICLE = """\
---
title: Cloud costs on a smarter planet
date: 2026-01-05
themes: [smarter-planit]
authors: [ana-quinn]
---

Body.
"""
PLANET_THEME = "---\ntitle: Smarter Planet\n---\nInstrumented, interconnected, intelligent.\n"


def themehub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "internal error" not in proc.stderr


@pytest.fixture
def typo_site(site: Site) -> Path:
    return site({"content/themes/smarter-planet.md": PLANET_THEME, "content/articles/x.md": TYPO_ARTICLE})


def test_build_the_sample_hub(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    proc = themehub("build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    match = re.search(r"built (\d+) pages", proc.stdout)
    assert match, proc.stdout
    out = root / "site"
    html_pages = hub_pages(out)
    assert int(match.group(1)) == len(html_pages)
    assert page(out, "/insights/").one("a", class_="brand").spoken == "Northwind Insights"


def test_build_misspelt_theme_names_file_line_column_and_fix(typo_site: Path) -> None:
    proc = themehub("build", cwd=typo_site)
    assert proc.returncode == 1
    no_traceback(proc)
    lines = proc.stderr.splitlines()
    expected = "content/articles/x.md:4:10: error: unknown campaign theme 'smarter-planit' [unknown-theme]"
    assert expected in lines, proc.stderr
    assert lines[lines.index(expected) + 1] == "  did you mean 'smarter-planet'?"
    assert "1 error" in proc.stderr
    assert not (typo_site / "site").exists()


def test_check_text(typo_site: Path) -> None:
    proc = themehub("check", cwd=typo_site)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "content/articles/x.md:4:10: error: unknown campaign theme 'smarter-planit' [unknown-theme]" in proc.stderr
    assert not (typo_site / "site").exists(), "check never writes the site"


def test_check_format_github(typo_site: Path) -> None:
    proc = themehub("check", "--format", "github", cwd=typo_site)
    assert proc.returncode == 1
    no_traceback(proc)
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert annotations == [
        "::error file=content/articles/x.md,line=4,col=10,title=unknown-theme::"
        "unknown campaign theme 'smarter-planit'%0Adid you mean 'smarter-planet'?"
    ]


def test_check_format_json(typo_site: Path) -> None:
    proc = themehub("check", "--format", "json", cwd=typo_site)
    assert proc.returncode == 1
    no_traceback(proc)
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    errors = [d for d in data if d["severity"] == "error"]
    assert [(d["file"], d["line"], d["col"], d["code"]) for d in errors] == [
        ("content/articles/x.md", 4, 10, "unknown-theme")]
    assert errors[0]["hint"] == "did you mean 'smarter-planet'?"
    assert errors[0]["message"] == "unknown campaign theme 'smarter-planit'"


def test_check_json_of_a_site_without_errors(site: Site) -> None:
    proc = themehub("check", "--format", "json", "--site", str(site()), cwd=Path.cwd())
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    assert [d for d in data if d["severity"] == "error"] == []


def test_check_passes_on_the_sample_hub(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    proc = themehub("check", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "check passed" in proc.stdout
    assert not (root / "site").exists()


def test_strict_fails_on_warnings(site: Site) -> None:
    root = site({"content/articles/img.md": article("Img", body="![](/images/logo.svg)")})
    assert themehub("check", cwd=root).returncode == 0
    strict = themehub("check", "--strict", cwd=root)
    assert strict.returncode == 1
    assert "[missing-alt]" in strict.stderr
    assert themehub("build", "--strict", cwd=root).returncode == 1
    assert not (root / "site").exists()


@pytest.mark.parametrize("args", [["build", "--frobnicate"], ["check", "--format", "xml"], ["publish"], [],
                                  ["build", "--jobs", "many"]])
def test_wrong_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    proc = themehub(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
    no_traceback(proc)


def test_missing_config_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    for command in ("build", "check"):
        proc = themehub(command, cwd=tmp_path)
        assert proc.returncode == 1, command
        no_traceback(proc)
        assert "themehub.yaml" in proc.stderr
        assert "[no-config]" in proc.stderr
        assert "themehub init" in proc.stderr


def test_config_error_names_the_key_and_line(site: Site) -> None:
    root = site({"themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\npaginat: 2\n"})
    proc = themehub("build", cwd=root)
    assert proc.returncode == 1
    no_traceback(proc)
    lines = proc.stderr.splitlines()
    (line,) = [x for x in lines if "[unknown-key]" in x]
    assert line.startswith("themehub.yaml:3:1: error: ")
    assert "'paginat'" in line
    assert lines[lines.index(line) + 1] == "  did you mean 'paginate'?"


def test_broken_content_never_prints_a_traceback(site: Site) -> None:
    root = site({
        "content/articles/binary.md": b"\x89PNG\r\n\x1a\n\x00\x00",
        "content/articles/yaml.md": "---\ntitle: [unclosed\n---\n",
        "content/themes/loop.md": "---\ntitle: Loop\nparent: loop\n---\n",
        "content/authors/nobody.md": "---\n- just\n- a list\n---\n",
    })
    proc = themehub("build", cwd=root)
    assert proc.returncode == 1
    no_traceback(proc)
    for name in ("binary.md", "yaml.md", "loop.md", "nobody.md"):
        assert name in proc.stderr


def test_init_makes_a_site_that_builds(tmp_path: Path) -> None:
    proc = themehub("init", "newhub", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    root = tmp_path / "newhub"
    assert (root / "themehub.yaml").is_file()
    build = themehub("build", "--site", str(root), cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert internal_link_problems(root / "site") == []


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    proc = themehub("init", "busy", cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_new_article_is_valid_and_never_overwrites(site: Site) -> None:
    root = site()
    proc = themehub("new", "article", "fresh-thinking", "--title", "Fresh: Thinking", "--theme", "finops",
                    "--author", "ben-okoro", cwd=root)
    assert proc.returncode == 0, proc.stderr
    created = root / "content/articles/fresh-thinking.md"
    assert created.is_file()
    before = created.read_bytes()
    check = themehub("check", "--drafts", cwd=root)
    assert check.returncode == 0, check.stderr
    build = themehub("build", "--drafts", cwd=root)
    assert build.returncode == 0, build.stderr
    doc = page(root / "site", "/insights/articles/fresh-thinking/")
    assert doc.one("h1").text == "Fresh: Thinking"
    assert "/insights/authors/ben-okoro/" in doc.hrefs()

    again = themehub("new", "article", "fresh-thinking", cwd=root)
    assert again.returncode == 1
    no_traceback(again)
    assert created.read_bytes() == before


def test_new_with_a_misspelt_theme_suggests_the_nearest(site: Site) -> None:
    root = site()
    proc = themehub("new", "article", "x", "--theme", "finop", cwd=root)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "did you mean 'finops'?" in proc.stderr
    assert not (root / "content/articles/x.md").exists()


def test_build_out_option_and_rebuild_keeps_unchanged_files(site: Site, tmp_path: Path) -> None:
    root = site()
    out = tmp_path / "public"
    first = themehub("build", "--out", str(out), "--jobs", "1", cwd=root)
    assert first.returncode == 0, first.stderr
    before = all_files(out)
    second = themehub("build", "--out", str(out), "--jobs", "1", cwd=root)
    assert second.returncode == 0, second.stderr
    assert re.search(r"\b0 written\b", second.stdout), second.stdout
    assert all_files(out) == before
    assert not (root / "site").exists()


def test_version(tmp_path: Path) -> None:
    proc = themehub("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert re.fullmatch(r"themehub \d+\.\d+\S*\n", proc.stdout)
