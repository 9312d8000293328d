"""Translations: `<slug>.<lang>.md` beside its original, read over the original's front matter.

A translation sets only what differs (a title, a summary, alt texts, its body); every other field
(themes, authors, services, dates, depth, images) is the original's, read from the original's front
matter, so a translator never repeats, and never drifts from, what is shared. A translation keeps its
original's slug as its identity (references between items name originals), and may publish under an
address of its own (`slug:`), kept as `localized_slug`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themehub.config import LANGUAGE_TAG, Config
from themehub.content import placeholders
from themehub.content.kinds import BY_FOLDER
from themehub.content.model import Article, Item
from themehub.diagnostics import Diagnostic, error, warning
from themehub.source.frontmatter import Document, load_yaml, split_front_matter
from themehub.source.slugs import slug_problem

NOT_INHERITED = frozenset({"slug", "aliases"})
"""Keys a translation never takes from its original: its own address, and the original's old URLs."""


TRANSLATED_KEYS = ("title", "tagline", "summary", "role", "location", "image_alt", "cta")
"""What a translation skeleton (`themehub new … --lang`) copies from its original to be translated: the
words a reader sees. Everything else it inherits."""


def skeleton(original_text: str, file: str, today: str, dated: bool) -> str | None:
    """The text of a new translation of the file whose text is `original_text`: its words to translate
    (TRANSLATED_KEYS it sets, a `cta:`'s label only), `updated:` today for a dated piece, and its body.
    None when the original cannot be read."""
    split, _ = split_front_matter(original_text, file)
    doc, _ = load_yaml(split.front_matter, file) if split is not None else (None, [])
    if split is None or doc is None:
        return None
    lines = ["---"]
    for key in TRANSLATED_KEYS:
        value = doc.data.get(key)
        if key == "cta" and isinstance(value, dict) and isinstance(value.get("label"), str):
            lines += ["cta:", f"  label: {json.dumps(value['label'], ensure_ascii=False)}"]
        elif isinstance(value, str) and value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if dated:
        lines.append(f"updated: {today}")
    return "\n".join([*lines, "---", ""]) + split.body


def translation_stem(stem: str) -> tuple[str, str] | None:
    """('cloud-costs', 'de') for the file stem 'cloud-costs.de'; None for a stem that is no translation."""
    base, dot, tag = stem.rpartition(".")
    if not dot or not base or not LANGUAGE_TAG.fullmatch(tag):
        return None
    return base, tag


@dataclass(frozen=True, slots=True)
class TranslationFile:
    kind: str
    path: Path
    rel: str
    language: str
    original: Path
    """Where its original is (it may not exist)."""


def original_of(kind: str, path: Path, root: Path) -> TranslationFile | None:
    split = translation_stem(path.stem)
    if split is None:
        return None
    base, language = split
    return TranslationFile(kind, path, path.relative_to(root).as_posix(), language, path.with_name(base + ".md"))


def check_language(file: TranslationFile, config: Config) -> Diagnostic | None:
    """Why `file` cannot be a translation of this site (None when it can)."""
    if config.language_named(file.language) is None or file.language == config.default_language:
        if file.language == config.default_language and config.languages:
            return error(file.rel, 1, 1, "unknown-language",
                         f"'{file.language}' is the default language: the original is the '{file.language}' version",
                         f"put its text in {file.original.name}, or rename it for another language")
        listed = ", ".join(lang.code for lang in config.languages[1:])
        return error(file.rel, 1, 1, "unknown-language",
                     f"this file reads as a translation into '{file.language}', which themehub.yaml's "
                     "`languages:` does not list",
                     f"add `{file.language}: {{name: …}}` to `languages:`" + (f" (now: {listed})" if listed else "")
                     + f", or rename the file without the dot ({file.path.stem.replace('.', '-')}.md)")
    return None


