"""Walk content/, read every file (UTF-8, BOM, CRLF) and build the content model."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kinds import BY_FOLDER, KINDS
from themehub.content.model import Content, Item
from themehub.content.translations import (
    TranslationFile,
    check_language,
    duplicate_addresses,
    original_of,
    parse_translation,
)
from themehub.diagnostics import Diagnostic, error
from themehub.source.files import is_ignored_name, read_text
from themehub.source.frontmatter import Document, load_yaml, split_front_matter
from themehub.source.slugs import slug_problem, slugify

CONTENT_DIR = "content"


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: str
    """The folder of its kind under content/ ('articles')."""
    path: Path
    rel: str
    """Path relative to the site root, with '/' separators: what diagnostics show."""


def discover(config: Config, translations: list[TranslationFile] | None = None,
             ) -> tuple[list[SourceFile], list[Diagnostic]]:
    """The content files of every kind; translations (`x.de.md`) go to `translations` when given."""
    root = config.root
    content = root / CONTENT_DIR
    diagnostics: list[Diagnostic] = []
    if not content.is_dir():
        return [], [error(CONTENT_DIR, 1, 1, "no-content", f"no {CONTENT_DIR}/ folder in {root}",
                          "create content/articles, content/themes, content/authors and content/services")]
    found: list[SourceFile] = []
    real_root = root.resolve()
    for kind in KINDS:
        base = content / kind.folder
        if base.is_dir():
            _walk(base, kind.folder, kind.nested, root, real_root, found, diagnostics, translations)
    return found, diagnostics


def _answers(question: Callable[[], bool]) -> bool:
    """A directory entry's is_dir/is_file, False where asking fails (a link in a loop: it is then
    reported as a file that cannot be read)."""
    try:
        return question()
    except OSError:
        return False


def _walk(folder: Path, kind: str, nested: bool, root: Path, real_root: Path, found: list[SourceFile],
          diagnostics: list[Diagnostic], translations: list[TranslationFile] | None) -> None:
    """The markdown files of one kind's folder, in name order. Directory entries say what they are
    without a stat of their own (a 10,000-article hub took 0.45 s with two per file)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        name = entry.name
        if is_ignored_name(name):
            continue
        if not _is_utf8(name):
            if name.endswith(".md") or (nested and _answers(entry.is_dir)):
                diagnostics.append(_name_not_utf8(Path(entry.path), root))
            continue
        if _answers(entry.is_dir):  # a link to a folder is not followed (nor reported), as os.walk did
            if nested and not entry.is_symlink():
                folders.append(Path(entry.path))
            continue
        if not name.endswith(".md"):
            continue
        path = Path(entry.path)
        rel = path.relative_to(root).as_posix()
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a loop, or a link to nothing
                diagnostics.append(error(rel, 1, 1, "unreadable-file",
                                         "this is a symbolic link that leads nowhere (broken or a loop)",
                                         "replace it with a plain text file"))
                continue
            if not target.is_relative_to(real_root):
                diagnostics.append(error(rel, 1, 1, "symlink-outside",
                                         "this file is a symbolic link to a file outside the site",
                                         "copy the file into the site instead of linking to it"))
                continue
        if not _answers(entry.is_file):
            # A FIFO or device would block or stream forever; a dangling link has nothing to read.
            diagnostics.append(error(rel, 1, 1, "unreadable-file",
                                     "this is not a regular file (a broken link, a pipe or a device)",
                                     "replace it with a plain text file"))
            continue
        translation = original_of(kind, path, root) if translations is not None else None
        if translation is not None and translations is not None:
            translations.append(translation)
        else:
            found.append(SourceFile(kind, path, rel))
    for subfolder in folders:  # a folder's files come before its subfolders'
        _walk(subfolder, kind, nested, root, real_root, found, diagnostics, translations)


