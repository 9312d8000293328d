"""`themehub import`, end to end as a user runs it: a WordPress export, a Hugo site and a Jekyll site
(hand-written fixtures in tests/fixtures/import/) become hubs that `themehub check` passes with no
error and `themehub build` builds, with every old address redirected, pictures in place, links between
posts rewritten; --dry-run writes nothing, nothing is overwritten without --overwrite, and an import
into an existing hub goes into a folder of its own."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.cli.test_cli import no_traceback, themehub
from tests.helpers import FIXTURES, copy_sample, tree

HUGO = FIXTURES / "import" / "hugo" / "blog"


def imported(fmt: str, source: Path, out: Path, *extra: str) -> str:
    proc = themehub("import", fmt, str(source), "--out", str(out), *extra, cwd=out.parent)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def checked_and_built(site: Path) -> Path:
    """`check` finds no error (warnings are the hub's own: themes without services and the like), and
    `build` writes the site."""
    checked = themehub("check", "--site", str(site), cwd=site)
    no_traceback(checked)
    assert checked.returncode == 0 and ": error:" not in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    built = themehub("build", "--site", str(site), "--no-search", cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    return site / "site"


def html(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def redirects_to(out: Path, old: str) -> str:
    """Where the redirect page at the old address `old` sends the reader."""
    match = re.search(r'<link rel="canonical" href="([^"]+)"', html(out, old.strip("/")))
    assert match, f"no redirect page at {old}"
    return match[1]


# ------------------------------------------------------------------------------------------------ hugo


@pytest.fixture(scope="module")
def hugo_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("hugo") / "hub"
    return out, imported("hugo", HUGO, out)


def test_a_hugo_site_becomes_a_hub_that_checks_and_builds(hugo_hub: tuple[Path, str]) -> None:
    hub, printed = hugo_hub
    assert "posts: 6 articles (4 published, 1 scheduled, 1 drafts), 3 pages" in printed
    assert "campaign themes: Cloud Economics (2), Security (1)" in printed
    site = checked_and_built(hub)
    post = html(site, "articles/cloud-costs")
    assert "Cloud costs: the 3.10 rule" in post  # a TOML title that YAML would have read as a number
    assert "<p>Intro text.</p>" in post and "Println" in post  # the body, and a highlight shortcode as code
    assert "{{&lt; notice warning &gt;}}" in post or "{{< notice warning >}}" in post  # kept verbatim
    # the page bundle's pictures copied below static/images/imported/ and shown from there
    assert re.search(r'<img alt="A chart" loading="lazy" src="/blog/images/_generated/chart-[0-9a-f]+\.png"', post)
    assert (hub / "static" / "images" / "imported" / "chart.png").is_file()
    # Hugo's permalink (/:year/:month/:slug/), its aliases and a `url:` redirect to the new pages
    assert redirects_to(site, "/2019/05/cloud-costs/").endswith("/articles/cloud-costs/")
    assert redirects_to(site, "/old/cloud-costs/").endswith("/articles/cloud-costs/")
    assert redirects_to(site, "/2022/07/云计算入门/").endswith("/articles/%E4%BA%91%E8%AE%A1%E7%AE%97/")


def test_links_between_posts_point_to_the_new_pages(hugo_hub: tuple[Path, str]) -> None:
    hub, _ = hugo_hub
    page = (hub / "content" / "pages" / "getting-started.md").read_text(encoding="utf-8")
    assert "[the cloud costs post](/articles/cloud-costs/)" in page  # {{< relref >}} -> old address -> new page
    # a link to a draft would be broken: it is its text, and the report says so
    assert "the second one" in page and "](/articles/second/" not in page
    report = json.loads((hub / "import-report.json").read_text(encoding="utf-8"))
    notes = [n["what"] for p in report["posts"] if p["file"] == "content/pages/getting-started.md" for n in p["notes"]]
    assert any("a draft or a scheduled post" in n for n in notes), notes


def test_the_report_lists_every_post_and_what_was_kept_verbatim(hugo_hub: tuple[Path, str]) -> None:
    hub, printed = hugo_hub
    report = json.loads((hub / "import-report.json").read_text(encoding="utf-8"))
    sources = sorted(p["source"] for p in report["posts"])
    assert sources == sorted(f"content/{p.relative_to(HUGO / 'content').as_posix()}" for p in (HUGO / "content").rglob("*.md")
                             if p.name != "_index.md" and "authors" not in p.parts)
    statuses = {p["file"]: p["status"] for p in report["posts"]}
    assert statuses["content/articles/second.md"] == "draft"
    assert statuses["content/articles/scheduled.md"] == "scheduled"
    assert "kept verbatim (look at these):" in printed and "{{< notice warning >}}" in printed


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "hub"
    printed = imported("hugo", HUGO, out, "--dry-run")
    assert "dry run: nothing written" in printed and "would write" in printed
    assert not out.exists()


def test_nothing_is_overwritten_without_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "hub"
    imported("hugo", HUGO, out)
    edited = out / "content" / "articles" / "cloud-costs.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own edit.\n", encoding="utf-8")
    before = tree(out)
    again = themehub("import", "hugo", str(HUGO), "--out", str(out), cwd=tmp_path)
    no_traceback(again)
    assert again.returncode == 1
    assert "[file-exists]" in again.stderr and "--overwrite" in again.stderr
    assert tree(out) == before  # not one file written
    imported("hugo", HUGO, out, "--overwrite")
    assert "My own edit." not in edited.read_text(encoding="utf-8")


def test_a_hub_imports_into_a_folder_of_its_own(tmp_path: Path) -> None:
    hub = copy_sample(tmp_path / "hub")
    imported("hugo", HUGO, hub, "--folder", "old-blog")
    assert (hub / "content" / "articles" / "old-blog" / "cloud-costs.md").is_file()
    assert not (hub / "themehub.yaml").read_text(encoding="utf-8").startswith("title: Old Blog")
    checked_and_built(hub)


def test_a_source_of_another_format_is_refused_with_a_hint(tmp_path: Path) -> None:
    proc = themehub("import", "hugo", str(FIXTURES / "mini_hub"), "--out", str(tmp_path / "hub"), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1 and "[unreadable-source]" in proc.stderr
    assert not (tmp_path / "hub").exists()


def test_an_occupied_folder_that_is_no_hub_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "notes.txt").write_text("mine", encoding="utf-8")
    proc = themehub("import", "hugo", str(HUGO), "--out", str(tmp_path / "hub"), cwd=tmp_path)
    assert proc.returncode == 1 and "[target-not-empty]" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "hub").iterdir()) == ["notes.txt"]


def test_a_picture_outside_the_source_folder_is_never_read(tmp_path: Path) -> None:
    """Attack: a post that links its picture to a file outside the site (a symlink in a bundle) imports
    without it: the picture is listed as missing and nothing of the outside file is copied."""
    source = tmp_path / "src"
    shutil.copytree(HUGO, source)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    bundle = source / "content" / "posts" / "cloud-costs"
    (bundle / "chart.png").unlink()
    (bundle / "chart.png").symlink_to(secret)
    out = tmp_path / "hub"
    printed = imported("hugo", source, out)
    assert "missing pictures" in printed and "a file outside it is never read" in printed
    assert not any(p.read_bytes() == secret.read_bytes() for p in out.rglob("*") if p.is_file())
    assert "*[missing picture: A chart]*" in (out / "content" / "articles" / "cloud-costs.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- jekyll

JEKYLL = FIXTURES / "import" / "jekyll" / "blog"
ELEVENTY = FIXTURES / "import" / "jekyll" / "eleventy"


def test_a_jekyll_site_becomes_a_hub_that_checks_and_builds(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    printed = imported("jekyll", JEKYLL, hub)
    assert "posts: 8 articles (5 published, 0 scheduled, 3 drafts), 3 pages" in printed
    assert "kept verbatim: {% include card.html" in printed  # an include with Liquid inside: kept, listed
    site = checked_and_built(hub)
    # the date permalink style with the post's categories, redirect_from, a per-post permalink
    assert redirects_to(site, "/cloud/costs/2019/05/01/cloud-costs.html").endswith("/articles/cloud-costs/")
    assert redirects_to(site, "/old/cloud-costs.html").endswith("/articles/cloud-costs/")
    assert redirects_to(site, "/guides/explicit/").endswith("/articles/explicit/")
    # {% post_url %} became the old address, then the new page's
    second = (hub / "content" / "articles" / "second-look.md").read_text(encoding="utf-8")
    assert "[the first post](/articles/cloud-costs/)" in second
    assert "{% post_url 2018-01-01-missing %}" in second  # a post that never existed: kept as written
    assert "<h1" in html(site, "articles/云计算")  # a post in _posts/finops/ with a Chinese file name
    assert (hub / "static" / "images" / "imported" / "chart.png").is_file()
    assert 'alt="Monthly bill"' in html(site, "articles/cloud-costs")


def test_an_eleventy_site_with_liquid_is_imported_like_jekyll(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    printed = imported("jekyll", ELEVENTY, hub)
    assert "posts: 3 articles (2 published, 0 scheduled, 1 drafts), 1 pages" in printed
    site = checked_and_built(hub)
    first = (hub / "content" / "articles" / "first-note.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(first.split("---\n")[1])
    assert meta["tags"] == ["cloud"]  # `post`, Eleventy's collection tag, is not the author's tag
    assert "<aside>Plain callout.</aside>" in first  # {% include "callout.html" %} inlined
    assert redirects_to(site, "/posts/2022-05-01-first-note/").endswith("/articles/first-note/")
