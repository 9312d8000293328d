"""Per-kind front-matter rules (schema.py) and the content loader (loader.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import article
from themehub.config import load_config
from themehub.content.loader import load_content
from themehub.content.model import Content
from themehub.diagnostics import Diagnostic


def _load(root: Path) -> tuple[Content, list[Diagnostic]]:
    config, problems = load_config(root)
    assert config is not None, problems
    return load_content(config)


def _errors(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return [(d.file, d.line, d.code) for d in diagnostics if d.is_error]


def test_the_fixture_hub_loads_cleanly(site: Callable[..., Path]) -> None:
    content, diagnostics = _load(site())
    assert diagnostics == []
    assert [a.slug for a in content.articles] == ["cloud-basics", "data-intro", "finops-deep", "finops-start"]
    assert [t.slug for t in content.themes] == ["cloud", "data", "finops"]
    assert [a.slug for a in content.authors] == ["ana-quinn", "ben-okoro"]
    assert [s.slug for s in content.services] == ["cost-review", "data-audit"]
    assert [p.slug for p in content.pages] == ["about"]


def test_article_fields(site: Callable[..., Path]) -> None:
    content, _ = _load(site())
    deep = {a.slug: a for a in content.articles}["finops-deep"]
    assert deep.title == "FinOps in Depth"
    assert deep.source == "content/articles/finops-deep.md"
    assert [r.slug for r in deep.authors] == ["ben-okoro", "ana-quinn"]
    assert [r.slug for r in deep.themes] == ["finops", "cloud"]
    assert deep.type == "white-paper"
    assert deep.depth == "deepest"  # the default depth of a white paper
    assert [r.slug for r in deep.services] == ["cost-review"]
    assert deep.date.isoformat() == "2026-03-01T00:00:00+00:00"
    assert deep.draft is False


def test_missing_title_is_an_error_naming_the_file(site: Callable[..., Path]) -> None:
    text = "---\ndate: 2026-01-05\nauthors: [ana-quinn]\nthemes: [cloud]\n---\nBody\n"
    content, diagnostics = _load(site({"content/articles/untitled.md": text}))
    assert [(f, c) for f, _, c in _errors(diagnostics)] == [("content/articles/untitled.md", "missing-field")]
    assert "'title'" in next(d for d in diagnostics if d.is_error).message
    assert "untitled" not in [a.slug for a in content.articles]


@pytest.mark.parametrize("key", ["date", "authors", "themes"])
def test_missing_required_article_fields(site: Callable[..., Path], key: str) -> None:
    lines = {"title": "T", "date": "2026-01-05", "authors": "[ana-quinn]", "themes": "[cloud]"}
    del lines[key]
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in lines.items()) + "---\nBody\n"
    _, diagnostics = _load(site({"content/articles/partial.md": text}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.file, d.code) for d in bad] == [("content/articles/partial.md", "missing-field")]
    assert f"'{key}'" in bad[0].message


def test_author_as_a_single_string_is_accepted(site: Callable[..., Path]) -> None:
    text = "---\ntitle: Solo\ndate: 2026-01-05\nauthor: ben-okoro\nthemes: data\n---\nBody\n"
    content, diagnostics = _load(site({"content/articles/solo.md": text}))
    assert diagnostics == []
    solo = {a.slug: a for a in content.articles}["solo"]
    assert [r.slug for r in solo.authors] == ["ben-okoro"]
    assert [r.slug for r in solo.themes] == ["data"]


def test_authors_as_a_single_string_is_accepted(site: Callable[..., Path]) -> None:
    content, diagnostics = _load(site({"content/articles/solo.md": article("Solo", authors="ana-quinn")}))
    assert diagnostics == []
    assert [r.slug for r in {a.slug: a for a in content.articles}["solo"].authors] == ["ana-quinn"]


def test_author_and_authors_together_is_an_error(site: Callable[..., Path]) -> None:
    text = article("Both", extra="author: ben-okoro")
    _, diagnostics = _load(site({"content/articles/both.md": text}))
    assert [(line, c) for _, line, c in _errors(diagnostics)] == [(6, "duplicate-key")]


@pytest.mark.parametrize(("name", "suggested"), [("My Article.md", "my-article.md"), ("Cloud_Costs.md", "cloud-costs.md")])
def test_bad_file_name_slug(site: Callable[..., Path], name: str, suggested: str) -> None:
    _, diagnostics = _load(site({f"content/articles/{name}": article("Bad name")}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.file, d.code) for d in bad] == [(f"content/articles/{name}", "bad-file-name")]
    assert suggested in bad[0].hint


def test_duplicate_slug_names_both_files(site: Callable[..., Path]) -> None:
    root = site({"content/articles/2025/cloud-basics.md": article("Another cloud basics")})
    content, diagnostics = _load(root)
    dupes = [d for d in diagnostics if d.code == "duplicate-slug"]
    assert len(dupes) == 1
    d = dupes[0]
    assert d.is_error
    mentioned = f"{d.file} {d.message}"
    assert "content/articles/cloud-basics.md" in mentioned
    assert "content/articles/2025/cloud-basics.md" in mentioned
    assert [a.slug for a in content.articles].count("cloud-basics") <= 1


def test_custom_slug_clashing_with_a_file_name_is_a_duplicate(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/new-name.md": article("Renamed", extra="slug: cloud-basics")}))
    dupes = [d for d in diagnostics if d.code == "duplicate-slug"]
    assert len(dupes) == 1
    mentioned = f"{dupes[0].file} {dupes[0].message}"
    assert "content/articles/cloud-basics.md" in mentioned
    assert "content/articles/new-name.md" in mentioned


def test_custom_slug(site: Callable[..., Path]) -> None:
    content, diagnostics = _load(site({"content/articles/2026-01-05-post.md": article("Post", extra="slug: post")}))
    assert diagnostics == []
    assert "post" in [a.slug for a in content.articles]


def test_sub_folders_do_not_change_the_slug(site: Callable[..., Path]) -> None:
    content, diagnostics = _load(site({"content/articles/2026/q1/nested.md": article("Nested")}))
    assert diagnostics == []
    nested = {a.slug: a for a in content.articles}["nested"]
    assert nested.source == "content/articles/2026/q1/nested.md"


def test_unknown_type_lists_the_known_types(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/blog.md": article("Blog", extra="type: blog-post")}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.line, d.code) for d in bad] == [(6, "unknown-type")]
    assert "blog-post" in bad[0].message
    assert "article" in bad[0].hint


def test_misspelt_type_suggests_the_nearest(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/cs.md": article("CS", extra="type: case-stduy")}))
    assert [d.hint for d in diagnostics if d.code == "unknown-type"] == ["did you mean 'case-study'?"]


def test_unknown_depth(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/deep.md": article("Deep", extra="depth: bottomless")}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.line, d.col, d.code) for d in bad] == [(6, 8, "unknown-depth")]


def test_explicit_depth_overrides_the_type_default(site: Callable[..., Path]) -> None:
    content, diagnostics = _load(site({"content/articles/cs.md": article("CS", extra="type: case-study\ndepth: entry")}))
    assert diagnostics == []
    cs = {a.slug: a for a in content.articles}["cs"]
    assert (cs.type, cs.depth) == ("case-study", "entry")


def test_unknown_article_key_suggests_the_nearest(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/typo.md": article("Typo", extra="sumary: Short")}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.line, d.col, d.code) for d in bad] == [(6, 1, "unknown-key")]
    assert bad[0].hint == "did you mean 'summary'?"


def test_draft_must_be_a_boolean(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/d.md": article("D", extra="draft: maybe")}))
    assert [(line, c) for _, line, c in _errors(diagnostics)] == [(6, "wrong-type")]


def test_bad_slug_in_a_reference_list(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/r.md": article("R", themes="[Cloud Economics]")}))
    bad = [d for d in diagnostics if d.is_error]
    assert [(d.line, d.code) for d in bad] == [(5, "bad-slug")]
    assert "cloud-economics" in bad[0].hint


def test_alias_must_be_a_path_below_the_root(site: Callable[..., Path]) -> None:
    text = article("A", extra="aliases: [/ok/path/, old-post, https://example.com/x/, /../etc/]")
    _, diagnostics = _load(site({"content/articles/a.md": text}))
    assert [c for _, _, c in _errors(diagnostics)] == ["bad-alias"] * 3


def test_unsafe_image_url_is_an_error(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/img.md": article("Img", extra="image: javascript:alert(1)")}))
    assert [(line, c) for _, line, c in _errors(diagnostics)] == [(6, "unsafe-url")]


def test_theme_rules(site: Callable[..., Path]) -> None:
    text = "---\ntitle: Green\ncolor: green\nweight: heavy\nparent: [a, b]\nsubtitle: x\n---\nIntro\n"
    _, diagnostics = _load(site({"content/themes/green.md": text}))
    assert sorted((line, c) for _, line, c in _errors(diagnostics)) == [
        (3, "bad-color"), (4, "wrong-type"), (5, "wrong-type"), (6, "unknown-key")]


def test_theme_without_title(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/themes/blank.md": "---\ntagline: Nothing\n---\n"}))
    assert [(f, c) for f, _, c in _errors(diagnostics)] == [("content/themes/blank.md", "missing-field")]


def test_author_rules(site: Callable[..., Path]) -> None:
    text = "---\nrole: Analyst\nlinks:\n  website: javascript:alert(1)\n  email: c@example.com\n---\nBio\n"
    content, diagnostics = _load(site({"content/authors/cara.md": text}))
    assert sorted((line, c) for _, line, c in _errors(diagnostics)) == [(1, "missing-field"), (4, "unsafe-url")]


def test_author_email_link_becomes_mailto(site: Callable[..., Path]) -> None:
    text = "---\nname: Cara Diaz\nlinks:\n  email: cara@example.com\n---\nBio\n"
    content, diagnostics = _load(site({"content/authors/cara.md": text}))
    assert diagnostics == []
    cara = {a.slug: a for a in content.authors}["cara"]
    assert cara.links == (("email", "mailto:cara@example.com"),)


def test_service_cta_needs_label_and_url(site: Callable[..., Path]) -> None:
    text = "---\ntitle: Help\ncta:\n  label: Call us\n---\n"
    _, diagnostics = _load(site({"content/services/help.md": text}))
    assert [(f, c) for f, _, c in _errors(diagnostics)] == [("content/services/help.md", "missing-field")]


def test_one_run_reports_every_problem_of_every_file(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/one.md": article("One", extra="type: blog\ndepth: nowhere"),
        "content/articles/two.md": "---\ntitle: Two\n",
        "content/themes/three.md": "---\ncolor: red\n---\n",
    })
    _, diagnostics = _load(root)
    assert sorted(_errors(diagnostics)) == [
        ("content/articles/one.md", 6, "unknown-type"),
        ("content/articles/one.md", 7, "unknown-depth"),
        ("content/articles/two.md", 1, "unclosed-front-matter"),
        ("content/themes/three.md", 1, "missing-field"),
        ("content/themes/three.md", 2, "bad-color"),
    ]


def test_editor_temporary_files_are_not_content(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/.draft.md": "garbage",
        "content/articles/#autosave.md#": "garbage",
        "content/articles/cloud-basics.md~": "garbage",
        "content/articles/notes.txt": "garbage",
    })
    content, diagnostics = _load(root)
    assert diagnostics == []
    assert len(content.articles) == 4


def test_a_binary_file_is_reported_not_raised(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00"}))
    assert [(f, c) for f, _, c in _errors(diagnostics)] in (
        [("content/articles/binary.md", "bad-encoding")], [("content/articles/binary.md", "nul-byte")])


# ----------------------------------------------------------------------------------- read as written


def _all(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str, str]]:
    return [(d.file, d.line, d.col, d.severity, d.code) for d in diagnostics]


@pytest.mark.parametrize("written", ["3.10", "1_000", "2024-01-05", "true", "False", "0777", "1e3", "-0.50",
                                     "2026-01-05 09:30:00"])
def test_a_title_is_the_text_the_author_typed(site: Callable[..., Path], written: str) -> None:
    content, diagnostics = _load(site({"content/articles/typed.md": article(written)}))
    assert diagnostics == []
    assert {a.slug: a for a in content.articles}["typed"].title == written


def test_every_text_field_is_read_as_written(site: Callable[..., Path]) -> None:
    text = article("T", extra="summary: 2.50\nimage_alt: true\ntags: [3.10, true, 2024-01-05, 1_000]")
    theme = "---\ntitle: 2030\ntagline: 1.0\nweight: 2\n---\n"
    service = "---\ntitle: Help\ncta: {label: 24.7, url: https://example.com/help}\n---\n"
    content, diagnostics = _load(site({"content/articles/typed.md": text, "content/themes/t2030.md": theme,
                                       "content/services/help.md": service}))
    assert diagnostics == []
    typed = {a.slug: a for a in content.articles}["typed"]
    assert (typed.summary, typed.image_alt, typed.tags) == ("2.50", "true", ("3.10", "true", "2024-01-05", "1_000"))
    t2030 = {t.slug: t for t in content.themes}["t2030"]
    assert (t2030.title, t2030.tagline, t2030.weight) == ("2030", "1.0", 2)  # weight: still a number
    assert {s.slug: s for s in content.services}["help"].cta_label == "24.7"


def test_numbers_and_booleans_are_still_read_by_their_own_fields(site: Callable[..., Path]) -> None:
    text = article("T", extra="draft: true")
    content, diagnostics = _load(site({"content/articles/d.md": text,
                                       "content/services/w.md": "---\ntitle: W\nweight: 1_000\n---\n"}))
    assert diagnostics == []
    assert {a.slug: a for a in content.articles}["d"].draft is True
    assert {s.slug: s for s in content.services}["w"].weight == 1000


def test_a_text_with_commas_where_a_list_is_expected_is_a_warning(site: Callable[..., Path]) -> None:
    text = article("T", extra="tags: FinOps, Cloud Costs\naliases: /old/a/, /old/b/")
    content, diagnostics = _load(site({"content/articles/c.md": text}))
    assert _all(diagnostics) == [("content/articles/c.md", 6, 7, "warning", "comma-list"),
                                 ("content/articles/c.md", 7, 10, "warning", "comma-list")]
    assert diagnostics[0].message == "'tags' is one text with commas; did you mean a list?"
    assert "`tags: [FinOps, Cloud Costs]`" in diagnostics[0].hint
    assert "`aliases: [/old/a/, /old/b/]`" in diagnostics[1].hint
    # Kept as written: one item, which the warning points at.
    assert {a.slug: a for a in content.articles}["c"].tags == ("FinOps, Cloud Costs",)


def test_commas_in_a_reference_field_are_one_diagnostic(site: Callable[..., Path]) -> None:
    _, diagnostics = _load(site({"content/articles/c.md": article("T", themes="cloud, data")}))
    assert _all(diagnostics) == [("content/articles/c.md", 5, 9, "error", "bad-slug")]
    assert "[cloud, data]" in diagnostics[0].hint


def test_a_comment_where_a_colour_was_meant_is_a_warning(site: Callable[..., Path]) -> None:
    theme = "---\ntitle: Green\ncolor: #0f766e\n---\nIntro\n"
    content, diagnostics = _load(site({"content/themes/green.md": theme}))
    assert _all(diagnostics) == [("content/themes/green.md", 3, 8, "warning", "yaml-comment-value")]
    assert diagnostics[0].hint == 'quote it: `color: "#0f766e"`'
    assert {t.slug: t for t in content.themes}["green"].color == ""


def test_a_duplicate_link_keeps_the_author(site: Callable[..., Path]) -> None:
    text = ("---\nname: Cara Diaz\nlinks:\n  website: https://a.example/\n  website: https://b.example/\n"
            "---\nBio\n")
    content, diagnostics = _load(site({"content/authors/cara.md": text}))
    assert _all(diagnostics) == [("content/authors/cara.md", 5, 3, "error", "duplicate-key")]
    assert diagnostics[0].hint == "the first 'website' (line 4) is used; remove one of them"
    cara = {a.slug: a for a in content.authors}["cara"]
    assert cara.links == (("website", "https://a.example/"),)


@pytest.mark.parametrize(("title", "code"), [("!x Tagged", "yaml-tag"), ("*t", "yaml-alias")])
def test_a_yaml_error_in_a_required_field_is_not_also_a_missing_field(site: Callable[..., Path], title: str,
                                                                         code: str) -> None:
    text = "---\nsummary: &t Anchored\n" + article(title).removeprefix("---\n")
    content, diagnostics = _load(site({"content/articles/y.md": text}))
    assert [(line, c) for _, line, c in _errors(diagnostics)] == [(3, code)]
    assert "y" in {a.slug for a in content.articles}  # kept: what names it does not cascade


# ----------------------------------------------------------------------------------- fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from themehub.config import Config  # noqa: E402
from themehub.content.loader import SourceFile, parse_file  # noqa: E402

LINES = ["title: T", "title:", "title: [a, b]", "date: 2026-01-05", "date: 2026-02-30", "date: soon", "date: 12:30",
         "authors: [ana-quinn]", "author: ana-quinn", "authors: {a: b}", "themes: [cloud]", "themes: cloud",
         "themes: [Cloud Economics]", "type: case-study", "type: blog", "depth: deepest", "draft: yes",
         "draft: true", "tags: [A, a, '']", "aliases: [/old/]", "aliases: [x]", "image: javascript:x", "slug: Bad Slug",
         "summary: a: b", "  - nested", "key: &a x", "other: *a", "!!python/object:x y", "updated: 2026-01-01T10:00Z",
         "services: [cost-review, cost-review]", "- item", "\t", "'", "\"", "{", "}", "[", "]"]


@given(st.lists(st.sampled_from(LINES), max_size=12), st.sampled_from(["articles", "themes", "authors", "services",
                                                                       "pages"]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_front_matter_gives_an_item_or_located_errors_never_an_exception(lines: list[str], kind: str) -> None:
    config = Config(root=Path("/nonexistent"), title="T", base_url="https://example.com/")
    rel = f"content/{kind}/fuzz.md"
    text = "---\n" + "\n".join(lines) + "\n---\nBody\n"
    item, diagnostics = parse_file(SourceFile(kind, Path("/nonexistent") / rel, rel), text, config)
    # No item means errors say why; an item may come with errors about single fields (kept, so that
    # references to it do not cascade into "unknown ..." errors), but never when a required key is missing.
    if item is None:
        assert any(d.is_error for d in diagnostics)
    else:
        assert not any(d.code == "missing-field" for d in diagnostics)
    for d in diagnostics:
        assert d.file == rel
        assert 1 <= d.line <= len(lines) + 4
        assert d.message
