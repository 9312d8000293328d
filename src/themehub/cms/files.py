"""Writing static/admin/index.html and static/admin/config.yml: the editor's page and its configuration.

Both carry a line saying `themehub cms` wrote them; a file without it is someone's own and is never
replaced (without --force). The static/ folder is copied into the built site, so the editor is at
/admin/ both in `themehub serve` and on the published site.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from themehub.cms.editor import editor_config
from themehub.config import Config, load_config
from themehub.diagnostics import Diagnostic, error
from themehub.render.statics import atomic_write
from themehub.sanitize.editor_page import EDITOR_PAGE, SVELTIA_SCHEMA, SVELTIA_VERSION

ADMIN_FOLDER = Path("static") / "admin"
MARK = "Written by `themehub cms`"
"""The line that makes a file ours to write again."""
REPO_PLACEHOLDER = "OWNER/REPOSITORY"
_GITHUB_REMOTE = re.compile(r"github\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def config_yml(config: Config, *, repo: str, branch: str) -> str:
    header = (f"# yaml-language-server: $schema={SVELTIA_SCHEMA}\n"
              f"# {MARK} from the content schemas and themehub.yaml: run it again after changing\n"
              "# themehub.yaml or updating themehub, rather than editing this file by hand.\n")
    body = yaml.safe_dump(editor_config(config, repo=repo, branch=branch), sort_keys=False, allow_unicode=True,
                          width=110, default_flow_style=False)
    return header + body


def repository_of(site: Path) -> str | None:
    """OWNER/NAME of the site's GitHub remote `origin` (read from .git/config), None when there is none."""
    git_config = site / ".git" / "config"
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(git_config.read_text(encoding="utf-8", errors="replace"))
    except (OSError, configparser.Error):
        return None
    match = _GITHUB_REMOTE.search(parser.get('remote "origin"', "url", fallback="").strip())
    return match.group(1) if match else None


def write_editor(site: Path, *, repo: str | None = None, branch: str = "main",
                 force: bool = False) -> tuple[str, list[Diagnostic]]:
    """Write the editor's two files into `site`/static/admin/. Returns what to tell the user, or why
    nothing was written."""
    config, problems = load_config(site)
    if config is None or any(d.is_error for d in problems):
        return "", problems
    repository = repo or repository_of(site) or REPO_PLACEHOLDER
    files = {"index.html": EDITOR_PAGE, "config.yml": config_yml(config, repo=repository, branch=branch)}
    folder = site / ADMIN_FOLDER
    for name in files:
        refused = _not_ours(folder / name, force)
        if refused is not None:
            return "", [refused]
    try:
        for name, text in files.items():
            atomic_write(folder / name, text.encode("utf-8"))
    except OSError as exc:
        return "", [error((ADMIN_FOLDER / "config.yml").as_posix(), 0, 0, "write-failed",
                          f"could not write the editor's files: {exc.strerror or exc}",
                          "check the folder's permissions and free disk space")]
    lines = [f"wrote {(ADMIN_FOLDER / name).as_posix()}" for name in files]
    lines.append(f"the editor (Sveltia CMS {SVELTIA_VERSION}): run `themehub serve`, open "
                 f"http://127.0.0.1:8000{urlsplit(config.base_url).path}admin/ and choose 'Work with Local "
                 "Repository' (Chrome or Edge)")
    if repository == REPO_PLACEHOLDER:
        lines.append(f"set the GitHub repository before publishing the editor: themehub cms --repo OWNER/NAME "
                     f"(now '{REPO_PLACEHOLDER}' in config.yml)")
    return "\n".join(lines), problems


def _not_ours(path: Path, force: bool) -> Diagnostic | None:
    """A file at `path` that themehub did not write (no MARK in its first lines), unless forced over."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            head = file.read(512)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return error(path.as_posix(), 0, 0, "write-failed", f"could not read {path}: {exc.strerror or exc}",
                     "check the folder's permissions")
    if force or MARK in head:
        return None
    shown = (ADMIN_FOLDER / path.name).as_posix()
    return error(shown, 1, 1, "file-exists", f"{shown} was not written by themehub cms; it is left as it is",
                 "move it away to have themehub write the editor's files, or pass --force to replace it")
