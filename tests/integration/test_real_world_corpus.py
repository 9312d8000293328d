"""A hub shaped like the real public blogs themehub must take as they are (tests/fixtures/real_world):
five scripts (Latin, Chinese, Greek, Cyrillic, Devanagari) in file names, titles, tags and headings, a
170-character file name with an alias as long, links written as URLs in every form, an emoji heading,
a text fragment. Clean, it builds with no diagnostic at all; with the faults planted below, `check`
reports exactly those faults, at their lines and columns, no more and no fewer.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, parse_html, run_build
from themehub.check import check

CORPUS = FIXTURES / "real_world"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
LONG = ("department-of-labor-general-services-administration-to-centralize-federal-fleet-"
        "procurement-and-shared-services-for-workforce-programs-announcement-en-espanol")

PLANTED_ARTICLE = """---
title: Planted faults
date: 2026-11-14
authors: [maria-gonzalez]
themes: [cloud-services]
summary: Every link here is wrong in its own way.
tags: [Cloud Costs, 🚀]
---

An author page that does not exist: [Jane Doe](../../authors/jdoe/).
A page that does not exist: [old post](/articles/nope/).
An id guessed with its emoji: [launch](../shared-platform-white-paper/#🚀-launch-plan).
A section of this page that is not there: [below](#no-such-section).
A Greek heading misspelt: [results](/articles/μελέτη-περίπτωσης/#αποτέλεσμα).
The site's own URL, to nobody: [nobody](https://example.gov/insights/authors/nobody/).
A content file that does not exist: [gone](missing-article.md).
A picture that was never uploaded: <img src="/images/chart-2026.png" alt="Spending by quarter">
"""

PLANTED_FILES = {
    "content/articles/planted-faults.md": PLANTED_ARTICLE,
    "content/articles/Budget-Update.md": PLANTED_ARTICLE.replace("Planted faults", "Budget update")
    .replace(", 🚀]", "]").split("An author page")[0],
    "content/articles/old-urls.md": PLANTED_ARTICLE.split("tags:")[0].replace("Planted faults", "Old URLs")
    + "aliases: [/archive/" + "x" * 300 + "/]\n---\n\nMoved.\n",
}


def _where(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of `needle` in `text`: the place a diagnostic must point at."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _expected() -> set[tuple[str, str, int, int]]:
    planted = "content/articles/planted-faults.md"
    found: set[tuple[str, str, int, int]] = set()
    for code, needle in (("broken-link", "../../authors/jdoe/"), ("broken-link", "/articles/nope/"),
                         ("broken-anchor", "../shared-platform-white-paper/#🚀-launch-plan"),
                         ("broken-anchor", "#no-such-section"),
                         ("broken-anchor", "/articles/μελέτη-περίπτωσης/#αποτέλεσμα"),
                         ("broken-link", "https://example.gov/insights/authors/nobody/"),
                         ("broken-link", "missing-article.md")):
        found.add((code, planted, *_where(PLANTED_ARTICLE, needle)))
    found.add(("missing-image", planted, _where(PLANTED_ARTICLE, "/images/chart-2026.png")[0], 1))
    found.add(("bad-tag", planted, *_where(PLANTED_ARTICLE, "[Cloud Costs, 🚀]")))
    found.add(("bad-file-name", "content/articles/Budget-Update.md", 1, 1))
    old = PLANTED_FILES["content/articles/old-urls.md"]
    found.add(("bad-alias", "content/articles/old-urls.md", *_where(old, "/archive/")))
    return found


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(CORPUS, root)
    return root


def test_the_clean_corpus_builds_with_no_diagnostic_at_all(corpus: Path) -> None:
    assert check(corpus, now=NOW) == []
    result = run_build(corpus, now=NOW)
    assert result.ok and result.diagnostics == ()
    site = corpus / "site"
    # A page per script, under its own name; tag pages in every script; the long name and its long alias.
    for slug in ("云计算入门", "μελέτη-περίπτωσης", "отчёт-о-данных", "केस-स्टडी", LONG):
        assert (site / "articles" / slug / "index.html").is_file(), slug
    for tag in ("云计算", "ελληνικά", "открытые-данные", "डिजिटल-सेवाएँ", "cloud-costs"):
        assert (site / "tags" / tag / "index.html").is_file(), tag
    assert (site / "news/2026/11" / LONG / "index.html").is_file()
    # Links in any script are percent-encoded in the page, and lead to the page's folder.
    case = parse_html((site / "articles/platform-migration-case-study/index.html").read_text())
    hrefs = case.hrefs()
    assert "/insights/tags/%E4%BA%91%E8%AE%A1%E7%AE%97/" in hrefs
    assert "/insights/articles/shared-platform-white-paper/#launch-plan" in hrefs
    assert f"/insights/articles/{LONG}/" in hrefs
    # The emoji heading has the id authors link to, as on GitHub.
    paper = parse_html((site / "articles/shared-platform-white-paper/index.html").read_text())
    assert [h.attrs.get("id") for h in paper.find_all("h2")][:2] == ["launch-plan", "whats-next"]


def test_check_reports_exactly_the_planted_faults(corpus: Path) -> None:
    for rel, text in PLANTED_FILES.items():
        (corpus / rel).write_text(text, encoding="utf-8")
    found = {(d.code, d.file, d.line, d.col) for d in check(corpus, now=NOW)}
    expected = _expected()
    assert found - expected == set(), "reported but not planted"
    assert expected - found == set(), "planted but not reported"


def test_a_failed_build_reports_every_error_check_does_in_one_run(corpus: Path) -> None:
    """A file name error stops the build before anything is written, but its run still reports the
    broken links and missing images rendering finds: the author fixes them all in one go."""
    for rel, text in PLANTED_FILES.items():
        (corpus / rel).write_text(text, encoding="utf-8")
    result = run_build(corpus, now=NOW)
    assert not result.ok
    assert not (corpus / "site").exists()
    built = {(d.code, d.file, d.line, d.col) for d in result.diagnostics if d.is_error}
    assert built == {item for item in _expected() if item[0] in ("broken-link", "missing-image", "bad-file-name",
                                                                   "bad-alias")}
