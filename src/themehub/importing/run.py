"""`themehub import`: read another generator's site, name everything, get the pictures, write the hub
(or say what would be written), and report on every post."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from themehub.config import CONFIG_FILE
from themehub.diagnostics import Diagnostic, error
from themehub.importing import files
from themehub.importing.model import Picture, Site, UnreadableSourceError
from themehub.importing.names import Names, all_pictures, name_everything, old_path
from themehub.importing.pictures import Fate, obtain
from themehub.importing.report import Entry, Report, entry_of
from themehub.render.statics import atomic_write

REPORT_FILE = "import-report.json"
CACHE = Path(".themehub-cache") / "import"
"""Below the target site: downloads kept between runs (a second run resumes, and downloads nothing twice)."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source: Path
    out: Path
    themes: int = 6
    """How many of the most used categories become campaign themes; the others stay tags."""
    folder: str = ""
    """For an existing hub: the folder below content/articles/ the posts go in."""
    taxonomy: str = "categories"
    """Hugo: the taxonomy whose terms become themes."""
    download: bool = True
    timeout: float = 20.0
    dry_run: bool = False
    overwrite: bool = False
    now: dt.datetime | None = None
    """What counts as the future (scheduled posts) in the report; None: now."""


def import_site(fmt: str, options: ImportOptions) -> tuple[str, list[Diagnostic]]:
    """What to print, and the problems; nothing is written when there is an error, or with dry_run."""
    out = options.out
    # A hub this import made before is made again (--overwrite); any other hub gets the posts in a folder.
    again = _made_by(out, options.source)
    existing = (out / CONFIG_FILE).is_file() and not again
    # An empty folder, or one with only a repository and the downloads of an earlier run, is a new hub's.
    leftovers = {".git", CACHE.parts[0]}
    if not (existing or again) and out.exists() and (not out.is_dir()
                                                     or any(p.name not in leftovers for p in out.iterdir())):
        return "", [error(str(out), 0, 0, "target-not-empty", f"{out} is not empty and holds no hub",
                          "import into a new folder (--out NEW_FOLDER), or into a hub (a folder with themehub.yaml)")]
    try:
        site = _reader(fmt)(options)
    except UnreadableSourceError as exc:
        return "", [error(str(options.source), 0, 0, "unreadable-source", str(exc), exc.hint)]
    site = with_uploads(site)
    folder = options.folder or ("imported" if existing else "")
    now = options.now or dt.datetime.now(dt.UTC)
    names = name_everything(site, themes=options.themes, now=now, taken=_taken(out) if existing else None)
    # WordPress keeps a post's pictures on its server (a path is relative to it); a Hugo or Jekyll site has
    # its own in its folder, and a picture on another site is someone else's: linked as it was.
    on_server = fmt == "wordpress"
    fates = obtain(all_pictures(site), source_root=site.source if site.source.is_dir() else site.source.parent,
                   base_url=site.base_url if on_server else "", cache=out / CACHE,
                   download=options.download and on_server, timeout=options.timeout, dry_run=options.dry_run)
    written, copies, entries = _files(site, names, fates, folder, existing, now)
    # A campaign theme or SME the hub has already is the same one: kept as it is, and used.
    written = [w for w in written if not (existing and w.path.startswith(("content/themes/", "content/authors/"))
                                          and (out / w.path).exists())]
    conflicts = [w for w in [*(w.path for w in written), *copies] if (out / w).exists()]
    if conflicts and not options.overwrite:
        return "", [error(str(out / path), 0, 0, "file-exists", f"{out / path} exists; the import writes nothing",
                          "import into a new folder, choose another --folder, or pass --overwrite")
                    for path in conflicts]
    report = Report(fmt=fmt, site=site, out=out, entries=tuple(entries), names=names, fates=fates,
                    dry_run=options.dry_run, files=len(written) + len(copies))
    if not options.dry_run:
        problem = _write(out, written, copies, report)
        if problem is not None:
            return "", [problem]
    return report.text(), []


_LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)|\bhref=[\"']([^\"']+)")


