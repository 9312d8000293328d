"""An incremental build (persistent cache, previous site) and the dev server's in-memory rebuilds
must produce exactly the bytes of a clean build, after every kind of edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.helpers import SAMPLE_LANGUAGES, copy_sample, in_one_language, replace, tree

from themehub.build import BuildOptions, build
from themehub.serve.server import Preview

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)




ARTICLE = "content/articles/cloud-unit-cost-model.md"


def edit_body(site: Path) -> None:
    replace(site / ARTICLE, "Total cloud spend", "Total cloud spending")


def edit_title(site: Path) -> None:
    replace(site / ARTICLE, "title: ", "title: Revised ")


def add_article(site: Path) -> None:
    (site / "content/articles/extra-piece.md").write_text(
        "---\ntitle: An Extra Piece\ndate: 2026-02-02\nauthors: [priya-raman]\nthemes: [finops]\n"
        "type: report\ntags: [FinOps, New Tag]\n---\n\nSee [the model](cloud-unit-cost-model.md).\n"
    )


def rename_article(site: Path) -> None:
    (site / "content/articles/extra-piece.md").rename(site / "content/articles/extra-piece-renamed.md")


def delete_article(site: Path) -> None:
    (site / "content/articles/extra-piece-renamed.md").unlink()


def change_parent(site: Path) -> None:
    replace(site / "content/themes/finops.md", "parent: cloud-economics", "parent: data-trust")


def edit_author(site: Path) -> None:
    replace(site / "content/authors/maya-okafor.md", "name: ", "name: Dr ")


def override_template(site: Path) -> None:
    folder = site / "themes/default/templates"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text('{% extends "!default/page.html" %}{% block main %}<p>Local</p>'
                                      "{{ super() }}{% endblock %}")


def change_config(site: Path) -> None:
    replace(site / "themehub.yaml", "default_language: en", "paginate: 3\ndefault_language: en")


def edit_static(site: Path) -> None:
    (site / "static/extra.txt").write_text("hello\n")


EDITS: list[Callable[[Path], None]] = [
    edit_body, edit_title, add_article, rename_article, delete_article, change_parent, edit_author,
    override_template, change_config, edit_static,
]


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    result = build(BuildOptions(site=site, out=out, now=NOW, jobs=1, cache=False, search=False))
    assert result.ok, result.diagnostics
    return tree(out)


def test_incremental_build_equals_clean_build_after_each_edit(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    first = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
    assert first.ok
    for number, step in enumerate(EDITS):
        step(site)
        result = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
        assert result.ok, (step.__name__, result.diagnostics)
        expected = clean_build(site, tmp_path / f"clean-{number}")
        actual = tree(site / "site")
        actual.pop(".themehub-output")
        expected.pop(".themehub-output")
        assert actual.keys() == expected.keys(), step.__name__
        different = [path for path in expected if actual[path] != expected[path]]
        assert different == [], f"after {step.__name__}: stale {different[:5]}"
        if step in (edit_body, edit_title, edit_static):
            # The default language's pages: the translations' are rendered again on every build (README).
            english = [url for url, _ in result.rendered if url.split("/")[0] not in SAMPLE_LANGUAGES]
            assert len(english) < first.pages // 4, f"{step.__name__} re-rendered too much"


def test_one_edit_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    assert build(BuildOptions(site=site, now=NOW, jobs=1, search=False)).ok
    edit_body(site)
    result = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
    rendered = dict(result.rendered)
    assert "articles/cloud-unit-cost-model/" in rendered
    assert "content/articles/cloud-unit-cost-model.md" in rendered["articles/cloud-unit-cost-model/"]
    # A body edit changes no listing: only the article itself is rendered again.
    assert list(rendered) == ["articles/cloud-unit-cost-model/"]


def test_untouched_files_keep_their_mtime(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    assert build(BuildOptions(site=site, now=NOW, jobs=1, search=False)).ok
    about = site / "site/about/index.html"
    article = site / "site/articles/cloud-unit-cost-model/index.html"
    before_about, before_article = about.stat().st_mtime_ns, article.read_bytes()
    edit_body(site)
    assert build(BuildOptions(site=site, now=NOW, jobs=1, search=False)).ok
    assert about.stat().st_mtime_ns == before_about
    assert article.read_bytes() != before_article


@pytest.mark.parametrize("change", ["longer", "same size"])
def test_a_page_changed_by_hand_in_the_output_is_rendered_again(tmp_path: Path, change: str) -> None:
    site = copy_sample(tmp_path / "hub")
    assert build(BuildOptions(site=site, now=NOW, jobs=1, search=False)).ok
    about = site / "site/about/index.html"
    original = about.read_bytes()
    # Untouched pages are trusted by size and mtime, unread: any edit must break that check.
    tampered = original + b"<!-- hand edit -->" if change == "longer" else original.replace(b"<html", b"<HTML", 1)
    about.write_bytes(tampered)
    result = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
    assert result.ok
    assert about.read_bytes() == original
    assert "about/" in dict(result.rendered)


@pytest.mark.parametrize("corruption", ["foreign", "older-version", "pages", "entry"])
def test_a_damaged_or_foreign_cache_is_never_trusted(tmp_path: Path, corruption: str) -> None:
    """A cache of ours that is damaged or from another version is rebuilt silently; only a folder that is
    not a themehub cache at all is worth a warning (and is left alone)."""
    site = copy_sample(tmp_path / "hub")
    assert build(BuildOptions(site=site, now=NOW, jobs=1, search=False)).ok
    cache = site / ".themehub-cache"
    if corruption == "foreign":
        (cache / "FORMAT").write_text("someone else's cache\n")
    elif corruption == "older-version":
        (cache / "FORMAT").write_text("themehub-cache 2 0.1.0\n")
        (cache / "pages.json").write_text('{"site_digest": "x", "digests": {}, "urls": [], "pages": {}}')
    elif corruption == "pages":
        (cache / "pages.json").write_text("{not json")
    else:
        pack = cache / "markdown.jsonl"
        keys = [line[9:41].decode() for line in pack.read_bytes().split(b"\n")[:-1]]  # bytes: the HTML is a tail
        assert len(keys) > 20
        forged = [
            # shapeless, another key's record under this key, and a line cut short
            f'{{"key": "{key}", "html": "<script>alert(1)</script>"}}' if n % 3 == 0 else
            f'{{"key": "{key}", "key": "forged", "html": "<script>alert(1)</script>", "headings": [], '
            f'"no_alt": [], "removed": [], "defused": 0, "problem": ""}}' if n % 3 == 1 else
            f'{{"key": "{key}", "html": "<script>alert(1)</scr'
            for n, key in enumerate(keys)
        ]
        pack.write_text("\n".join(forged))
        edit_title(site)  # forces pages to render, reading the forged entries
    result = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
    assert result.ok
    assert any(d.code == "cache-ignored" for d in result.diagnostics) == (corruption == "foreign")
    expected = clean_build(site, tmp_path / "clean")
    actual = tree(site / "site")
    assert all(actual[p] == expected[p] for p in expected if p != ".themehub-output")
    assert not any(b"alert(1)" in data for data in actual.values())


def test_serve_rebuilds_equal_clean_builds(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    preview = Preview(site)
    preview.options = BuildOptions(site=site, now=NOW, jobs=1)
    assert not [d for d in preview.rebuild() if d.is_error]
    for number, step in enumerate(EDITS):
        step(site)
        problems = [d for d in preview.rebuild() if d.is_error]
        assert problems == [], (step.__name__, problems)
        expected = clean_build(site, tmp_path / f"clean-{number}")
        expected.pop(".themehub-output")
        served = dict(preview.state.files)
        served.update({rel: path.read_bytes() for rel, path in preview.state.copies.items()})
        assert served.keys() == expected.keys(), step.__name__
        different = [path for path in expected if served[path] != expected[path]]
        assert different == [], f"after {step.__name__}: stale {different[:5]}"
