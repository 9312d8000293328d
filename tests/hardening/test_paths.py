"""Paths from content never reach outside the site: one rule for images in markdown, raw HTML and
front matter (source/paths.py), the output path derived from the resolved file, and a writer that
refuses any path that is not inside its folder.

Each attack runs a real build beside a folder of "victim" files (a `.git/config`, a file next to the
site) and asserts that nothing outside the output and the cache changed, that the build reports the
reference at its line, and that `check` reports exactly what `build` does.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.hardening.conftest import (
    NOW,
    Entry,
    build_in_process,
    diff_snapshots,
    make_mini_hub,
    run_cli,
    show,
    snapshot,
    where,
)
from themehub.check import check
from themehub.diagnostics import Diagnostic
from themehub.output.writer import StagingWriter, UnsafeOutputPathError

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
GIT_CONFIG = b"[core]\n\trepositoryformatversion = 0\n"


def _article(body: str = "Body.", extra: str = "") -> str:
    lines = ["---", "title: Attack", "date: 2026-01-12", "authors: [ana-quinn]", "themes: [cloud]"]
    lines += [line for line in extra.split("\n") if line]
    return "\n".join([*lines, "---", "", body, ""])


def _victims(base: Path) -> dict[str, Entry]:
    """Everything under `base` except what a build may write: the output, its staging and the cache."""
    whole = snapshot(base)
    return {rel: entry for rel, entry in whole.items()
            if not rel.startswith(("hub/site", "hub/.site.", "hub/.themehub-cache"))}


def _check_agrees(root: Path, built: tuple[Diagnostic, ...]) -> None:
    """`check` is the build's stages without writing, plus the hub's health warnings: it reports every
    error the build does, at the same place, and every warning the build does."""
    checked = check(root, now=NOW)
    assert sorted(where(d) for d in checked if d.is_error) == sorted(where(d) for d in built if d.is_error)
    assert {where(d) for d in built} <= {where(d) for d in checked}


def _site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = make_mini_hub(tmp_path / "hub", {"content/articles/d.svg": SVG, **files})
    (root / ".git").mkdir()
    (root / ".git" / "config").write_bytes(GIT_CONFIG)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.svg").write_bytes(SVG.replace(b"<rect", b"<!-- OUTSIDE-SECRET --><rect"))
    return root


# (markdown body or front matter, the code expected at the reference, or None when it is harmless)
ATTACKS: dict[str, tuple[str, str, str | None]] = {
    "query-climbs-to-git": ("![d](d.svg?/../../.git/config)", "", None),
    "fragment-climbs": ("![d](d.svg#/../../../../x)", "", None),
    "dotdot-out-of-site": ("![d](../../../outside/secret.svg)", "", "unsafe-path"),
    "deep-dotdot-to-root": ("![d](" + "../" * 30 + "tmp/x.svg)", "", "unsafe-path"),
    "percent-dots": ("![d](%2e%2e/%2e%2e/%2e%2e/outside/secret.svg)", "", "unsafe-path"),
    "percent-slash": ("![d](..%2F..%2F..%2Foutside%2Fsecret.svg)", "", "unsafe-path"),
    "double-encoding": ("![d](%252e%252e/x.svg)", "", "missing-image"),
    "backslashes": ('<img src="..\\..\\..\\outside\\secret.svg" alt="x">', "", "unsafe-path"),
    "absolute-file-system-path": ("![d](/etc/passwd)", "", "missing-image"),
    "absolute-dotdot": ("![d](/../../outside/secret.svg)", "", "unsafe-path"),
    "nul-escape": ("![d](d.svg%00.png)", "", "unsafe-path"),
    "raw-html-img": ('<img src="../../../outside/secret.svg" alt="x">', "", "unsafe-path"),
    "raw-html-query": ('<img src="d.svg?/../../.git/config" alt="x">', "", None),
    "image-field": ("Body.", "image: ../../../outside/secret.svg\nimage_alt: x", "unsafe-path"),
    "image-field-query": ("Body.", "image: d.svg?/../../.git/config\nimage_alt: x", None),
    "image-field-percent": ("Body.", "image: '%2e%2e/%2e%2e/%2e%2e/outside/secret.svg'\nimage_alt: x", "unsafe-path"),
    "into-the-cache": ("![d](../../.themehub-cache/FORMAT)", "", "unsafe-path"),
    "sources-are-not-images": ("![d](../../themehub.yaml)", "", "unsafe-path"),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_path_from_content_never_writes_outside_the_site(tmp_path: Path, name: str) -> None:
    body, extra, code = ATTACKS[name]
    root = _site(tmp_path, {"content/articles/attack.md": _article(body, extra)})
    before = _victims(tmp_path)
    result = build_in_process(root)
    assert diff_snapshots(before, _victims(tmp_path)) == [], "the build wrote outside its output and cache"
    assert (root / ".git" / "config").read_bytes() == GIT_CONFIG
    found = [d for d in result.diagnostics if d.file == "content/articles/attack.md" and d.is_error]
    if code is None:
        assert result.ok, show(result.diagnostics)
        published = list((root / "site" / "images" / "_generated").glob("d-*.svg"))
        assert len(published) == 1, "the image beside the article is published under a name of its own"
        html = (root / "site/articles/attack/index.html").read_text()
        assert f"/insights/images/_generated/{published[0].name}" in html
    else:
        assert not result.ok
        assert [d.code for d in found] == [code], show(result.diagnostics)
        line = 6 if extra else 8  # the image field's line, or the body's first line
        assert found[0].line == line, show(found)
    _check_agrees(root, result.diagnostics)


def test_the_innocent_relative_path_to_static_publishes_the_static_file(tmp_path: Path) -> None:
    """`![](../../static/images/logo.svg)` wrote into the site's parent folder; it names static/images/logo.svg."""
    root = _site(tmp_path, {"content/articles/attack.md": _article("![logo](../../static/images/logo.svg)")})
    before = _victims(tmp_path)
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    assert diff_snapshots(before, _victims(tmp_path)) == []
    html = (root / "site/articles/attack/index.html").read_text()
    assert 'src="/insights/images/logo.svg"' in html
    assert (root / "site/images/logo.svg").is_file()