def with_uploads(site: Site) -> Site:
    """Each post with the files of the old site's media library it links to (a PDF, a full-size picture)
    among its pictures: downloaded and linked like them, where a link to the old server would break."""
    posts = []
    for post in site.posts:
        known = {p.reference for p in post.pictures} | ({post.image.reference} if post.image else set())
        found = [url for match in _LINK_TARGET.finditer(post.body) for url in match.groups() if url]
        extra = tuple(Picture(url, None) for url in dict.fromkeys(found)
                      if url not in known and "/wp-content/uploads/" in (old_path(url, site.base_url) or ""))
        posts.append(dataclasses.replace(post, pictures=(*post.pictures, *extra)) if extra else post)
    return dataclasses.replace(site, posts=tuple(posts))


def _made_by(out: Path, source: Path) -> bool:
    """Whether the hub in `out` was made by importing `source` (its import-report.json says so)."""
    try:
        report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and Path(str(report.get("source"))).resolve() == source.resolve()


def _reader(fmt: str) -> Callable[[ImportOptions], Site]:
    module = importlib.import_module(f"themehub.importing.{fmt}")
    if fmt == "hugo":
        return lambda o: module.read(o.source, taxonomy=o.taxonomy)
    return lambda o: module.read(o.source)


def _taken(out: Path) -> dict[str, set[str]]:
    """The slugs an existing hub has, by kind folder (from its file names: enough to never overwrite)."""
    content = out / "content"
    return {folder: {p.name.split(".")[0] for p in (content / folder).rglob("*.md")}
            for folder in ("articles", "pages")}


def _files(site: Site, names: Names, fates: dict[str, Fate], folder: str, existing: bool, now: dt.datetime,
           ) -> tuple[list[files.Written], dict[str, Path], list[Entry]]:
    def picture_at(reference: str) -> str | None:
        fate = fates.get(reference)
        if fate is None or fate.how == "missing":
            return None
        if fate.how == "linked":
            return _absolute(site.base_url, reference)
        return "/" + names.pictures[reference]

    written: list[files.Written] = [] if existing else [files.config_file(site)]
    written += [files.theme_file(slug, title, count) for slug, title, count in names.themes]
    if names.fallback_theme:
        written.append(files.fallback_theme_file())
    written += [files.author_file(a, names.authors[a.id], picture_at) for a in site.authors]
    if names.fallback_author:
        written.append(files.fallback_author_file())
    entries: list[Entry] = []
    for post in site.posts:
        made, missing, notes = (files.article_file(post, site, names, picture_at, folder) if post.kind == "article"
                                else files.page_file(post, site, names, picture_at))
        written.append(made)
        aliases = files.path_aliases(post, site, names)
        entries.append(entry_of(post, made, aliases, missing, notes, now))
    copies = {f"static/{names.pictures[ref]}": fate.file for ref, fate in fates.items()
              if fate.file is not None and fate.how != "missing"}
    return written, copies, entries


def _absolute(base_url: str, reference: str) -> str:
    return urljoin(base_url, reference) if base_url else reference


def _write(out: Path, written: list[files.Written], copies: dict[str, Path], report: Report) -> Diagnostic | None:
    # Every name is made of slugs, but a hub's folder can be a symlink out of it: nothing is written
    # unless every file lands inside the hub.
    root = out.resolve()
    for path in [*(w.path for w in written), *copies, REPORT_FILE]:
        if not (out / path).resolve().is_relative_to(root):
            return error(str(out / path), 0, 0, "symlink-outside", f"{out / path} would be written outside {out}",
                         "replace the symbolic link in the hub by a folder, then run the import again")
    try:
        for item in written:
            atomic_write(out / item.path, item.text.encode("utf-8"))
        for path, source in copies.items():
            atomic_write(out / path, source.read_bytes())
        atomic_write(out / REPORT_FILE, (json.dumps(report.data(), indent=2, ensure_ascii=False) + "\n").encode())
    except OSError as exc:
        return error(str(out), 0, 0, "write-failed", f"could not write the imported hub: {exc.strerror or exc}",
                     "check the folder's permissions and free disk space, then run the import again")
    return None

