"""The kind records (content/kinds.py) against what other stages decide by themselves: the URLs templates
and feeds build (urls.py), the templates the built-in theme ships, the names a root page may not take,
and the diagnostics of each kind's reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from themehub import urls
from themehub.config import load_config
from themehub.content.kinds import BY_FOLDER, BY_NAME, KINDS, RESERVED_SLUGS, kind_of
from themehub.content.model import Content
from themehub.render.templates import BUILTIN_THEMES
from themehub.source.frontmatter import load_yaml

URL_OF = {"article": urls.article, "theme": urls.theme, "author": urls.author, "service": urls.service,
          "page": urls.page, "track": urls.track}
"""The kinds whose URLs templates and feeds also build by hand, through urls.py."""


def test_the_kinds_are_listed_once_each_in_order() -> None:
    assert [k.name for k in KINDS] == ["article", "theme", "author", "service", "page", "track", "event"]
    assert len(BY_FOLDER) == len(BY_NAME) == len({k.model for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("name", sorted(URL_OF))
def test_a_kinds_url_is_the_one_urls_py_builds(name: str) -> None:
    for slug in ("x", "云计算", "a-b-2026"):
        assert BY_NAME[name].url(slug) == URL_OF[name](slug)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_has_its_template_in_the_built_in_theme(kind: object) -> None:
    template = kind.template
    assert (BUILTIN_THEMES / "default" / "templates" / template).is_file()
    if kind.theme_listing:
        assert (BUILTIN_THEMES / "default" / "templates" / f"{kind.name}_card.html").is_file()


def test_no_root_page_may_take_a_kinds_section_or_a_file_the_site_writes() -> None:
    sections = {k.section for k in KINDS if k.section}
    assert sections == {"articles", "themes", "authors", "services", "tracks", "events"}
    assert sections <= RESERVED_SLUGS
    assert {"tags", "search", "feed.xml", "sitemap.xml", "pagefind"} <= RESERVED_SLUGS


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kinds_reader_names_an_unknown_key_at_its_line(kind: object, tmp_path: Path) -> None:
    (tmp_path / "themehub.yaml").write_text("title: T\nbase_url: https://example.com/\n")
    config, problems = load_config(tmp_path)
    assert config is not None and not problems
    doc, problems = load_yaml("colour: blue\n", "content/x.md", line_offset=1)
    assert doc is not None and not problems
    _, fields = kind.read(doc, "content/x.md", "x", "Body.", 4, config)
    unknown = [(d.code, d.line) for d in fields.diagnostics if d.code == "unknown-key"]
    assert unknown == [("unknown-key", 2)]
    assert "missing-field" in {d.code for d in fields.diagnostics}  # every kind has a required key


def test_kind_of_finds_an_items_kind_by_its_class() -> None:
    empty = Content(tuple((k.folder, ()) for k in KINDS))
    assert list(empty.items()) == []
    for kind in KINDS:
        assert kind_of(kind.model.__new__(kind.model)) is kind
