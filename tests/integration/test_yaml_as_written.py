"""Front matter is read as the author wrote it, at build level: titles keep their characters (`3.10`,
`1_000`, `2024-01-05`, `true`), a value YAML silently drops or a list written as one text is a
warning with the fix, and a duplicate key is one error, not a lost author and an error at every
article that names them. A second build, from the front-matter cache, tells the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import article, main_of, make_site, page, run_build
from themehub.build import BuildResult
from themehub.content import loader
from themehub.source.frontmatter import load_yaml

TITLES = {"version-310": "3.10", "thousand": "1_000", "dated-title": "2024-01-05", "true-title": "true"}
THEME = "content/themes/cloud.md"
TAGGED = "content/articles/comma-tags.md"
AUTHOR = "content/authors/ana-quinn.md"
WEBSITE = "  website: https://example.com/ana\n"

AUTHOR_TEXT = ("---\nname: Ana Quinn\nrole: Principal\ncompany: Mini Advisory\nexpertise: [cloud]\nlinks:\n"
               + WEBSITE + "  website: https://example.com/ana-again\n---\n\nAna writes about cloud costs.\n")
"""The fixture hub's author, with `website` twice (line 8): she wrote four of its articles, and the
five below."""

WARNINGS = [
    ("warning", "comma-list", TAGGED, 6, 7),
    ("warning", "yaml-comment-value", THEME, 3, 8),
]
DUPLICATE = ("error", "duplicate-key", AUTHOR, 8, 3)


def _site(root: Path) -> Path:
    files = {f"content/articles/{slug}.md": article(title) for slug, title in TITLES.items()}
    files[TAGGED] = article("Tagged", extra="tags: FinOps, Cloud Costs")
    files[THEME] = "---\ntitle: Cloud Economics\ncolor: #0f766e\nservices: [cost-review]\nweight: 1\n---\n\nWhy.\n"
    files[AUTHOR] = AUTHOR_TEXT
    return make_site(root, files)


def _found(result: BuildResult) -> list[tuple[str, str, str, int, int]]:
    return [(d.severity, d.code, d.file, d.line, d.col) for d in result.diagnostics]


def test_a_duplicate_link_is_one_error_and_the_author_still_exists(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    first = run_build(site)
    assert not first.ok
    assert _found(first) == sorted([DUPLICATE, *WARNINGS], key=lambda d: (d[2], d[3], d[4]))
    assert not [d for d in first.diagnostics if d.code == "unknown-author"]
    duplicate = next(d for d in first.diagnostics if d.code == "duplicate-key")
    assert duplicate.hint == "the first 'website' (line 7) is used; remove one of them"
    again = run_build(site)
    assert again.diagnostics == first.diagnostics


def test_titles_are_published_as_written_and_warnings_survive_the_cache(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path / "s")
    author = site / AUTHOR
    author.write_text(author.read_text().replace(WEBSITE, "", 1))
    first = run_build(site)
    assert first.ok, first.diagnostics
    assert _found(first) == WARNINGS
    comment = next(d for d in first.diagnostics if d.code == "yaml-comment-value")
    assert comment.message == "`#0f766e` after 'color:' is read as a YAML comment, so 'color' is empty"
    assert comment.hint == 'quote it: `color: "#0f766e"`'
    commas = next(d for d in first.diagnostics if d.code == "comma-list")
    assert commas.message == "'tags' is one text with commas; did you mean a list?"
    assert "`tags: [FinOps, Cloud Costs]`" in commas.hint
    out = site / "site"
    for slug, title in TITLES.items():
        assert main_of(page(out, f"/insights/articles/{slug}/")).one("h1").text == title
    # Kept as written: one tag, the one the warning is about.
    assert page(out, "/insights/tags/finops-cloud-costs/") is not None

    parsed: list[str] = []

    def counting(text: str, file: str, line_offset: int = 0):  # type: ignore[no-untyped-def]
        parsed.append(file)
        return load_yaml(text, file, line_offset)

    monkeypatch.setattr(loader, "load_yaml", counting)
    second = run_build(site)
    assert second.diagnostics == first.diagnostics
    # The article's document came from the cache (its warning is the field reader's, given again);
    # a document with notes of its own is parsed again by today's loader, so they are given again.
    assert TAGGED not in parsed and set(parsed) <= {THEME}
    for slug, title in TITLES.items():
        assert main_of(page(out, f"/insights/articles/{slug}/")).one("h1").text == title
