"""`themehub init` (a new site with the sample hub) and `themehub new` (one new content file)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from themehub.config import CONFIG_FILE, Config
from themehub.content import placeholders
from themehub.content.model import Content
from themehub.diagnostics import Diagnostic, did_you_mean, error
from themehub.source.slugs import bad_slug_hint, slug_problem
from themehub.urls import RESERVED_TOP_LEVEL

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
    try:
        if target.exists() and (not target.is_dir() or any(p.name != ".git" for p in target.iterdir())):
            return "", [error(str(target), 0, 0, "target-not-empty",
                              f"{target} is not empty; init will not overwrite it",
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
    except (OSError, shutil.Error) as exc:  # a folder under a file, no permission, a full disk: the user's path
        return "", [error(str(target), 0, 0, "write-failed", f"could not create the hub in {target}: {_reason(exc)}",
                          "choose a folder you can write to")]
    return (f"created a new hub in {target}\nnext: cd {target} && themehub serve"), []


def _reason(exc: OSError | shutil.Error) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML string


def _yaml_slug(slug: str) -> str:
    """A slug as YAML reads it back: plain, unless YAML would read a boolean or nothing (`null`)."""
    return _yaml_str(slug) if slug in ("true", "false", "null") else slug


FOLDERS = {"article": "articles", "theme": "themes", "author": "authors", "service": "services",
           "page": "pages", "track": "tracks"}
"""The kinds `themehub new` writes, and their folder under content/."""

OPTIONS: dict[str, tuple[str, ...]] = {
    "article": ("title", "theme", "author", "type"),
    "theme": ("title",),
    "author": ("title",),
    "service": ("title",),
    "page": ("title",),
    "track": ("title", "theme"),
}
"""The options of `themehub new` each kind uses; any other is a usage error, not silently ignored."""

TRACK_STEPS = 5
"""How many of its theme's articles a new track proposes as steps (a campaign journey is short)."""


def _shown(text: str) -> str:
    """`text` safe to print on one line: control characters and bytes that are not UTF-8 as escapes."""
    return re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", lambda m: f"\\x{ord(m.group()) & 0xFF:02x}", text)


def _new_slug_problem(slug: str) -> Diagnostic | None:
    try:
        slug.encode("utf-8")
    except UnicodeEncodeError:  # bytes from the command line that are not UTF-8
        return error(_shown(slug), 0, 0, "bad-slug", f"'{_shown(slug)}' is not a slug: it is not UTF-8 text",
                     "a slug needs letters or digits, e.g. 'cloud-costs' or '云计算'")
    problem = slug_problem(slug)
    if problem is None:
        return None
    return error(_shown(slug), 0, 0, "bad-slug", f"'{_shown(slug)}' is not a slug: it {problem[0]}",
                 bad_slug_hint(slug))


