"""The import's report: every post, where it went, what was converted, kept verbatim or lost, every
picture's fate, and the old addresses. Printed as text, written as JSON (import-report.json)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themehub.importing.files import Written
from themehub.importing.model import Note, Post, Site
from themehub.importing.names import Names
from themehub.importing.pictures import Fate


@dataclass(frozen=True, slots=True)
class Entry:
    source: str
    title: str
    kind: str
    file: str
    status: str
    """published, draft, or scheduled (a future date: published on that day)."""
    aliases: tuple[str, ...]
    """Old addresses the new page redirects from."""
    missing: tuple[str, ...]
    notes: tuple[Note, ...]


def entry_of(post: Post, made: Written, aliases: list[str], missing: list[str], notes: list[Note],
             now: dt.datetime) -> Entry:
    status = "draft" if post.draft else "scheduled" if post.date and post.date > now else "published"
    return Entry(source=post.source, title=post.title, kind=post.kind, file=made.path, status=status,
                 aliases=tuple(aliases), missing=tuple(missing), notes=(*post.notes, *notes))


@dataclass(frozen=True, slots=True)
class Report:
    fmt: str
    site: Site
    out: Path
    entries: tuple[Entry, ...]
    names: Names
    fates: dict[str, Fate]
    dry_run: bool
    files: int

    def text(self) -> str:
        kinds = Counter(e.kind for e in self.entries)
        statuses = Counter(e.status for e in self.entries if e.kind == "article")
        fates = Counter(f.how for f in self.fates.values())
        lines = [f"import {self.fmt} {self.site.source} -> {self.out}" + (" (dry run: nothing written)"
                                                                          if self.dry_run else "")]
        lines.append(f"posts: {kinds['article']} articles ({statuses['published']} published, "
                     f"{statuses['scheduled']} scheduled, {statuses['draft']} drafts), {kinds['page']} pages")
        themes = ", ".join(f"{title} ({count})" for _, title, count in self.names.themes) or "none"
        lines.append(f"campaign themes: {themes}")
        if self.names.demoted:
            lines.append(f"categories kept as tags: {', '.join(self.names.demoted)}")
        lines.append(f"SMEs: {len(self.site.authors) + int(self.names.fallback_author)}")
        lines.append("pictures: " + (", ".join(f"{n} {how}" for how, n in sorted(fates.items())) or "none"))
        lines.append(f"old addresses redirected: {sum(len(e.aliases) for e in self.entries)}")
        for kind, heading in (("verbatim", "kept verbatim (look at these)"), ("lost", "lost"),
                              ("skipped", "skipped")):
            found = [(e.file, n.what) for e in self.entries for n in e.notes if n.kind == kind]
            found += [("", n.what) for n in self.site.notes if n.kind == kind]
            if found:
                lines.append(f"{heading}:")
                lines += [f"  {file + ': ' if file else ''}{what}" for file, what in found]
        missing = [(f.reference, f.reason) for f in self.fates.values() if f.how == "missing"]
        if missing:
            lines.append("missing pictures (each shown as a line saying so):")
            lines += [f"  {ref}: {reason}" for ref, reason in missing]
        verb = "would write" if self.dry_run else "wrote"
        report = "" if self.dry_run else f"; report: {self.out / 'import-report.json'}"
        lines.append(f"{verb} {self.files} files{report}")
        if not self.dry_run:
            lines.append(f"next: themehub check --site {self.out} && themehub serve --site {self.out}")
        return "\n".join(lines)

    def data(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "source": str(self.site.source.resolve()),
            "themes": [{"slug": s, "title": t, "articles": n} for s, t, n in self.names.themes],
            "categories_as_tags": list(self.names.demoted),
            "posts": [{
                "source": e.source, "title": e.title, "kind": e.kind, "file": e.file, "status": e.status,
                "aliases": list(e.aliases),
                "missing_pictures": list(e.missing),
                "notes": [{"kind": n.kind, "what": n.what} for n in e.notes],
            } for e in self.entries],
            "pictures": [{"reference": f.reference, "fate": f.how, "file": self.names.pictures.get(f.reference),
                          "reason": f.reason} for f in self.fates.values()],
            "site_notes": [{"kind": n.kind, "what": n.what} for n in self.site.notes],
        }
