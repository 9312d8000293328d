"""`themehub init` (a new site with the sample hub) and `themehub new` (one new content file)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from themehub.config import CONFIG_FILE
from themehub.content.fields import SLUG_RE, slugify
from themehub.diagnostics import Diagnostic, did_you_mean, error

_PACKAGE = Path(__file__).resolve().parent

GITIGNORE = "site/\n.themehub-cache/\n.site.staging-*\n__pycache__/\n.venv/\n"

CHECK_WORKFLOW = """\
# Checks every pull request; problems show inline on the changed lines.
name: check
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install themehub
      - run: themehub check --format github
"""

DEPLOY_WORKFLOW = """\
# Builds main and publishes it to GitHub Pages.
name: deploy
on:
  push:
    branches: [main]
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install themehub
      - run: themehub build --strict
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
    steps:
      - uses: actions/deploy-pages@v4
"""


def sample_root() -> Path:
    """The sample hub: shipped in the wheel, or the repository's own when run from a checkout."""
    packaged = _PACKAGE / "sample"
    if (packaged / CONFIG_FILE).is_file():
        return packaged
    return _PACKAGE.parent.parent


def init_site(target: Path) -> tuple[str, list[Diagnostic]]:
    if target.exists() and (not target.is_dir() or any(p.name != ".git" for p in target.iterdir())):
        return "", [error(str(target), 0, 0, "target-not-empty", f"{target} is not empty; init will not overwrite it",
                          "run `themehub init NEW_FOLDER` with a folder that does not exist yet")]
    source = sample_root()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / CONFIG_FILE, target / CONFIG_FILE)
    for folder in ("content", "static"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    (target / ".gitignore").write_text(GITIGNORE)
    workflows = target / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "check.yml").write_text(CHECK_WORKFLOW)
    (workflows / "deploy.yml").write_text(DEPLOY_WORKFLOW)
    return (f"created a new hub in {target}\nnext: cd {target} && themehub serve"), []


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML string


def new_item(site: Path, kind: str, slug: str, *, title: str | None = None, theme: str | None = None,
             author: str | None = None, type_: str | None = None,
             today: dt.date | None = None) -> tuple[str, list[Diagnostic]]:
    from themehub.build import BuildOptions, load_site

    if not SLUG_RE.match(slug):
        return "", [error(slug, 0, 0, "bad-slug", f"'{slug}' is not a slug",
                          f"use lowercase words joined by '-', e.g. '{slugify(slug) or 'my-article'}'")]
    loaded = load_site(BuildOptions(site=site, drafts=True))
    if loaded.config is None or loaded.content is None:
        return "", list(loaded.diagnostics)
    config, content = loaded.config, loaded.content
    folder = {"article": "articles", "theme": "themes", "author": "authors", "service": "services"}[kind]
    path = site / "content" / folder / f"{slug}.md"
    if path.exists():
        return "", [error(path.relative_to(site).as_posix(), 1, 1, "file-exists", f"{path} already exists",
                          "choose another slug; themehub new never overwrites a file")]
    existing = {"article": content.articles, "theme": content.themes, "author": content.authors,
                "service": content.services}[kind]
    if any(item.slug == slug for item in existing):
        return "", [error(slug, 0, 0, "duplicate-slug", f"a {kind} with slug '{slug}' already exists")]
    themes = {t.slug for t in content.themes}
    authors = {a.slug for a in content.authors}
    problems: list[Diagnostic] = []
    if theme is not None and theme not in themes:
        problems.append(error("--theme", 0, 0, "unknown-theme", f"unknown campaign theme '{theme}'",
                              did_you_mean(theme, themes)))
    if author is not None and author not in authors:
        problems.append(error("--author", 0, 0, "unknown-author", f"unknown author '{author}'",
                              did_you_mean(author, authors)))
    types = dict(config.types)
    if type_ is not None and type_ not in types:
        problems.append(error("--type", 0, 0, "unknown-type", f"unknown type '{type_}'", did_you_mean(type_, types)))
    if problems:
        return "", problems
    human = title or slug.replace("-", " ").capitalize()
    day = (today or dt.date.today()).isoformat()
    if kind == "article":
        if theme is None and not themes:
            return "", [error("--theme", 0, 0, "unknown-theme", "the site has no campaign theme yet",
                              "create one first: themehub new theme my-theme")]
        if author is None and not authors:
            return "", [error("--author", 0, 0, "unknown-author", "the site has no author yet",
                              "create one first: themehub new author your-name")]
        chosen_type = type_ or "article"
        text = (f"---\ntitle: {_yaml_str(human)}\ndate: {day}\nauthors: [{author or sorted(authors)[0]}]\n"
                f"themes: [{theme or sorted(themes)[0]}]\ntype: {chosen_type}\n"
                f"depth: {config.default_depth(chosen_type)}\nsummary: \"\"\ntags: []\nservices: []\n"
                "draft: true\n---\n\n"
                "Start with the one idea a reader should leave with.\n\n## First section\n\nWrite here.\n")
    elif kind == "theme":
        text = (f"---\ntitle: {_yaml_str(human)}\ntagline: \"\"\ncolor: \"#1e40af\"\nservices: []\nstart: []\n"
                "weight: 10\n---\n\nWhat this campaign theme is about, in two or three sentences.\n")
    elif kind == "author":
        text = (f"---\nname: {_yaml_str(title or slug.replace('-', ' ').title())}\nrole: \"\"\ncompany: \"\"\n"
                "expertise: []\nlinks: {}\n---\n\nA short bio in your own voice.\n")
    else:
        text = (f"---\ntitle: {_yaml_str(human)}\nsummary: \"\"\n"
                "cta:\n  label: \"Talk to us\"\n  url: \"https://example.com/contact\"\nweight: 10\n---\n\n"
                "What the service is, who it is for and what a client gets.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return f"created {path.relative_to(site).as_posix()}", []
