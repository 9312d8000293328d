"""`themehub cms` and `init`: the web editor's files, its configuration checked against the editor's own
published JSON Schema, every front-matter key with the widget a marketer needs, and files saved the way
the editor saves them accepted by `check`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.cli.test_cli import no_traceback, themehub
from tests.helpers import copy_sample, in_one_language
from themehub.cms import SVELTIA_SCHEMA, SVELTIA_SCRIPT, SVELTIA_SRI, SVELTIA_VERSION
from themehub.content.kinds import KINDS

REPO_ROOT = Path(__file__).resolve().parents[2]
SVELTIA = REPO_ROOT / ".cache" / "sveltia" / SVELTIA_VERSION
"""The editor's release, as scripts/fetch_sveltia.py unpacks it from the npm registry (`make test` runs it)."""

# Written by hand from the README's front-matter tables: what a marketer is asked for, key by key.
EXPECTED_WIDGETS: dict[str, dict[str, str]] = {
    "articles": {"title": "string", "date": "datetime", "authors": "relation",
                 "themes": "relation", "type": "select", "depth": "select", "summary": "text", "tags": "list",
                 "services": "relation", "draft": "boolean", "slug": "string", "image": "image",
                 "image_alt": "string", "image_focus": "string", "updated": "datetime", "aliases": "list",
                 "expires": "datetime", "review_by": "datetime", "featured": "boolean", "body": "markdown"},
    "themes": {"title": "string", "tagline": "text", "parent": "relation", "color": "color", "image": "image",
               "image_alt": "string", "image_focus": "string", "services": "relation", "start": "relation",
               "weight": "number", "cta": "object", "body": "markdown"},
    "authors": {"name": "string", "role": "string", "company": "string", "avatar": "image",
                "expertise": "relation", "links": "keyvalue", "voice": "select", "contact": "string",
                "body": "markdown"},
    "services": {"title": "string", "summary": "text", "cta": "object", "weight": "number", "body": "markdown"},
    "pages": {"title": "string", "summary": "text", "slug": "string", "aliases": "list", "body": "markdown"},
    "tracks": {"title": "string", "summary": "text", "theme": "relation", "steps": "relation",
               "service": "relation", "cta": "object", "weight": "number", "body": "markdown"},
    "events": {"title": "string", "date": "datetime", "end": "datetime", "location": "string",
               "themes": "relation", "speakers": "relation", "services": "relation", "summary": "text",
               "cta": "object", "body": "markdown"},
}
# (collection, field) -> (the collection it searches, whether it takes several)
EXPECTED_RELATIONS = {
    ("articles", "authors"): ("authors", True), ("articles", "themes"): ("themes", True),
    ("articles", "services"): ("services", True), ("themes", "parent"): ("themes", False),
    ("themes", "start"): ("articles", True), ("authors", "expertise"): ("themes", True),
    ("tracks", "steps"): ("articles", True), ("tracks", "theme"): ("themes", False),
    ("events", "speakers"): ("authors", True),
}


def sveltia_file(relative: str) -> Path:
    path = SVELTIA / relative
    assert path.is_file(), (f"{path} is missing: `make test` fetches the editor's release first "
                            "(or run .venv/bin/python scripts/fetch_sveltia.py)")
    return path


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "hub"
    proc = themehub("init", str(target), cwd=target.parent)
    assert proc.returncode == 0, proc.stderr
    assert "/admin/" in proc.stdout
    return target


def editor_config(site: Path) -> dict[str, Any]:
    return yaml.safe_load((site / "static" / "admin" / "config.yml").read_text(encoding="utf-8"))


def collections(site: Path) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in editor_config(site)["collections"]}


