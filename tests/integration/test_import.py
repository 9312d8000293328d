"""`themehub import`, end to end as a user runs it: a WordPress export, a Hugo site and a Jekyll site
(hand-written fixtures in tests/fixtures/import/) become hubs that `themehub check` passes with no
error and `themehub build` builds, with every old address redirected, pictures in place, links between
posts rewritten; --dry-run writes nothing, nothing is overwritten without --overwrite, and an import
into an existing hub goes into a folder of its own."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from PIL import Image

from tests.cli.test_cli import no_traceback, themehub
from tests.helpers import FIXTURES, copy_sample, static_server, tree

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


# ------------------------------------------------------------------------------------------- wordpress

WXR = FIXTURES / "import" / "wordpress" / "site.xml"
UPLOADS = "blog/wp-content/uploads/2019/05/"
BIG = "cloud-bill-1024x683.jpg"
PICTURES = {"cloud-bill.jpg": "JPEG", "cloud-bill-300x200.jpg": "JPEG",
            "chart.png": "PNG", "team photo.jpg": "JPEG"}


class OldSite(http.server.SimpleHTTPRequestHandler):
    """The old WordPress server: its media library, with byte ranges (a resumed download asks for the
    rest), and a slow answer for any file named in `slow`."""

    slow: ClassVar[set[str]] = set()
    ranges: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.name in self.slow:
            time.sleep(3)
        asked = self.headers.get("Range")
        if asked and path.is_file():
            self.ranges.append(f"{path.name} {asked}")
            start = int(asked.removeprefix("bytes=").split("-")[0])
            data = path.read_bytes()[start:]
            self.send_response(206)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()


@pytest.fixture
def old_site(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """(the export, pointing at the served old site; the served root; the folder of its uploads)."""
    root = tmp_path / "www"
    uploads = root / UPLOADS
    uploads.mkdir(parents=True)
    for name, fmt in PICTURES.items():
        Image.new("RGB", (120, 80), (30, 90, 160)).save(uploads / name, fmt)
    # one large enough to be cut off half-way (noise does not compress)
    Image.effect_noise((1024, 683), 80).convert("RGB").save(uploads / BIG, "JPEG", quality=95)
    OldSite.slow, OldSite.ranges = set(), []
    with static_server(root, OldSite) as url:
        export = tmp_path / "export.xml"
        export.write_text(WXR.read_text(encoding="utf-8").replace("https://old.example/", url), encoding="utf-8")
        yield export, url, uploads


def test_a_wordpress_export_becomes_a_hub_that_checks_and_builds(old_site: tuple[Path, str, Path],
                                                                 tmp_path: Path) -> None:
    export, url, uploads = old_site
    hub = tmp_path / "hub"
    printed = imported("wordpress", export, hub)
    assert "posts: 7 articles" in printed and "3 pages" in printed
    assert "pictures: 5 downloaded" in printed
    assert '2 × item of the custom post type "product" (not imported)' in printed
    assert "2 comments (comments are not imported)" in printed
    site = checked_and_built(hub)
    post = html(site, "articles/cloud-costs")
    assert "Cloud costs &amp; you" in post and "<strong>Three</strong> things help:" in post
    assert 'alt="The bill"' in post and "<em>May</em> bill" in post  # [caption]: the picture, its caption below
    # the pictures came from the old server into static/images/imported/2019/05/, byte for byte
    for name in ("cloud-bill.jpg", "chart.png"):
        assert (hub / "static" / "images" / "imported" / "2019" / "05" / name).read_bytes() == (uploads / name).read_bytes()
    # the permalink redirects; the post's old id /?p=10 is in the home page's redirect map
    assert redirects_to(site, "/2019/05/cloud-costs/").endswith("/articles/cloud-costs/")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '"p=10": "/blog/articles/cloud-costs/"' in home
    assert re.search(r'"page_id=\d+": "/blog/%C3%BCber-uns/"', home)  # a page's old id too
    # a link to a post the export does not hold would be broken: its text stays, the report says so
    assert "See the older post." in (hub / "content" / "articles" / "cloud-costs.md").read_text(encoding="utf-8")
    meta = yaml.safe_load((hub / "content" / "articles" / "cloud-costs.md").read_text(encoding="utf-8").split("---\n")[1])
    assert meta["featured"] is True and meta["themes"] == ["cloud-costs"] and "Uncategorized" in meta["tags"]
    assert meta["summary"] == "Why cloud bills grow."
    assert meta["image"] == "/images/imported/2019/05/cloud-bill.jpg" and meta["image_alt"]


def test_wordpress_statuses_become_drafts_and_schedules(old_site: tuple[Path, str, Path], tmp_path: Path) -> None:
    export, _, _ = old_site
    hub = tmp_path / "hub"
    imported("wordpress", export, hub)
    report = json.loads((hub / "import-report.json").read_text(encoding="utf-8"))
    status = {p["title"]: p["status"] for p in report["posts"]}
    assert status["Client preview"] == "draft"  # password-protected
    assert status["Half-written thoughts"] == "draft"
    assert status["Waiting for review"] == "draft"  # pending
    assert status["Internal numbers"] == "draft"  # private
    assert status["Next quarter"] == "scheduled"
    assert "Deleted" not in status  # in the trash
    lost = [n["what"] for p in report["posts"] for n in p["notes"] if n["kind"] == "lost"]
    assert any("password" in what for what in lost)


def test_a_download_cut_off_by_an_earlier_run_resumes(old_site: tuple[Path, str, Path], tmp_path: Path) -> None:
    export, url, uploads = old_site
    hub = tmp_path / "hub"
    imported("wordpress", export, hub, "--dry-run")
    assert not hub.exists() and OldSite.ranges == []  # a dry run downloads nothing
    # an earlier run was killed half-way through the large picture: its first 30,000 bytes are in the cache
    big = (uploads / BIG).read_bytes()
    assert len(big) > 60_000
    cache = hub / ".themehub-cache" / "import"
    cache.mkdir(parents=True)
    name = hashlib.sha256(f"{url}{UPLOADS}{BIG}".encode()).hexdigest()[:24] + ".jpg"
    (cache / f"{name}.part").write_bytes(big[:30_000])
    imported("wordpress", export, hub)
    assert OldSite.ranges == [f"{BIG} bytes=30000-"]  # only the rest was asked for
    assert (hub / "static" / "images" / "imported" / "2019" / "05" / BIG).read_bytes() == big


def test_a_slow_picture_times_out_is_listed_and_comes_on_the_next_run(old_site: tuple[Path, str, Path],
                                                                     tmp_path: Path) -> None:
    export, _, _ = old_site
    OldSite.slow = {"chart.png"}
    hub = tmp_path / "hub"
    printed = imported("wordpress", export, hub, "--timeout", "1")
    assert "missing pictures" in printed and "chart.png: could not be downloaded" in printed
    assert "run the import again to resume" in printed
    OldSite.slow = set()
    again = imported("wordpress", export, hub, "--overwrite")
    assert "missing pictures" not in again
    assert "pictures: 4 cached, 1 downloaded" in again  # the others are not downloaded twice
    assert (hub / "static" / "images" / "imported" / "2019" / "05" / "chart.png").is_file()


def test_nothing_is_written_through_a_symlink_out_of_the_hub(tmp_path: Path) -> None:
    """Attack: an existing hub whose content/articles/imported/ is a symbolic link to a folder outside it:
    the import refuses before writing anything there."""
    hub = copy_sample(tmp_path / "hub")
    outside = tmp_path / "outside"
    outside.mkdir()
    (hub / "content" / "articles" / "imported").symlink_to(outside, target_is_directory=True)
    proc = themehub("import", "hugo", str(HUGO), "--out", str(hub), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1 and "[symlink-outside]" in proc.stderr
    assert list(outside.iterdir()) == []
    assert not (hub / "import-report.json").exists()