def test_an_image_that_is_a_symlink_out_of_the_site_is_refused(tmp_path: Path) -> None:
    root = _site(tmp_path, {"content/articles/attack.md": _article("![x](link.svg)")})
    (root / "content/articles/link.svg").symlink_to(tmp_path / "outside" / "secret.svg")
    result = build_in_process(root)
    assert not result.ok
    assert [where(d) for d in result.diagnostics if d.is_error] == [
        ("symlink-outside", "content/articles/attack.md", 8, 1)]
    assert not any(b"OUTSIDE-SECRET" in p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()) \
        if (root / "site").exists() else True


def test_two_folders_with_their_own_photo_show_their_own_picture(tmp_path: Path) -> None:
    """The image cache was keyed by the URL alone: both articles showed the first one's photo."""
    from PIL import Image

    def jpeg(color: tuple[int, int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (900, 600), color).save(buffer, "JPEG")
        return buffer.getvalue()

    root = make_mini_hub(tmp_path / "hub", {
        "content/articles/red/photo.jpg": jpeg((220, 20, 20)),
        "content/articles/blue/photo.jpg": jpeg((20, 20, 220)),
        "content/articles/red/red-story.md": _article("![A red photo](photo.jpg)", "image: photo.jpg\nimage_alt: red"),
        "content/articles/blue/blue-story.md": _article("![A blue photo](photo.jpg)", "image: photo.jpg\nimage_alt: blue"),
    })
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    site = root / "site"

    def colour_of_picture(slug: str, marker: str) -> tuple[int, int, int]:
        html = (site / "articles" / slug / "index.html").read_text()
        start = html.index(marker)
        src = html[html.index('src="', start) + 5:]
        src = src[: src.index('"')].removeprefix("/insights/")
        with Image.open(site / src) as image:
            return image.convert("RGB").getpixel((5, 5))  # type: ignore[return-value]

    for slug, marker, (r, _, b) in (("red-story", 'alt="A red photo"', (220, 20, 20)),
                                    ("blue-story", 'alt="A blue photo"', (20, 20, 220))):
        seen = colour_of_picture(slug, marker)
        assert abs(seen[0] - r) < 40 and abs(seen[2] - b) < 40, (slug, seen)


def test_an_alias_that_needs_a_folder_where_a_file_is_fails_check_and_build_alike(tmp_path: Path) -> None:
    """An alias `/feed.xml/` passed `check` and failed `build` with a disk-space hint."""
    root = make_mini_hub(tmp_path / "hub", {
        "content/articles/attack.md": _article("Body.", "aliases: [/feed.xml/, /pagefind/old/]"),
    })
    result = build_in_process(root)
    assert not result.ok
    expected = [("alias-collision", "content/articles/attack.md", 6, 10)] * 2
    assert [where(d) for d in result.diagnostics if d.is_error] == expected, show(result.diagnostics)
    assert not any(d.code == "write-failed" for d in result.diagnostics)
    _check_agrees(root, result.diagnostics)


def test_a_static_file_where_the_site_needs_a_folder_is_reported(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub", {"static/tags": "a file named like the tag pages' folder\n"})
    result = build_in_process(root)
    assert [where(d) for d in result.diagnostics if d.is_error] == [("path-collision", "static/tags", 1, 1)]
    _check_agrees(root, result.diagnostics)


@pytest.mark.parametrize("alias", ["/x?p=1", "/a/../../b/", "/a%2F..%2F..%2Fb/", "/a\\b/", "https://evil.com/x/",
                                   "/%2e%2e/%2e%2e/x/", "/" + "x" * 256 + "/", "/a//b/"])
def test_an_alias_that_is_not_a_plain_path_is_a_bad_alias(tmp_path: Path, alias: str) -> None:
    root = make_mini_hub(tmp_path / "hub", {"content/articles/attack.md": _article("Body.", f"aliases: ['{alias}']")})
    before = _victims(tmp_path)
    result = build_in_process(root)
    assert diff_snapshots(before, _victims(tmp_path)) == []
    assert [d.code for d in result.diagnostics if d.is_error] == ["bad-alias"], show(result.diagnostics)


def test_the_writer_refuses_a_path_outside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for rel in ("../escape.txt", "/etc/x", "a/../../b", "a\\..\\b", "a/./b", "a//b", "nul\x00.txt", ""):
        with StagingWriter(out) as writer, pytest.raises(UnsafeOutputPathError):
            writer.put(rel, b"x")
    assert sorted(os.listdir(tmp_path)) == []


def test_the_cli_reports_an_unsafe_path_without_a_traceback(tmp_path: Path) -> None:
    root = _site(tmp_path, {"content/articles/attack.md": _article("![d](../../../outside/secret.svg)")})
    done = run_cli("build", "--site", str(root), "--no-search", "--as-of", "2026-11-23")
    assert done.returncode == 1
    assert "content/articles/attack.md:8:1: error: image: the path '../../../outside/secret.svg' leads outside" \
        in done.stderr
    assert "Traceback" not in done.stderr
