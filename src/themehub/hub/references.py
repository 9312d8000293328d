"""Every reference between content items checked, once everything is loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from themehub.content.kinds import BY_FOLDER, KINDS, RESERVED_SLUGS
from themehub.content.model import Content, Ref
from themehub.diagnostics import Diagnostic, did_you_mean, error


def check_references(content: Content) -> list[Diagnostic]:
    """An error for each reference to an item that does not exist, and for each page whose slug
    clashes with the site's own top-level pages."""
    diagnostics: list[Diagnostic] = []
    by_folder = {kind.folder: {item.slug: item for item in content.of(kind.folder)} for kind in KINDS}
    for kind in KINDS:
        for item in content.of(kind.folder):
            for reference in kind.references:
                target = BY_FOLDER[reference.target]
                diagnostics += unknown_references(
                    item.source, reference.read(item), by_folder[target.folder], target.described,
                    target.unknown_code(), content.unloaded_slugs(target.folder))
            if not kind.section and item.slug in RESERVED_SLUGS:
                diagnostics.append(error(
                    item.source, 1, 1, "reserved-slug",
                    f"{kind.name} slug '{item.slug}' clashes with the site's own /{item.slug}/ pages",
                    "rename the file or set another `slug:`"))
    return diagnostics


def unknown_references(source: str, refs: Iterable[Ref], known: Mapping[str, object], what: str, code: str,
                       unloaded: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """An error for each reference to an item that does not exist. A file that exists but could not be
    read is not unknown: its own diagnostic says what is wrong, once, not once per reference to it."""
    return [error(source, ref.line, ref.col, code, f"unknown {what} '{ref.slug}'", did_you_mean(ref.slug, known))
            for ref in refs if ref.slug not in known and ref.slug not in unloaded]