def parse_translation(file: TranslationFile, text: str, original: Item, original_text: str,
                      config: Config) -> tuple[Item | None, list[Diagnostic]]:
    """The translated item: the translation's front matter over its original's, its body (or the
    original's, when it has none). Only the translation's own values are checked here: the inherited
    ones were checked, and reported, on the original."""
    split, problems = split_front_matter(text, file.rel)
    base, _ = split_front_matter(original_text, original.source)
    if split is None or base is None:
        return None, problems
    own, problems = load_yaml(split.front_matter, file.rel, line_offset=1)
    inherited, _ = load_yaml(base.front_matter, original.source, line_offset=1)
    if own is None or inherited is None:
        return None, problems
    doc = _overlay(own, inherited)
    body, body_line = (split.body, split.body_line) if split.body.strip() else (original.body, original.body_line)
    stem = original.slug if "slug" not in inherited.data else Path(original.source).stem
    item, fields = BY_FOLDER[file.kind].read(doc, file.rel, stem, body, body_line, config)
    # A diagnostic about an inherited value has no line in this file: the original's says it.
    problems += [d for d in fields.diagnostics if d.line > 0]
    if item is None:
        return None, problems
    localized = own.data.get("slug")
    localized_slug = ""
    if isinstance(localized, str) and localized and localized != original.slug:
        problem = slug_problem(localized)
        if problem is None:
            localized_slug = localized
        else:
            line, col = own.pos("slug")
            problems.append(error(file.rel, line, col, "bad-slug",
                                  f"slug '{localized[:80]}' is not a slug: it {problem[0]}",
                                  f"write it like `slug: {problem[1] or 'my-title'}`"))
    shared = f"{file.rel}\0{original.source}\0"
    positions = tuple((key, *own.key_positions[key]) for key in own.key_positions)
    translated = dataclasses.replace(
        item, slug=original.slug, language=file.language, original=original.source, localized_slug=localized_slug,
        digest=hashlib.blake2b(f"{shared}{text}\0{original_text}".encode(), digest_size=12).hexdigest(),
        meta_digest=hashlib.blake2b(f"{shared}{split.front_matter}\0{base.front_matter}".encode(),
                                    digest_size=12).hexdigest(),
        body_digest=hashlib.blake2b(body.encode(), digest_size=12).hexdigest(),
        positions=positions, placeholders=placeholders.found_in(body))
    late = outdated(translated, original, own.data)
    return translated, problems + ([late] if late is not None else [])


def _overlay(own: Document, inherited: Document) -> Document:
    """The original's front matter with the translation's keys over it. Inherited values keep no
    position (a diagnostic about one would point into the wrong file)."""
    data = _merged({key: value for key, value in inherited.data.items() if key not in NOT_INHERITED}, own.data)
    data.pop("slug", None)  # the translation's own address is read apart (`localized_slug`)
    if "slug" in inherited.data:
        data["slug"] = inherited.data["slug"]  # the identity stays the original's
    mine = set(own.data)
    return Document(
        data=data,
        # An inherited value is at line 0: a diagnostic about it is the original's, and is dropped.
        positions={**{(key,): (0, 0) for key in data if key not in mine},
                   **{path: at for path, at in own.positions.items() if path and path[0] in mine},
                   # the identity read above is the original's slug, not this file's `slug:` line
                   **({("slug",): (0, 0)} if "slug" in inherited.data else {})},
        key_positions=dict(own.key_positions),
        line_offset=own.line_offset,
        sources={**{path: text for path, text in inherited.sources.items() if path and path[0] not in mine},
                 **own.sources},
        notes=own.notes,
        dropped=own.dropped | frozenset(path for path in inherited.dropped if path and path[0] not in mine),
    )


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on `base`, mapping into mapping: `cta: {label: …}` translates a label and keeps the URL."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def outdated(translation: Item, original: Item, own_keys: Iterable[str]) -> Diagnostic | None:
    """`translation-outdated`: an article's translation made before its original's last update. A
    translation that names no `updated` (nor `date`) of its own translates the original as first
    published; one that does, the original as of that day."""
    if not isinstance(translation, Article) or not isinstance(original, Article) or original.updated is None:
        return None
    keys = set(own_keys)
    made = translation.updated if "updated" in keys else translation.date if "date" in keys else original.date
    if made is None or made >= original.updated:
        return None
    line, col = translation.position("updated") if "updated" in keys else (1, 1)
    return warning(translation.source, line, col, "translation-outdated",
                   f"this translation is of {made.date().isoformat()}; its original ({original.source}) was "
                   f"updated on {original.updated.date().isoformat()}",
                   "bring the translation up to date, then set its `updated:` to the day you did")


def duplicate_addresses(translations: Iterable[Item]) -> list[Diagnostic]:
    """Two translations into one language at one address (a translated `slug:` taken twice, or one equal
    to another piece's)."""
    seen: dict[tuple[str, str, str], str] = {}
    found: list[Diagnostic] = []
    for item in sorted(translations, key=lambda i: i.source):
        key = (item.language, type(item).__name__, (item.localized_slug or item.slug))
        first = seen.setdefault(key, item.source)
        if first != item.source:
            line, col = item.position("slug")
            found.append(error(item.source, line, col, "duplicate-slug",
                               f"'{item.localized_slug or item.slug}' is also the address of {first} "
                               f"in '{item.language}'",
                               "give one of the two translations another `slug:`"))
    return found
