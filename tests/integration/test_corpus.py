"""A generated 200-article corpus (the benchmark generator) builds cleanly and links up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import internal_link_problems

GENERATOR = Path("/work/shared/bench/gen_corpus.py")
ARTICLES = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GENERATOR.is_file():
        pytest.fail(f"the corpus generator {GENERATOR} is missing")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(GENERATOR), str(ARTICLES), str(out), "--layout", "themehub"], check=True,
                   capture_output=True, timeout=120)
    return out / "themehub"


def test_generated_corpus_builds_with_exit_0_and_no_broken_links(corpus: Path) -> None:
    # Default --jobs: with 200 articles the markdown is rendered in a process pool.
    proc = subprocess.run([sys.executable, "-m", "themehub", "build"], cwd=corpus, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert " error" not in proc.stderr
    out = corpus / "site"
    articles = sorted(p.stem for p in (corpus / "content/articles").rglob("*.md"))
    assert len(articles) == ARTICLES
    built = sorted(p.name for p in (out / "articles").iterdir() if (p / "index.html").is_file())
    hub = json.loads((out / "hub.json").read_text())
    published = sorted(c["slug"] for c in hub["content"])
    # every generated article is dated in the past and none is a draft: all are published
    assert published == articles
    assert built == articles
    assert internal_link_problems(out) == []


def test_markdown_of_the_corpus_does_not_depend_on_worker_count(corpus: Path) -> None:
    from themehub.render.markdown import MarkdownSettings, render_many
    from themehub.render.pool import WorkPool
    from themehub.source.frontmatter import split_front_matter

    jobs = []
    for path in sorted((corpus / "content/articles").rglob("*.md")):
        rel = path.relative_to(corpus).as_posix()
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), rel)
        assert split is not None
        jobs.append((split.body, rel))
    settings = MarkdownSettings(raw_html="sanitize", base_path="/insights/")
    with WorkPool(2) as pool:
        pooled = render_many(jobs, settings, pool)
    with WorkPool(1) as pool:
        single = render_many(jobs, settings, pool)
    assert len(pooled) == len(single) == ARTICLES
    assert [b.html for b in pooled] == [b.html for b in single]
    assert [b.headings for b in pooled] == [b.headings for b in single]


def test_pages_rendered_by_forked_workers_equal_pages_rendered_in_process(corpus: Path, tmp_path: Path) -> None:
    """With two jobs the ~300 pages are rendered by forked template workers; with one, in this process."""
    import datetime as dt

    from themehub.build import BuildOptions, build
    from themehub.render import renderpass

    assert renderpass.PARALLEL_PAGES < ARTICLES  # the two-job build below takes the forked path
    now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    trees = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs-{jobs}"
        result = build(BuildOptions(site=corpus, out=out, now=now, jobs=jobs, cache=False, search=False))
        assert result.ok, result.diagnostics
        assert len(result.rendered) > renderpass.PARALLEL_PAGES
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    assert [path for path in trees[0] if trees[0][path] != trees[1][path]] == []


def test_a_template_failing_in_forked_workers_is_one_diagnostic_at_its_line(corpus: Path, tmp_path: Path) -> None:
    import datetime as dt
    import shutil

    from themehub.build import BuildOptions, build

    site = tmp_path / "hub"
    shutil.copytree(corpus, site, ignore=shutil.ignore_patterns("site", ".themehub-cache"))
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text('{% extends "!default/article.html" %}\n'
                                            "{% block main %}{{ article.title | int(0) // 0 }}{% endblock %}\n")
    result = build(BuildOptions(site=site, out=tmp_path / "out", now=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
                                jobs=2, cache=False, search=False))
    assert not result.ok
    bad = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.line, d.code) for d in bad] == [("themes/default/templates/article.html", 2, "template-error")]
    assert f"and {ARTICLES - 1} more pages failed: ZeroDivisionError" in bad[0].message
    assert not (tmp_path / "out").exists()
