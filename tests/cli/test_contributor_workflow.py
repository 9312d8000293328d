"""The contributor workflow end to end: init, build and check a fresh hub; SARIF for code scanning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def themehub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", *args], cwd=cwd, capture_output=True, text=True)


def test_init_then_build_then_check_on_a_fresh_folder(tmp_path: Path) -> None:
    hub = tmp_path / "new-hub"
    made = themehub("init", str(hub), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (hub / ".github/workflows/check.yml").read_text().count("themehub check --format github") == 1
    assert "deploy-pages" in (hub / ".github/workflows/deploy.yml").read_text()
    built = themehub("build", "--no-search", cwd=hub)
    assert built.returncode == 0, built.stderr
    assert (hub / "site/index.html").is_file()
    checked = themehub("check", "--as-of", "2026-11-20", cwd=hub)
    assert checked.returncode == 0, checked.stderr
    assert "check passed: 0 errors" in checked.stdout
    again = themehub("init", str(hub), cwd=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr


def test_sarif_output_is_sarif_2_1_0_with_located_results(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    assert themehub("init", str(hub), cwd=tmp_path).returncode == 0
    article = hub / "content/articles/cloud-unit-cost-model.md"
    article.write_text(article.read_text().replace("themes: [", "themes: [smarter-planit, ", 1))
    done = themehub("check", "--format", "sarif", cwd=hub)
    assert done.returncode == 1
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    result = next(r for r in run["results"] if r["ruleId"] == "unknown-theme")
    assert result["level"] == "error" and rules[result["ruleIndex"]] == "unknown-theme"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/articles/cloud-unit-cost-model.md"
    line = article.read_text().split("\n")[location["region"]["startLine"] - 1]
    assert line.startswith("themes: [smarter-planit")
    assert line[location["region"]["startColumn"] - 1:].startswith("smarter-planit")
    assert "did you mean 'smarter-planet'" not in result["message"]["text"]  # the hint names a real theme
    assert "did you mean" in result["message"]["text"] or "known values" in result["message"]["text"]