def fields(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def sveltia_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(sveltia_file("schema/sveltia-cms.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(document)]


def test_init_writes_an_editor_that_validates_against_the_editors_published_schema(initialised: Path) -> None:
    text = (initialised / "static" / "admin" / "config.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SVELTIA_SCHEMA}"
    assert f"@sveltia/cms@{SVELTIA_VERSION}/" in SVELTIA_SCHEMA
    assert sveltia_errors(yaml.safe_load(text)) == []


def test_the_schema_check_catches_a_wrong_option(initialised: Path) -> None:
    """The validation above can fail: a misspelt widget option and an unknown publish mode are refused."""
    document = editor_config(initialised)
    document["publish_mode"] = "workflow"
    document["collections"][0]["fields"][0]["widgt"] = "string"
    problems = sveltia_errors(document)
    assert any(p.startswith("publish_mode") for p in problems), problems
    assert any(p.startswith("collections/0") for p in problems), problems


def test_every_front_matter_key_of_every_kind_has_its_widget(initialised: Path) -> None:
    found = collections(initialised)
    assert set(found) == {kind.folder for kind in KINDS} == set(EXPECTED_WIDGETS)
    for kind in KINDS:
        widgets = {name: f["widget"] for name, f in fields(found[kind.folder]).items()}
        # every key, in the README's order; `author`, a synonym of `authors`, is not asked for twice
        assert list(widgets) == [*(k for k in kind.keys if k != "author"), "body"], kind.folder
        assert widgets == EXPECTED_WIDGETS[kind.folder], kind.folder
        assert found[kind.folder]["folder"] == f"content/{kind.folder}"
    for (collection, name), (target, multiple) in EXPECTED_RELATIONS.items():
        field = fields(found[collection])[name]
        assert (field["collection"], field["multiple"]) == (target, multiple), (collection, name)
        searched = "name" if target == "authors" else "title"
        assert field["search_fields"] == [searched] and field["value_field"] == "{{slug}}"


def test_required_fields_patterns_and_hints_come_from_the_schemas(initialised: Path) -> None:
    articles = fields(collections(initialised)["articles"])
    assert {n for n, f in articles.items() if f["required"]} == {"title", "date", "authors", "themes"}
    assert articles["summary"]["hint"] == "One sentence for cards, feeds and search engines"
    slug_pattern, message = articles["slug"]["pattern"]
    assert re.search(slug_pattern, "cloud-costs") and re.search(slug_pattern, "云计算-入门")
    assert not re.search(slug_pattern, "Cloud Costs") and not re.search(slug_pattern, "cloud--costs")
    assert "hyphen" in message
    authors = fields(collections(initialised)["authors"])
    assert {n for n, f in authors.items() if f["required"]} == {"name"}
    assert authors["voice"]["options"] == ["expert", "customer", "partner"]
    tracks = fields(collections(initialised)["tracks"])
    assert {n for n, f in tracks.items() if f["required"]} == {"title", "steps"}
    assert [f["name"] for f in tracks["cta"]["fields"]] == ["label", "url"]


def test_type_and_depth_are_the_sites_own_choices(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    config = site / "themehub.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "types:\n  article: entry\n  webinar: deeper\n",
                      encoding="utf-8")
    proc = themehub("cms", "--site", str(site), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    articles = fields(collections(site)["articles"])
    assert articles["type"]["options"] == [{"label": "Article", "value": "article"},
                                           {"label": "Webinar", "value": "webinar"}]
    assert [o["value"] for o in articles["depth"]["options"]] == ["entry", "deeper", "deepest"]
    assert articles["depth"]["options"][0]["label"] == "Start here"  # the label themehub.yaml gives


def test_collections_address_slug_and_workflow_match_the_built_site(initialised: Path) -> None:
    document = editor_config(initialised)
    assert document["publish_mode"] == "editorial_workflow"
    assert (document["media_folder"], document["public_folder"]) == ("static/images", "/images")
    assert (initialised / "static" / "images").is_dir()
    assert document["slug"]["encoding"] == "unicode" and document["slug"]["lowercase"] is True
    found = collections(initialised)
    assert found["articles"]["preview_path"] == "articles/{{slug}}/"
    assert found["pages"]["preview_path"] == "{{slug}}/"
    assert found["articles"]["nested"]["depth"] >= 2  # content/articles/2026/x.md is listed too
    proc = themehub("build", "--site", str(initialised), "--no-search", cwd=initialised)
    assert proc.returncode == 0, proc.stderr
    site = initialised / "site"
    assert (site / "articles" / "why-cloud-bills-surprise-finance" / "index.html").is_file()
    assert (site / "about" / "index.html").is_file()
    admin = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in admin


def test_a_multilingual_hub_gets_translations_paired_as_multiple_files(initialised: Path, tmp_path: Path) -> None:
    document = editor_config(initialised)
    assert document["i18n"] == {"structure": "multiple_files", "locales": ["en", "de", "ja"],
                                "default_locale": "en", "omit_default_locale_from_file_path": True}
    articles = collections(initialised)["articles"]
    assert articles["i18n"] is True
    translated = {n for n, f in fields(articles).items() if f["i18n"]}
    assert translated == {"title", "summary", "image_alt", "slug", "updated", "body"}
    one = in_one_language(copy_sample(tmp_path / "one"))
    assert themehub("cms", "--site", str(one), cwd=tmp_path).returncode == 0
    assert "i18n" not in editor_config(one)
    assert all("i18n" not in f for c in collections(one).values() for f in c["fields"])


def test_the_editor_page_loads_the_pinned_release_with_its_integrity(initialised: Path) -> None:
    html = (initialised / "static" / "admin" / "index.html").read_text(encoding="utf-8")
    assert f'<script src="{SVELTIA_SCRIPT}" integrity="{SVELTIA_SRI}" crossorigin="anonymous">' in html
    assert f"https://unpkg.com/@sveltia/cms@{SVELTIA_VERSION}/dist/sveltia-cms.js" == SVELTIA_SCRIPT
    digest = hashlib.sha384(sveltia_file("dist/sveltia-cms.js").read_bytes()).digest()
    assert "sha384-" + base64.b64encode(digest).decode() == SVELTIA_SRI


def test_cms_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    admin = site / "static" / "admin"
    shutil.rmtree(admin)  # a site with an editor of its own, and no editor's page yet
    admin.mkdir()
    (admin / "config.yml").write_text("backend:\n  name: git-gateway\n", encoding="utf-8")
    proc = themehub("cms", "--site", str(site), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "static/admin/config.yml:1:1: error: static/admin/config.yml was not written by themehub cms" in proc.stdout + proc.stderr
    assert "--force" in proc.stdout + proc.stderr
    assert (admin / "config.yml").read_text(encoding="utf-8") == "backend:\n  name: git-gateway\n"
    assert not (admin / "index.html").exists()  # nothing half written
    forced = themehub("cms", "--site", str(site), "--force", "--repo", "acme/insights", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert editor_config(site)["backend"] == {"name": "github", "repo": "acme/insights", "branch": "main"}
    again = themehub("cms", "--site", str(site), "--branch", "content", cwd=tmp_path)  # ours: rewritten
    assert again.returncode == 0, again.stderr
    assert editor_config(site)["backend"]["branch"] == "content"


def test_the_repository_comes_from_the_git_remote_or_is_asked_for(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    proc = themehub("cms", "--site", str(site), cwd=tmp_path)
    assert "themehub cms --repo OWNER/NAME" in proc.stdout
    assert editor_config(site)["backend"]["repo"] == "OWNER/REPOSITORY"
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text('[core]\n\tbare = false\n[remote "origin"]\n'
                                          "\turl = git@github.com:northwind/insights-hub.git\n", encoding="utf-8")
    proc = themehub("cms", "--site", str(site), cwd=tmp_path)
    assert proc.returncode == 0 and "OWNER/NAME" not in proc.stdout
    assert editor_config(site)["backend"]["repo"] == "northwind/insights-hub"
    bad = themehub("cms", "--site", str(site), "--repo", "not a repo", cwd=tmp_path)
    assert bad.returncode == 2 and "OWNER/NAME" in bad.stderr


def test_cms_on_a_folder_without_a_site_says_so(tmp_path: Path) -> None:
    proc = themehub("cms", "--site", str(tmp_path), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "no-config" in proc.stdout + proc.stderr
    assert not (tmp_path / "static").exists()


def test_only_the_editor_page_as_cms_writes_it_may_run_a_script(tmp_path: Path) -> None:
    """Attack: a pull request that edits the editor's page (another script, an inline one) or puts the same
    page elsewhere gets `active-content` and nothing is published; the page as written builds."""
    site = copy_sample(tmp_path / "hub")
    assert themehub("cms", "--site", str(site), cwd=tmp_path).returncode == 0
    page = site / "static" / "admin" / "index.html"
    written = page.read_text(encoding="utf-8")
    tampered = [
        ("admin/index.html", written.replace(SVELTIA_SCRIPT, "https://evil.example/cms.js")),
        ("admin/index.html", written.replace("<body></body>", "<body><script>steal()</script></body>")),
        ("elsewhere/index.html", written),
    ]
    for where, text in tampered:
        target = site / "static" / where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        proc = themehub("build", "--site", str(site), "--no-search", cwd=tmp_path)
        assert proc.returncode == 1, where
        assert f"static/{where}:" in proc.stdout + proc.stderr and "[active-content]" in proc.stdout + proc.stderr
        assert not (site / "site").exists()  # nothing published
        if target == page:
            page.write_text(written, encoding="utf-8")
        else:
            target.unlink()
    proc = themehub("build", "--site", str(site), "--no-search", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (site / "site" / "admin" / "index.html").read_text(encoding="utf-8") == written
    assert (site / "site" / "admin" / "config.yml").is_file()


def test_the_sample_hubs_editor_is_what_cms_writes_today(tmp_path: Path) -> None:
    """The repository's own static/admin/ (what `make serve` shows at /admin/) never drifts from the generator."""
    site = copy_sample(tmp_path / "hub")
    proc = themehub("cms", "--site", str(site), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("index.html", "config.yml"):
        assert (site / "static" / "admin" / name).read_bytes() == (REPO_ROOT / "static" / "admin" / name).read_bytes(), (
            f"static/admin/{name} is out of date: run `themehub cms` in the repository")


# A new piece and a translation as the editor saves them (tests/browser/test_cms_editor.py saves real
# ones in Chromium): keys in the form's order, strings plain unless they must be quoted (then single
# quotes), block lists indented two spaces, booleans written out, empty optional fields left out, the
# date picker's `YYYY-MM-DDTHH:mm:ssZ`, a blank line between front matter and body.
EDITOR_ARTICLE = """\
---
title: 'FinOps for boards: five questions to ask'
date: 2027-01-12T09:00:00+01:00
authors:
  - maya-okafor
themes:
  - cloud-economics
type: article
depth: entry
summary: What a board should ask about cloud spend, in plain words.
tags:
  - FinOps
  - Governance
services:
  - cloud-cost-optimisation
draft: false
image: /images/cloud-economics.svg
image_alt: Abstract blue bars
updated: 2027-01-12
featured: false
---

Boards see the cloud bill once a quarter. **Five questions** make that meeting count.

## One: what does a unit cost?
"""
EDITOR_TRANSLATION = """\
---
title: 'FinOps für Aufsichtsräte: fünf Fragen'
summary: Was ein Aufsichtsrat zu Cloud-Kosten fragen sollte.
slug: finops-fuer-aufsichtsraete
updated: 2027-01-12
---

Aufsichtsräte sehen die Cloud-Rechnung einmal im Quartal.
"""


def test_files_saved_the_way_the_editor_saves_them_pass_check_and_publish_on_their_date(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    articles = site / "content" / "articles"
    (articles / "finops-for-boards.md").write_text(EDITOR_ARTICLE, encoding="utf-8")
    (articles / "finops-for-boards.de.md").write_text(EDITOR_TRANSLATION, encoding="utf-8")
    checked = themehub("check", "--site", str(site), "--as-of", "2027-01-13", cwd=tmp_path)
    no_traceback(checked)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "finops-for-boards" not in checked.stdout + checked.stderr  # not even a warning
    before = themehub("build", "--site", str(site), "--no-search", "--as-of", "2027-01-12T07:59:00Z", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert not (site / "site" / "articles" / "finops-for-boards").exists()  # 09:00 at +01:00 is 08:00 UTC
    after = themehub("build", "--site", str(site), "--no-search", "--as-of", "2027-01-12T08:01:00Z", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    page = (site / "site" / "articles" / "finops-for-boards" / "index.html").read_text(encoding="utf-8")
    assert "FinOps for boards: five questions to ask" in page and "<strong>Five questions</strong>" in page
    german = (site / "site" / "de" / "articles" / "finops-fuer-aufsichtsraete" / "index.html").read_text(encoding="utf-8")
    assert "FinOps für Aufsichtsräte: fünf Fragen" in german and "einmal im Quartal" in german
    # the editor's files are read, never rewritten
    assert (articles / "finops-for-boards.md").read_text(encoding="utf-8") == EDITOR_ARTICLE