def new_item(site: Path, kind: str, slug: str, *, title: str | None = None, theme: str | None = None,
             author: str | None = None, type_: str | None = None,
             today: dt.date | None = None) -> tuple[str, list[Diagnostic]]:
    """Write content/<kind's folder>/<slug>.md with a complete front matter that `themehub check`
    accepts (an article as a draft), or say why not; never overwrite a file."""
    from themehub.build import BuildOptions, load_site

    bad_slug = _new_slug_problem(slug)
    if bad_slug is not None:
        return "", [bad_slug]
    if kind == "page" and slug in RESERVED_TOP_LEVEL:
        return "", [error(slug, 0, 0, "reserved-slug", f"page slug '{slug}' clashes with the site's own /{slug}/ pages",
                          "choose another slug; the site's own sections are "
                          + ", ".join(sorted(name for name in RESERVED_TOP_LEVEL if "." not in name)))]
    loaded = load_site(BuildOptions(site=site, drafts=True))
    if loaded.config is None or loaded.content is None:
        return "", list(loaded.diagnostics)
    config, content = loaded.config, loaded.content
    path = site / "content" / FOLDERS[kind] / f"{slug}.md"
    if path.exists():
        return "", [error(path.relative_to(site).as_posix(), 1, 1, "file-exists", f"{path} already exists",
                          "choose another slug; themehub new never overwrites a file")]
    existing = {"article": content.articles, "theme": content.themes, "author": content.authors,
                "service": content.services, "page": content.pages, "track": content.tracks}[kind]
    if any(item.slug == slug for item in existing):
        return "", [error(slug, 0, 0, "duplicate-slug", f"a {kind} with slug '{slug}' already exists")]
    themes = {t.slug for t in content.themes}
    authors = {a.slug for a in content.authors}
    problems: list[Diagnostic] = []
    if theme is not None and theme not in themes:
        problems.append(error("--theme", 0, 0, "unknown-theme", f"unknown campaign theme '{_shown(theme)}'",
                              did_you_mean(theme, themes)))
    if author is not None and author not in authors:
        problems.append(error("--author", 0, 0, "unknown-author", f"unknown author '{_shown(author)}'",
                              did_you_mean(author, authors)))
    types = dict(config.types)
    if type_ is not None and type_ not in types:
        problems.append(error("--type", 0, 0, "unknown-type", f"unknown type '{_shown(type_)}'",
                              did_you_mean(type_, types)))
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
        text = (f"---\ntitle: {_yaml_str(human)}\ndate: {day}\nauthors: [{_yaml_slug(author or sorted(authors)[0])}]\n"
                f"themes: [{_yaml_slug(theme or sorted(themes)[0])}]\ntype: {_yaml_slug(chosen_type)}\n"
                f"depth: {_yaml_slug(config.default_depth(chosen_type))}\nsummary: \"\"\ntags: []\nservices: []\n"
                "draft: true\n---\n\n"
                f"{placeholders.ARTICLE}\n\n## First section\n\n{placeholders.ARTICLE_SECTION}\n")
    elif kind == "theme":
        # Empty image fields, so the marketer sees they exist; a theme without one gets a share image.
        text = (f"---\ntitle: {_yaml_str(human)}\ntagline: \"\"\ncolor: \"#1e40af\"\n"
                "image: \"\"  # /images/x.jpg under static/, or a picture next to this file\n"
                "image_alt: \"\"  # what the picture shows, for readers who cannot see it\n"
                "services: []\nstart: []\nweight: 10\n---\n\n"
                f"{placeholders.THEME}\n")
    elif kind == "author":
        text = (f"---\nname: {_yaml_str(title or slug.replace('-', ' ').title())}\nrole: \"\"\ncompany: \"\"\n"
                "expertise: []\nlinks: {}\n---\n\n" f"{placeholders.AUTHOR}\n")
    elif kind == "service":
        text = (f"---\ntitle: {_yaml_str(human)}\nsummary: \"\"\n"
                "cta:\n  label: \"Talk to us\"\n  url: \"https://example.com/contact\"\nweight: 10\n---\n\n"
                f"{placeholders.SERVICE}\n")
    elif kind == "page":
        text = f"---\ntitle: {_yaml_str(human)}\nsummary: \"\"\n---\n\n{placeholders.PAGE}\n"
    else:
        text = _track_text(human, theme or (sorted(themes)[0] if themes else None), config, content)
    try:
        data = text.encode("utf-8")  # before the file exists: a failure must not leave an empty one
    except UnicodeEncodeError:
        return "", [error("--title", 0, 0, "bad-encoding", "the title holds bytes that are not UTF-8 text",
                          "type the title again, or set it in the file afterwards")]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # "x": never overwrite, even in a race
            handle.write(data)
    except OSError as exc:  # content/articles is a file, no permission, a full disk
        return "", [error(path.relative_to(site).as_posix(), 0, 0, "write-failed",
                          f"could not write {path}: {exc.strerror or exc}", "check the folder and its permissions")]
    return f"created {path.relative_to(site).as_posix()}", []


def _track_text(title: str, theme: str | None, config: Config, content: Content) -> str:
    """A track through `theme`: the published articles of its hub (its sub-themes' too, as the hub rolls
    them up), entry level first, oldest first within a level, as proposed steps; and the first service
    the theme (or a parent theme) offers. Each is a slug that exists, so the file passes `check`."""
    by_slug = {t.slug: t for t in content.themes}
    family = {theme} if theme else set()
    grown = True
    while grown:  # add sub-themes until none is new (a loop of parents stops too)
        before = len(family)
        family |= {t.slug for t in content.themes if t.parent is not None and t.parent.slug in family}
        grown = len(family) > before
    articles = sorted((a for a in content.articles if not a.draft and family & {r.slug for r in a.themes}),
                      key=lambda a: (config.depth_index(a.depth), a.date, a.slug))
    steps = ", ".join(_yaml_slug(a.slug) for a in articles[:TRACK_STEPS])
    services = {s.slug for s in content.services}
    offered: str | None = None
    current, seen = theme, set[str]()
    while current in by_slug and current not in seen and offered is None:  # `seen`: parents may form a loop
        seen.add(current)
        offered = next((r.slug for r in by_slug[current].services if r.slug in services), None)
        parent = by_slug[current].parent
        current = parent.slug if parent else None
    return (f"---\ntitle: {_yaml_str(title)}\nsummary: \"\"\n{_line('theme', theme)}"
            f"steps: [{steps}]\n{_line('service', offered)}---\n\n"
            f"{placeholders.TRACK}\n")


def _line(key: str, slug: str | None) -> str:
    """`key: slug`, or `key:` alone (YAML's null: not set) when there is none."""
    return f"{key}: {_yaml_slug(slug)}\n" if slug else f"{key}:\n"