def _is_utf8(name: str) -> bool:
    """Whether a name from the file system is UTF-8 text: Python hands over the bytes of any other name
    as lone surrogates, which no address, cache key or terminal can take."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name_not_utf8(path: Path, root: Path) -> Diagnostic:
    """A file or folder whose name is not UTF-8 (written by a system set to another encoding): reported
    with its odd bytes escaped, and the name it would have had in Latin-1, the usual culprit."""
    raw = os.fsencode(path.relative_to(root))
    latin1 = Path(raw.decode("latin-1"))
    guess = slugify(latin1.stem if latin1.suffix == ".md" else latin1.name)
    renamed = f"{guess}{latin1.suffix if latin1.suffix == '.md' else ''}"
    what = "file" if latin1.suffix == ".md" else "folder"
    return error(raw.decode("utf-8", "backslashreplace"), 1, 1, "bad-file-name",
                 f"this {what}'s name is not UTF-8 text, so it cannot become an address; nothing in it was built",
                 f"rename it in UTF-8, e.g. to '{renamed}' (`convmv -f latin1 -t utf-8 --notest` renames many)"
                 if guess else "rename it in UTF-8 (`convmv -f latin1 -t utf-8 --notest` renames many)")


class DocumentStore(Protocol):
    """Parsed front matter kept between builds (cache.py), keyed by its text."""

    def get(self, front_matter: str) -> Document | None: ...

    def put(self, front_matter: str, document: Document) -> None: ...


def parse_file(source: SourceFile, text: str, config: Config,
               documents: DocumentStore | None = None) -> tuple[Item | None, list[Diagnostic]]:
    """One file's text -> one model item (or None) and its diagnostics."""
    rel = source.rel
    stem = source.path.stem
    diagnostics: list[Diagnostic] = []
    problem = slug_problem(stem)
    if problem is not None:
        # The file name is the item's address: say exactly what is wrong with it, and what it would become.
        reason, suggestion = problem
        diagnostics.append(error(rel, 1, 1, "bad-file-name", f"the file name '{_shown_name(stem)}' {reason}",
                                 f"rename it to '{suggestion}.md' (a slug: lowercase letters and digits of any "
                                 "script, joined by '-')" if suggestion else
                                 "give the file a name with letters or digits, e.g. cloud-costs.md"))
        stem = suggestion or "invalid"
    split, problems = split_front_matter(text, rel)
    if split is None:
        return None, diagnostics + problems
    doc = documents.get(split.front_matter) if documents is not None else None
    if doc is not None:
        diagnostics += doc.diagnostics(rel)  # what the YAML said about single values, said again
    else:
        doc, problems = load_yaml(split.front_matter, rel, line_offset=1)
        diagnostics += problems
        if documents is not None and doc is not None:
            documents.put(split.front_matter, doc)
    if doc is None:
        return None, diagnostics
    item, fields = BY_FOLDER[source.kind].read(doc, rel, stem, split.body, split.body_line, config)
    diagnostics += fields.diagnostics
    if item is None or any(d.code == "missing-field" for d in diagnostics):
        return None, diagnostics
    # An item with a bad field is kept (the bad value defaulted): the build fails on the error anyway,
    # and references to the item do not cascade into "unknown ..." errors. One missing a required
    # key is not an item at all.
    digest = hashlib.blake2b(f"{rel}\0{text}".encode(), digest_size=12).hexdigest()
    meta = hashlib.blake2b(f"{rel}\0{split.front_matter}".encode(), digest_size=12).hexdigest()
    # A value on its key's line is pointed at itself (`image: x.png` -> the x); a block value at its key.
    positions = tuple(
        (key, *(doc.positions[(key,)] if doc.positions.get((key,), (0, 0))[0] == line else (line, col)))
        for key, (line, col) in doc.key_positions.items()
    )
    body = hashlib.blake2b(item.body.encode(), digest_size=12).hexdigest()
    return dataclasses.replace(item, digest=digest, meta_digest=meta, body_digest=body, positions=positions,
                               placeholders=placeholders.found_in(item.body)), diagnostics


