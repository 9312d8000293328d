"""`themehub init` (a new site with the sample hub) and `themehub new` (one new content file)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from themehub.cms import write_editor
from themehub.config import CONFIG_FILE
from themehub.content.kind import Starter
from themehub.content.kinds import BY_NAME, KINDS, RESERVED_SLUGS
from themehub.diagnostics import Diagnostic, did_you_mean, error
from themehub.source.slugs import bad_slug_hint, slug_problem

_PACKAGE = Path(__file__).resolve().parent

GITIGNORE = "site/\n.themehub-cache/\n.site.staging-*\n__pycache__/\n.venv/\n"

SETUP_STEPS = """\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install themehub
"""
"""The steps every workflow starts with: the repository, Python, themehub."""

CHECK_WORKFLOW = """\
# Checks every pull request; problems show inline on the changed lines.
name: check
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
""" + SETUP_STEPS + """      - run: themehub check --format github
"""

DEPLOY_WORKFLOW = """\
# Builds main and publishes it to GitHub Pages: on every push to main, by hand (Actions > deploy >
# Run workflow), and every hour, so that a piece with a future `date` goes live (and one whose
# `expires` date passed leaves the listings) without anyone committing: `themehub build` publishes what
# is due at the moment it runs, and prints the next scheduled change. Hourly, at minute 17: a date
# without a time is midnight UTC, so a scheduled piece is live within the hour; not at minute 0, when
# GitHub is busiest and delays or drops scheduled runs. GitHub runs schedules on the default branch only,
# and in a public repository turns them off after 60 days without activity (turn them on under Actions).
name: deploy
on:
  push:
    branches: [main]
  schedule:
    - cron: "17 * * * *"
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:  # one deploy at a time; a scheduled run never cancels a deploy in progress
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
""" + SETUP_STEPS + """      - run: themehub build --strict
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

