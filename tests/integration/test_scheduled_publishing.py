"""Scheduled publishing and previews as a marketer meets them: `themehub build` says what goes live next
(and `--as-of` shows the day it does), `themehub report` and /report/ list everything scheduled, and
`build --noindex` keeps a preview out of search engines while a build without it is unchanged."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import article, make_site, tree

LAUNCH = article("Cloud Bills Explained", date="2026-09-15T09:00:00Z", themes="[finops]")
SUNSET = article("Old Pricing Guide", date="2026-01-05", extra="expires: 2026-12-01")
DRAFT = article("Still Writing", date="2026-08-01", extra="draft: true")
EVENT = """\
---
title: "FinOps, live"
date: 2026-10-08T16:00:00Z
end: 2026-10-08T17:00:00Z
themes: [finops]
---

A round table.
"""


def themehub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "hub", {
        "content/articles/cloud-bills-explained.md": LAUNCH,
        "content/articles/old-pricing-guide.md": SUNSET,
        "content/articles/still-writing.md": DRAFT,
        "content/events/finops-live.md": EVENT,
    })


def scheduled_line(stdout: str) -> str | None:
    return next((line for line in stdout.splitlines() if line.startswith("next scheduled:")), None)


def test_build_says_what_goes_live_next_and_as_of_shows_the_day_it_does(site: Path) -> None:
    before = themehub("build", "--no-search", "--as-of", "2026-09-01", cwd=site)
    assert before.returncode == 0, before.stderr
    lines = before.stdout.splitlines()
    assert lines[0].startswith("built ")
    assert lines[1] == ('next scheduled: 2026-09-15 09:00 UTC "Cloud Bills Explained" '
                        "(content/articles/cloud-bills-explained.md) goes live; 3 scheduled in all")
    assert not (site / "site/articles/cloud-bills-explained").exists()
    assert not (site / "site/articles/still-writing").exists()  # a draft is never scheduled

    after = themehub("build", "--no-search", "--as-of", "2026-09-15", cwd=site)
    assert after.returncode == 0, after.stderr
    assert (site / "site/articles/cloud-bills-explained/index.html").is_file()
    assert scheduled_line(after.stdout) == ('next scheduled: 2026-10-08 17:00 UTC "FinOps, live" '
                                            "(content/events/finops-live.md) leaves listings; 2 scheduled in all")

    expiring = themehub("build", "--no-search", "--as-of", "2026-11-01", cwd=site)
    assert scheduled_line(expiring.stdout) == ('next scheduled: 2026-12-01 00:00 UTC "Old Pricing Guide" '
                                               "(content/articles/old-pricing-guide.md) expires; 1 scheduled in all")


def test_build_prints_nothing_more_when_nothing_is_scheduled(site: Path) -> None:
    done = themehub("build", "--no-search", "--as-of", "2027-01-01", cwd=site)
    assert done.returncode == 0, done.stderr
    assert scheduled_line(done.stdout) is None
    assert len(done.stdout.strip().splitlines()) == 1


def test_a_drafts_build_schedules_no_go_live(site: Path) -> None:
    drafts = themehub("build", "--no-search", "--drafts", "--as-of", "2026-09-01", cwd=site)
    assert drafts.returncode == 0, drafts.stderr
    assert (site / "site/articles/cloud-bills-explained/index.html").is_file()  # shown already
    assert scheduled_line(drafts.stdout) == ('next scheduled: 2026-10-08 17:00 UTC "FinOps, live" '
                                             "(content/events/finops-live.md) leaves listings; 2 scheduled in all")


def test_report_lists_what_is_scheduled_soonest_first(site: Path) -> None:
    proc = themehub("report", "--as-of", "2026-09-01", cwd=site)
    assert proc.returncode == 0, proc.stderr
    section = proc.stdout.split("Scheduled (soonest first):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [re.split(r"\s{2,}", line.strip()) for line in section] == [
        ["2026-09-15 09:00 UTC", "goes live", "Cloud Bills Explained", "(content/articles/cloud-bills-explained.md)"],
        ["2026-10-08 17:00 UTC", "leaves listings", "FinOps, live", "(content/events/finops-live.md)"],
        ["2026-12-01 00:00 UTC", "expires", "Old Pricing Guide", "(content/articles/old-pricing-guide.md)"],
    ]
    later = themehub("report", "--as-of", "2027-01-01", cwd=site)
    assert "Scheduled (soonest first):\n  nothing: no piece goes live or expires by itself\n" in later.stdout


def test_the_published_report_page_lists_the_schedule(site: Path) -> None:
    assert themehub("build", "--no-search", "--as-of", "2026-09-01", cwd=site).returncode == 0
    html = (site / "site/report/index.html").read_text()
    section = html.split('id="scheduled-heading"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr><td><time datetime=\"[^\"]+\">([^<]+)</time></td><th scope=\"row\">([^<]+)</th>"
                      r"<td><code>([^<]+)</code></td><td>([^<]+)</td></tr>", section)
    assert rows == [
        ("2026-09-15 09:00 UTC", "Cloud Bills Explained", "content/articles/cloud-bills-explained.md", "goes live"),
        ("2026-10-08 17:00 UTC", "FinOps, live", "content/events/finops-live.md", "leaves listings"),
        ("2026-12-01 00:00 UTC", "Old Pricing Guide", "content/articles/old-pricing-guide.md",
         "expires (leaves listings)"),
    ]


NOINDEX = '<meta name="robots" content="noindex">'


def html_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def test_noindex_marks_every_page_and_robots_txt_disallows_all(site: Path, tmp_path: Path) -> None:
    preview = tmp_path / "preview"
    built = themehub("build", "--no-search", "--as-of", "2026-09-01", "--drafts", "--noindex",
                     "--base-url", "https://example.github.io/hub/previews/pr-7/", "--out", str(preview), cwd=site)
    assert built.returncode == 0, built.stderr
    pages = html_pages(preview)
    assert "articles/still-writing/index.html" in pages  # --drafts
    assert len(pages) > 20
    for rel, html in pages.items():
        head = html.split("</head>", 1)[0]
        assert head.count(NOINDEX) == 1, rel
    assert 'href="/hub/previews/pr-7/articles/still-writing/"' in pages["index.html"]
    assert (preview / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_without_noindex_only_the_report_and_404_and_redirects_carry_it(site: Path, tmp_path: Path) -> None:
    built = themehub("build", "--no-search", "--as-of", "2026-09-01", cwd=site)
    assert built.returncode == 0, built.stderr
    out = site / "site"
    marked = sorted(rel for rel, html in html_pages(out).items() if NOINDEX in html)
    assert marked == ["404.html", "report/index.html"]
    robots = (out / "robots.txt").read_text()
    assert robots.startswith("User-agent: *\nAllow: /\n") and "Disallow" not in robots


def test_a_build_without_noindex_is_byte_identical_after_a_noindex_build(site: Path, tmp_path: Path) -> None:
    """The flag is part of what the cache remembers: a later plain build is the plain build, byte for byte."""
    plain = tmp_path / "plain"
    assert themehub("build", "--no-search", "--as-of", "2026-09-01", "--no-cache", "--out", str(plain),
                    cwd=site).returncode == 0
    assert themehub("build", "--no-search", "--as-of", "2026-09-01", "--noindex", cwd=site).returncode == 0
    assert themehub("build", "--no-search", "--as-of", "2026-09-01", cwd=site).returncode == 0
    assert tree(site / "site") == tree(plain)
