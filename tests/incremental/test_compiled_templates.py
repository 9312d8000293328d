"""`build` keeps the theme's compiled templates between runs (incremental/compiled_templates.py), in
Jinja's per-user folder of the temporary directory, never in the site. Compiled templates are Python
code: these tests show that a build uses them only from a folder that is the user's own, that an
edited template is compiled again, and that the site never holds them."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from jinja2.bccache import BytecodeCache
from tests.helpers import make_site, run_build, tree

from themehub.incremental import compiled_templates

PAGE_TEMPLATE = "themes/default/templates/page.html"
PAGE = "site/about/index.html"


def local_page_template(mark: str) -> str:
    return ('{% extends "!default/page.html" %}{% block main %}<p class="mark">' + mark + "</p>"
            "{{ super() }}{% endblock %}")


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of the test's own, so the compiled templates it finds are the test's."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def cache_folder(temp_dir: Path) -> Path:
    return temp_dir / f"_jinja2-cache-{os.getuid()}"


def entries(temp_dir: Path) -> list[Path]:
    return sorted(cache_folder(temp_dir).glob("themehub-*.cache"))


def built_page(site: Path) -> str:
    result = run_build(site)
    assert result.ok, result.diagnostics
    return (site / PAGE).read_text(encoding="utf-8")


def test_a_second_build_loads_the_compiled_templates_and_builds_the_same_site(
        tmp_path: Path, temp_dir: Path) -> None:
    site = make_site(tmp_path / "hub")
    built_page(site)
    kept = entries(temp_dir)
    assert len(kept) >= 10, "every template the build used is kept compiled"
    assert oct(cache_folder(temp_dir).stat().st_mode & 0o777) == "0o700"
    assert not list(site.rglob("*.cache")), "nothing compiled is kept in the site"
    first = tree(site / "site")
    mtimes = {p: p.stat().st_mtime_ns for p in kept}
    built_page(site)
    assert tree(site / "site") == first
    assert {p: p.stat().st_mtime_ns for p in entries(temp_dir)} == mtimes, "loaded, not compiled and written again"


def test_an_edited_template_is_compiled_again(tmp_path: Path, temp_dir: Path) -> None:
    site = make_site(tmp_path / "hub", {PAGE_TEMPLATE: local_page_template("first")})
    assert '<p class="mark">first</p>' in built_page(site)
    (site / PAGE_TEMPLATE).write_text(local_page_template("second"))
    page = built_page(site)
    assert '<p class="mark">second</p>' in page and "first" not in page


def forge_entry(site: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave in the cache folder an entry that holds the code of a template saying "forged" but claims
    the source of one saying "genuine" (what someone able to write the folder could do)."""
    with monkeypatch.context() as patch:
        real = BytecodeCache.get_source_checksum
        genuine = local_page_template("genuine")
        patch.setattr(compiled_templates.UserTemplateCache, "get_source_checksum",
                      lambda self, source: real(self, genuine if "forged" in source else source))
        (site / PAGE_TEMPLATE).write_text(local_page_template("forged"))
        assert '<p class="mark">forged</p>' in built_page(site)
    (site / PAGE_TEMPLATE).write_text(local_page_template("genuine"))


def test_the_cache_folder_is_used_only_when_it_is_the_users_own(
        tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "hub", {PAGE_TEMPLATE: local_page_template("genuine")})
    forge_entry(site, temp_dir, monkeypatch)
    # The folder is the user's own: its entries are trusted (which is why it must be nobody else's).
    assert '<p class="mark">forged</p>' in built_page(site)
    if os.getuid() != 0:
        pytest.fail("this test gives the folder to another user, which needs root (CI runs as root)")
    os.chown(cache_folder(temp_dir), 65534, 65534)
    for made in (site / "site", site / ".themehub-cache"):  # so the page is rendered, not reused
        shutil.rmtree(made)
    page = built_page(site)
    assert '<p class="mark">genuine</p>' in page and "forged" not in page
    assert isinstance(compiled_templates.user_template_cache(), compiled_templates.MemoryBytecodeCache)


def test_an_unwritable_cache_folder_costs_a_compile_not_the_build(tmp_path: Path, temp_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "hub", {PAGE_TEMPLATE: local_page_template("first")})

    def full_disk(self: object, bucket: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compiled_templates.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    assert '<p class="mark">first</p>' in built_page(site)
    assert entries(temp_dir) == []


def test_a_build_with_another_base_url_is_not_given_the_last_ones_links(tmp_path: Path, temp_dir: Path) -> None:
    """Jinja computes a filter given constants when it compiles (`{{ 'tags/' | url }}`): the filters
    that depend on the config are kept to render time, or the second build would link to the first's
    base_url from every page."""
    site = make_site(tmp_path / "hub")
    built_page(site)
    assert entries(temp_dir)
    yaml = site / "themehub.yaml"
    yaml.write_text(yaml.read_text().replace("https://example.com/insights/", "https://example.org/elsewhere/"))
    page = built_page(site)
    assert 'href="/elsewhere/tags/"' in page
    assert "/insights/" not in page and "example.com" not in page