PREVIEW_WORKFLOW = """\
# Builds every pull request as a preview (drafts included, marked noindex, under its own address
# previews/pr-<number>/), uploads it as an artifact and comments where to find it on the pull request.
# It never replaces the live site: it has no Pages permission and never runs deploy-pages; deploy.yml
# alone publishes main.
#
# Without setup, the preview is built for http://localhost:8000/previews/pr-<number>/: the reviewer
# downloads the artifact from the comment's link, unzips it and runs `python3 -m http.server 8000` in
# that folder (or any static server), then opens the link. To publish previews on the web too, create
# a second repository with a gh-pages branch that it serves on GitHub Pages (e.g. acme/insights-previews),
# set the repository variable PREVIEW_REPOSITORY to its name and the secret PREVIEW_TOKEN to a
# fine-grained token that may write its contents: previews then go to
# https://<owner>.github.io/<that repository>/previews/pr-<number>/. A separate repository because the
# live site's Pages deployment serves one whole site: a preview deployed to it would replace main.
name: preview
on: pull_request
permissions:
  contents: read
concurrency:  # a new push to the pull request replaces its preview in progress
  group: preview-${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      url: ${{ steps.address.outputs.url }}
      artifact-url: ${{ steps.upload.outputs.artifact-url }}
    env:
      PR: ${{ github.event.pull_request.number }}
      PREVIEW_REPOSITORY: ${{ vars.PREVIEW_REPOSITORY }}
    steps:
""" + SETUP_STEPS + """      - id: address
        name: Choose the preview's address
        run: |
          if [ -n "$PREVIEW_REPOSITORY" ]; then
            owner="${PREVIEW_REPOSITORY%%/*}"
            url="https://${owner,,}.github.io/${PREVIEW_REPOSITORY#*/}/previews/pr-$PR/"
          else
            url="http://localhost:8000/previews/pr-$PR/"
          fi
          echo "url=$url" >> "$GITHUB_OUTPUT"
      - name: Build the preview (drafts included, noindex)
        env:
          URL: ${{ steps.address.outputs.url }}
        run: themehub build --drafts --noindex --base-url "$URL" --out "preview/previews/pr-$PR"
      - id: upload
        uses: actions/upload-artifact@v4
        with:
          name: preview-pr-${{ github.event.pull_request.number }}
          path: preview
          retention-days: 14
  publish:
    # Only with a preview repository set up, and never for a pull request from a fork (no secrets there).
    needs: build
    if: vars.PREVIEW_REPOSITORY != '' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions: {}
    env:
      PR: ${{ github.event.pull_request.number }}
      PREVIEW_REPOSITORY: ${{ vars.PREVIEW_REPOSITORY }}
      TOKEN: ${{ secrets.PREVIEW_TOKEN }}
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: preview-pr-${{ github.event.pull_request.number }}
          path: preview
      - name: Copy it into previews/pr-<number>/ of the preview repository
        run: |
          git clone --depth 1 --branch gh-pages "https://x-access-token:$TOKEN@github.com/$PREVIEW_REPOSITORY.git" pages
          rm -rf "pages/previews/pr-$PR"
          mkdir -p pages/previews
          cp -R "preview/previews/pr-$PR" "pages/previews/pr-$PR"
          touch pages/.nojekyll
          cd pages
          git add -A
          git -c user.name="github-actions[bot]" -c user.email="github-actions[bot]@users.noreply.github.com" \\
            commit -m "Preview of $GITHUB_REPOSITORY#$PR" || exit 0
          git push
  comment:
    needs: build
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - uses: actions/github-script@v7
        env:
          PREVIEW_URL: ${{ needs.build.outputs.url }}
          ARTIFACT_URL: ${{ needs.build.outputs.artifact-url }}
          PUBLISHED: ${{ vars.PREVIEW_REPOSITORY != '' }}
        with:
          script: |
            const marker = "<!-- themehub-preview -->";
            const { PREVIEW_URL, ARTIFACT_URL, PUBLISHED } = process.env;
            const how = PUBLISHED === "true"
              ? `**Open ${PREVIEW_URL}** (give GitHub Pages a minute). The built site is also ` +
                `[an artifact](${ARTIFACT_URL}).`
              : `**[Download the preview](${ARTIFACT_URL})**, unzip it, run \\`python3 -m http.server 8000\\` in ` +
                `that folder, and open ${PREVIEW_URL}`;
            const commit = context.payload.pull_request.head.sha.slice(0, 7);
            const body = `${marker}\\nPreview of this pull request at ${commit}: drafts included, ` +
              `hidden from search engines, kept 14 days.\\n\\n${how}`;
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
            const mine = comments.find((c) => c.body && c.body.includes(marker));
            if (mine) {
              await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            } else {
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }
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
        (workflows / "preview.yml").write_text(PREVIEW_WORKFLOW)
    except (OSError, shutil.Error) as exc:  # a folder under a file, no permission, a full disk: the user's path
        return "", [error(str(target), 0, 0, "write-failed", f"could not create the hub in {target}: {_reason(exc)}",
                          "choose a folder you can write to")]
    # The web editor, configured for this hub's kinds and languages (a sample without one gets it too).
    told, problems = write_editor(target, force=True)
    editor = [line for line in told.splitlines() if line.startswith("the editor")]
    return "\n".join([f"created a new hub in {target}", f"next: cd {target} && themehub serve", *editor]), problems


def _reason(exc: OSError | shutil.Error) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


FOLDERS = {kind.name: kind.folder for kind in KINDS}
"""The kinds `themehub new` writes, and their folder under content/."""

OPTIONS = {kind.name: kind.new_options for kind in KINDS}
"""The options of `themehub new` each kind uses; any other is a usage error, not silently ignored."""


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
    record = BY_NAME[kind]
    if not record.section and slug in RESERVED_SLUGS:
        return "", [error(slug, 0, 0, "reserved-slug",
                          f"{kind} slug '{slug}' clashes with the site's own /{slug}/ pages",
                          "choose another slug; the site's own sections are "
                          + ", ".join(sorted(name for name in RESERVED_SLUGS if "." not in name)))]
    loaded = load_site(BuildOptions(site=site, drafts=True))
    if loaded.config is None or loaded.content is None:
        return "", list(loaded.diagnostics)
    config, content = loaded.config, loaded.content
    path = site / "content" / record.folder / f"{slug}.md"
    if path.exists():
        return "", [error(path.relative_to(site).as_posix(), 1, 1, "file-exists", f"{path} already exists",
                          "choose another slug; themehub new never overwrites a file")]
    if any(item.slug == slug for item in content.of(record.folder)):
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
    text = record.starter(Starter(slug, title, theme, author, type_, today or dt.date.today(), config, content))
    if isinstance(text, Diagnostic):
        return "", [text]
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


def new_translation(site: Path, kind: str, slug: str, language: str,
                    today: dt.date | None = None) -> tuple[str, list[Diagnostic]]:
    """Write `<slug>.<language>.md` beside the original of `kind` `slug`: its words to translate and its
    body (content/translations.py `skeleton`); never overwrite a file."""
    from themehub.build import BuildOptions, load_site
    from themehub.content.translations import skeleton

    loaded = load_site(BuildOptions(site=site, drafts=True))
    if loaded.config is None or loaded.content is None:
        return "", list(loaded.diagnostics)
    config, content = loaded.config, loaded.content
    others = [lang.code for lang in config.languages[1:]]
    if language not in others:
        return "", [error("--lang", 0, 0, "unknown-language",
                          f"'{_shown(language)}' is not one of the site's other languages",
                          f"choose one of: {', '.join(others)}" if others else
                          "add `languages:` to themehub.yaml first (see README, Multilingual hubs)")]
    record = BY_NAME[kind]
    original = next((item for item in content.of(record.folder) if item.slug == slug), None)
    if original is None:
        return "", [error(slug, 0, 0, record.unknown_code(), f"no {kind} '{_shown(slug)}' to translate",
                          did_you_mean(slug, [item.slug for item in content.of(record.folder)]))]
    source = site / original.source
    path = source.with_name(f"{source.stem}.{language}.md")
    shown = path.relative_to(site).as_posix()
    text = skeleton(source.read_text(encoding="utf-8-sig"), original.source, (today or dt.date.today()).isoformat(),
                    dated=kind == "article")
    if text is None:
        return "", [error(original.source, 1, 1, "no-front-matter", "the original cannot be read",
                          "run `themehub check` and fix it first")]
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        return "", [error(shown, 1, 1, "file-exists", f"{shown} already exists",
                          "edit it; themehub new never overwrites a file")]
    except OSError as exc:
        return "", [error(shown, 0, 0, "write-failed", f"could not write {shown}: {exc.strerror or exc}",
                          "check the folder and its permissions")]
    return f"created {shown}: translate its words and body (what it leaves out stays {original.source}'s)", []
