"""A cache committed to the repository is never used: it could come from a pull request.

The markdown cache holds rendered, already sanitized HTML that a build places as it is. A pull request
that commits a `.themehub-cache/` of its own making would otherwise put a script into the published
site without any markdown of it passing the sanitizer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import all_files, codes, make_site, run_build
from themehub.incremental.records import PackedRecords

POISON = '<p>POISONED</p><script>alert("from the cache")</script>'


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    *args], cwd=cwd, check=True, capture_output=True)


def poison(cache: Path) -> int:
    """Every rendered body in the cache, as converted and with its links resolved, replaced by the
    attacker's HTML; the number replaced."""
    replaced = 0
    for name in ("markdown.jsonl", "links.jsonl"):  # both keep their HTML as the lines' tails
        path = cache / name
        pack = PackedRecords(path)
        for key in list(pack.lines):
            record = pack.get(key)
            assert record is not None
            record.pop("key")
            pack.put(key, {**record, "html": POISON}, tail="html")
            replaced += 1
        path.unlink()  # written again whole, with only the poisoned records
        pack.save()
    return replaced


def poisoned_pages(out: Path) -> list[str]:
    return [rel for rel, data in all_files(out).items() if b"POISONED" in data]


def test_a_committed_cache_is_not_used_and_the_warning_says_how_to_remove_it(tmp_path: Path) -> None:
    author = make_site(tmp_path / "author")
    assert run_build(author).ok
    assert poison(author / ".themehub-cache") > 0
    git(author, "init", "-q")
    git(author, "add", "-A")
    git(author, "add", "-f", ".themehub-cache")  # past .gitignore, as a pull request can
    git(author, "commit", "-q", "-m", "articles, and a cache")

    ci = tmp_path / "ci"  # what CI builds: a fresh clone, the committed cache in it
    git(tmp_path, "clone", "-q", str(author), str(ci))
    assert (ci / ".themehub-cache" / "markdown.jsonl").read_bytes().count(b"POISONED") > 0

    result = run_build(ci)
    assert result.ok
    assert poisoned_pages(ci / "site") == []
    assert "cache-committed" in codes(result.diagnostics)
    warning = next(d for d in result.diagnostics if d.code == "cache-committed")
    assert "git rm -r --cached .themehub-cache" in warning.hint
    page = (ci / "site" / "articles" / "cloud-basics" / "index.html").read_text(encoding="utf-8")
    assert "Cloud bills are metered." in page and "Mostly compute." in page  # rendered from the markdown
    # `check`, which CI runs on the pull request, says so too, at the cache's file.
    checked = subprocess.run([sys.executable, "-m", "themehub", "check", "--site", str(ci), "--format", "github"],
                             capture_output=True, text=True, check=False)
    assert "::warning file=.themehub-cache/" in checked.stdout and "cache-committed" in checked.stdout
    # Left as it is: the build neither used nor rewrote it.
    assert (ci / ".themehub-cache" / "markdown.jsonl").read_bytes().count(b"POISONED") > 0

    # The attack is real: once git no longer tracks the same files, the cache is trusted (a local cache is
    # the author's own) and the poisoned bodies reach the pages. Without the guard, the first build did this.
    git(ci, "rm", "-r", "-q", "--cached", ".themehub-cache")
    # Without the site the first build made (clean, the cache unused), every page is rendered from the
    # cache's bodies; with it, the cache's page table would say nothing changed and keep those pages.
    shutil.rmtree(ci / "site")
    trusted = run_build(ci)
    assert "cache-committed" not in codes(trusted.diagnostics)
    assert poisoned_pages(ci / "site")


def test_a_site_outside_any_repository_keeps_its_cache(tmp_path: Path) -> None:
    site = make_site(tmp_path / "plain")
    assert run_build(site).ok
    again = run_build(site)
    assert "cache-committed" not in codes(again.diagnostics)
    assert again.rendered == ()  # every page reused from the cache
