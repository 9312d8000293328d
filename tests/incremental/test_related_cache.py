"""The related-content ranking is kept in .themehub-cache/related.json: a rebuild whose ranking
inputs did not change reuses it instead of scoring again; a damaged or forged file is never trusted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.helpers import copy_sample, in_one_language

from themehub.build import BuildOptions, build
from themehub.hub import recommendations
from themehub.incremental.store import load_graph_memo

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
ARTICLE = "content/articles/cloud-unit-cost-model.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".themehub-output"}


def run(site: Path, out: Path | None = None, cache: bool = True) -> dict[str, bytes]:
    result = build(BuildOptions(site=site, out=out, now=NOW, jobs=1, cache=cache, search=False))
    assert result.ok, result.diagnostics
    return tree(out or site / "site")


def edit(site: Path, old: str, new: str) -> None:
    path = site / ARTICLE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_title_edit_reuses_the_ranking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    assert json.loads((site / ".themehub-cache/related.json").read_text())["related"]
    edit(site, "title: ", "title: Revised ")

    def no_scoring(*args: object, **kwargs: object) -> None:
        raise AssertionError("the related ranking was computed again")

    monkeypatch.setattr(recommendations, "score_related", no_scoring)
    built = run(site)
    monkeypatch.undo()
    assert built == run(site, tmp_path / "clean", cache=False)


def test_a_tag_edit_scores_again(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    before = (site / ".themehub-cache/related.json").read_text()
    edit(site, "tags: [", "tags: [Brand New Tag, ")
    built = run(site)
    assert (site / ".themehub-cache/related.json").read_text() != before
    assert built == run(site, tmp_path / "clean", cache=False)


@pytest.mark.parametrize("damage", ["not json", "wrong shape", "unknown slug", "index out of range",
                                    "negative index", "reasons not a list", "stale key"])
def test_a_damaged_or_forged_ranking_is_not_trusted(tmp_path: Path, damage: str) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    path = site / ".themehub-cache/related.json"
    record = json.loads(path.read_text())
    slugs = sorted(record["related"])
    if damage == "not json":
        path.write_text("{oops")
    elif damage == "wrong shape":
        path.write_text(json.dumps({"key": record["key"], "related": [1, 2, 3]}))
    elif damage == "unknown slug":
        record["slugs"].append("no-such-article")
        record["reasons"].append(["forged"])
        record["related"][slugs[0]] = [len(record["slugs"]) - 1, 99.0, len(record["reasons"]) - 1]
        path.write_text(json.dumps(record))
    elif damage == "index out of range":
        record["related"][slugs[0]] = [len(record["slugs"]), 99.0, 0]
        path.write_text(json.dumps(record))
    elif damage == "negative index":  # Python would read it from the end of the table: not a ranking
        record["related"][slugs[0]] = [-1, 99.0, 0]
        path.write_text(json.dumps(record))
    elif damage == "reasons not a list":
        record["reasons"][0] = "forged"
        path.write_text(json.dumps(record))
    else:  # well formed, but made for other front matter (its key differs)
        record["key"] = "0" * 32
        record["related"][slugs[0]], record["related"][slugs[1]] = record["related"][slugs[1]], record["related"][slugs[0]]
        path.write_text(json.dumps(record))
    if damage not in ("unknown slug", "stale key"):  # those two read well; the rebuild must refuse them
        assert load_graph_memo(site / ".themehub-cache") == {}
    edit(site, "Total cloud spend", "Total cloud spending")
    assert run(site) == run(site, tmp_path / "clean", cache=False)
