"""`themehub new <kind> <slug> --lang de` starts a translation beside its original, and `themehub report`
shows how much of each theme every language has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import NOW, copy_sample, run_build


def themehub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def test_a_translation_skeleton_holds_the_words_to_translate_and_builds(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    original = (site / "content/articles/data-contracts-in-practice.md").read_text(encoding="utf-8")
    proc = themehub("new", "article", "data-contracts-in-practice", "--lang", "de", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert "created content/articles/data-contracts-in-practice.de.md" in proc.stdout
    made = (site / "content/articles/data-contracts-in-practice.de.md").read_text(encoding="utf-8")
    front, body = made.split("\n---\n", 1)
    # The words a reader sees, to be translated; nothing the translation inherits (themes, authors, date).
    assert 'title: "Data Contracts in Practice"' in front
    assert "summary: " in front and "updated: " in front
    assert "themes:" not in front and "authors:" not in front and "date:" not in front
    assert body.strip() == original.split("\n---\n", 1)[1].strip()  # the body, every word of it
    result = run_build(site, now=NOW)
    assert result.ok, [d for d in result.diagnostics if d.is_error]
    assert (site / "site/de/articles/data-contracts-in-practice/index.html").is_file()


def test_a_theme_skeleton_takes_its_tagline_and_the_label_of_its_call_to_action(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    proc = themehub("new", "service", "data-governance", "--lang", "ja", cwd=site)
    assert proc.returncode == 0, proc.stderr
    made = (site / "content/services/data-governance.ja.md").read_text(encoding="utf-8")
    assert made.startswith('---\ntitle: "Data Governance')
    assert "cta:\n  label: " in made and "url:" not in made  # the label to translate; the address is the original's
    assert "updated:" not in made  # only a dated piece has one
    proc = themehub("new", "theme", "data-trust", "--lang", "ja", cwd=site)
    assert proc.returncode == 0, proc.stderr
    assert 'tagline: "Decisions on solid ground"' in (site / "content/themes/data-trust.ja.md").read_text()
    assert run_build(site, now=NOW).ok


def test_new_lang_never_overwrites_and_names_what_is_wrong(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    existing = site / "content/articles/cloud-unit-cost-model.de.md"
    before = existing.read_bytes()
    proc = themehub("new", "article", "cloud-unit-cost-model", "--lang", "de", cwd=site)
    assert proc.returncode == 1 and "[file-exists]" in proc.stderr
    assert existing.read_bytes() == before
    proc = themehub("new", "article", "cloud-unit-cost-model", "--lang", "fr", cwd=site)
    assert proc.returncode == 1 and "[unknown-language]" in proc.stderr and "choose one of: de, ja" in proc.stderr
    proc = themehub("new", "article", "cloud-unit-cost-modl", "--lang", "de", cwd=site)
    assert proc.returncode == 1 and "[unknown-article]" in proc.stderr and "cloud-unit-cost-model" in proc.stderr
    proc = themehub("new", "article", "cloud-unit-cost-model", "--lang", "de", "--title", "X", cwd=site)
    assert proc.returncode == 2 and "--lang" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (site / "content/articles/cloud-unit-cost-model.fr.md").exists()


def test_report_shows_translations_per_language_and_theme(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    proc = themehub("report", cwd=site)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split("Translations (pieces translated of those published):\n", 1)[1].splitlines()
    assert lines[0].split() == ["Deutsch", "日本語"]
    published = int(proc.stdout.split(" published pieces", 1)[0])  # the report's first line
    translated = len(list((site / "content/articles").rglob("*.de.md")))  # every one is published
    assert lines[1].split() == ["All", "pieces", f"{translated}", "of", f"{published}", f"{translated}", "of",
                                f"{published}"]
    data_trust = next(line.split() for line in lines if line.strip().startswith("Data You Can Trust"))
    assert data_trust[4:6] == ["0", "of"]  # nothing of that theme is translated yet
    result = run_build(site, now=NOW)
    assert result.ok
    report = (site / "site/report/index.html").read_text(encoding="utf-8")
    assert 'id="translations-heading"' in report and f"{translated} of {published}" in report