ParseKey = tuple[str, str, int, int, int]
"""(config_key, file, mtime_ns, size, inode): a file's quick check, under the config its fields were read
with. The config goes in as a digest, not as itself: a key is hashed several times per file, and the
frozen Config hashes all its fields, nested ones included, each time (1.2 us: some 70 ms of a
10,000-article load)."""
ParseCache = MutableMapping[ParseKey, tuple[Item | None, list[Diagnostic]]]
"""Parsed items by their file's quick check: lets `serve` (in memory) and `build` (incremental/items.py)
re-read only the files that changed."""


def config_key(config: Config) -> str:
    """The config as a parse key holds it: a digest of everything in it (a kind's reader checks fields
    against the config: its depths, its types)."""
    return hashlib.blake2b(repr(config).encode(), digest_size=16).hexdigest()


def parse_key(config: str, rel: str, stat: os.stat_result) -> ParseKey:
    """The one place the key is made: `load_content` and `reread_bodies` must agree on it. `config` is
    the config's `config_key`."""
    return (config, rel, stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _of_its_kind(item: Item | None, kind: str) -> bool:
    """A kept item fits its file's folder (a damaged cache could hold a theme for an article's file)."""
    return item is None or type(item) is BY_FOLDER[kind].model


def load_content(config: Config, cache: ParseCache | None = None,
                 documents: DocumentStore | None = None) -> tuple[Content, list[Diagnostic]]:
    translation_files: list[TranslationFile] = []
    sources, diagnostics = discover(config, translation_files)
    by_kind: dict[str, list[Item]] = {kind.folder: [] for kind in KINDS}
    unloaded: list[tuple[str, str, str]] = []
    used: set[ParseKey] = set()
    config_digest = config_key(config)
    for source in sources:
        key = None
        if cache is not None:
            try:
                stat = source.path.stat()
                key = parse_key(config_digest, source.rel, stat)
                used.add(key)
            except OSError:
                key = None
            if key is not None and key in cache and _of_its_kind(cache[key][0], source.kind):
                item, problems = cache[key]
                diagnostics += problems
                if item is not None:
                    by_kind[source.kind].append(item)
                else:
                    unloaded.append((source.kind, slugify(source.path.stem), source.rel))
                continue
        text, problems = read_text(source.path, source.rel)
        if text is None:
            diagnostics += problems
            unloaded.append((source.kind, slugify(source.path.stem), source.rel))
            continue
        item, more = parse_file(source, text, config, documents)
        problems += more
        diagnostics += problems
        if key is not None and cache is not None:
            cache[key] = (item, problems)
        if item is not None:
            by_kind[source.kind].append(item)
        else:
            unloaded.append((source.kind, slugify(source.path.stem), source.rel))
    for kind, items in by_kind.items():
        by_kind[kind] = _without_duplicates(kind, items, diagnostics)
    by_source = {item.source: item for items in by_kind.values() for item in items}
    translated = _translations(config, translation_files, by_source, diagnostics, cache, used, config_digest)
    if cache is not None:
        for stale in [key for key in cache if key not in used]:
            del cache[stale]  # an earlier version of a file, or a file now gone: a long session must not pile them up
    content = Content(tuple((folder, tuple(items)) for folder, items in by_kind.items()),
                      translations=translated, unloaded=tuple(sorted({(kind, slug) for kind, slug, _ in unloaded})),
                      unloaded_files=tuple(sorted({rel for _, _, rel in unloaded})))
    return content, diagnostics


def _translations(config: Config, files: list[TranslationFile], originals: dict[str, Item],
                  diagnostics: list[Diagnostic], cache: ParseCache | None, used: set[ParseKey],
                  config_digest: str) -> tuple[Item, ...]:
    """Every translation read over its original. A translation depends on two files: its entry in the
    parse cache is keyed on both quick checks (the original's in the key's name)."""
    found: list[Item] = []
    root = config.root
    for file in files:
        problem = check_language(file, config)
        if problem is not None:
            diagnostics.append(problem)
            continue
        original = originals.get(file.original.relative_to(root).as_posix())
        if original is None:
            if not file.original.exists():
                diagnostics.append(error(
                    file.rel, 1, 1, "translation-without-original",
                    f"this translation into '{file.language}' has no original: there is no "
                    f"{file.original.name} beside it",
                    f"name it after the file it translates (<slug>.{file.language}.md), or add {file.original.name}"))
            continue  # an original that could not be read has its own diagnostic
        key = _translation_key(config_digest, file, original.source) if cache is not None else None
        if key is not None and cache is not None:
            used.add(key)
            if key in cache:
                item, problems = cache[key]
                diagnostics += problems
                if item is not None:
                    found.append(item)
                continue
        text, problems = read_text(file.path, file.rel)
        original_text, _ = read_text(file.original, original.source)
        if text is None or original_text is None:
            diagnostics += problems
            continue
        item, more = parse_translation(file, text, original, original_text, config)
        problems += more
        diagnostics += problems
        if key is not None and cache is not None:
            cache[key] = (item, problems)
        if item is not None:
            found.append(item)
    diagnostics += duplicate_addresses(found)
    return tuple(sorted(found, key=lambda item: item.source))


def reread_bodies(config: Config, content: Content, paths: Iterable[Path],
                  cache: ParseCache | None = None, *, front_matter: bool = False) -> list[Item] | None:
    """The new versions of the items at `paths`, when every change there is to a body: the file was
    an item and still is one, with the same front matter. None when anything else may have changed
    (a new, deleted or renamed file, a front-matter edit, a file that no longer parses), which only a
    full load can tell. A path that is gone and was never an item (an editor's temporary file) is skipped.
    With `front_matter`, an edited front matter is taken too, when it reads without an error (the
    preview's first look at an edit, incremental/edits.py); the parse cache is left to the full load."""
    root = config.root
    known = {item.source: item for item in content.items()}
    config_digest = config_key(config)
    found: list[Item] = []
    for path in paths:
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            return None
        old = known.get(rel)
        if old is None:
            if path.exists() or path.is_symlink():
                return None
            continue
        if path.is_symlink() or not path.is_file():
            return None
        source = SourceFile(rel.split("/")[1], path, rel)  # a known item's file: content/<kind>/...
        try:
            stat = path.stat()
        except OSError:
            return None
        text, _ = read_text(source.path, source.rel)
        if text is None:
            return None
        item, problems = parse_file(source, text, config)
        if item is None or (item.meta_digest != old.meta_digest
                            and (not front_matter or any(d.is_error for d in problems))):
            return None
        if cache is not None and item.meta_digest == old.meta_digest:
            cache[parse_key(config_digest, rel, stat)] = (item, problems)
        found.append(item)
    return found


def _translation_key(config: str, file: TranslationFile, original: str) -> ParseKey | None:
    """A translation's parse-cache key: its own quick check, and its original's in the name (after a
    NUL, which no file name holds), since it is read over the original's front matter."""
    try:
        own, base = file.path.stat(), file.original.stat()
    except OSError:
        return None
    name = f"{file.rel}\0{original}\0{base.st_mtime_ns}\0{base.st_size}\0{base.st_ino}"
    return (config, name, own.st_mtime_ns, own.st_size, own.st_ino)


def _shown_name(stem: str, limit: int = 80) -> str:
    return stem if len(stem) <= limit else stem[: limit // 2] + "…" + stem[-limit // 2:]


def _without_duplicates(kind: str, items: list[Item], diagnostics: list[Diagnostic]) -> list[Item]:
    first_by_slug: dict[str, Item] = {}
    for item in sorted(items, key=lambda i: i.source):
        first = first_by_slug.get(item.slug)
        if first is None:
            first_by_slug[item.slug] = item
            continue
        line, col = item.position("slug") if any(k == "slug" for k, _, _ in item.positions) else (1, 1)
        diagnostics.append(error(item.source, line, col, "duplicate-slug",
                                 f"{BY_FOLDER[kind].name} slug '{item.slug}' is also used by {first.source}",
                                 "rename one of the two files (or change its `slug:`)"))
    return sorted(first_by_slug.values(), key=lambda i: i.slug)
