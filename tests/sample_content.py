"""An independent reading of the sample hub's source files: the test oracle for the sample-hub tests.

The sample content keeps growing, so expectations are derived from its front matter here, with plain
PyYAML and the rules of SPEC.md (drafts and future-dated articles are not published; a theme's
content includes its sub-themes'), never with themehub's own loader or graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import NOW, REPO


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert text.startswith("---\n"), path
    block = text[4:].split("\n---\n", 1)[0]
    data = yaml.safe_load(block) or {}
    assert isinstance(data, dict), path
    return data


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return _moment(dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")))


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass
class SampleContent:
    root: Path
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    themes: dict[str, dict[str, Any]] = field(default_factory=dict)
    authors: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path = REPO) -> SampleContent:
        sample = cls(root)
        # The default language's content: translations (`x.de.md`) are their originals in another language.
        for path in sorted(p for p in (root / "content/articles").rglob("*.md") if "." not in p.stem):
            fm = _front_matter(path)
            sample.articles[str(fm.get("slug") or path.stem)] = fm
        for kind in ("themes", "authors", "services", "pages"):
            for path in sorted(p for p in (root / "content" / kind).glob("*.md") if "." not in p.stem):
                fm = _front_matter(path)
                getattr(sample, kind)[str(fm.get("slug") or path.stem) if kind == "pages" else path.stem] = fm
        return sample

    # -- articles ------------------------------------------------------------------------------

    def is_published(self, slug: str, now: dt.datetime = NOW) -> bool:
        fm = self.articles[slug]
        return not fm.get("draft", False) and _moment(fm["date"]) <= now

    def is_listed(self, slug: str, now: dt.datetime = NOW) -> bool:
        """Published and not past its `expires` date (expired pieces keep their page but leave listings)."""
        fm = self.articles[slug]
        return self.is_published(slug, now) and not (fm.get("expires") and _moment(fm["expires"]) <= now)

    @property
    def published(self) -> set[str]:
        return {s for s in self.articles if self.is_published(s)}

    @property
    def listed(self) -> set[str]:
        return {s for s in self.articles if self.is_listed(s)}

    @property
    def unpublished(self) -> set[str]:
        return set(self.articles) - self.published

    def themes_of(self, slug: str) -> list[str]:
        return _list(self.articles[slug].get("themes"))

    def authors_of(self, slug: str) -> list[str]:
        fm = self.articles[slug]
        return _list(fm.get("authors", fm.get("author")))

    def depth_of(self, slug: str) -> str:
        fm = self.articles[slug]
        if "depth" in fm:
            return str(fm["depth"])
        return {"case-study": "deeper", "survey": "deeper", "white-paper": "deepest",
                "report": "deepest"}.get(str(fm.get("type", "article")), "entry")

    def date_of(self, slug: str) -> dt.datetime:
        return _moment(self.articles[slug]["date"])

    def tags_of(self, slug: str) -> list[str]:
        return _list(self.articles[slug].get("tags"))

    # -- themes ----------------------------------------------------------------------------------

    def parent_of(self, theme: str) -> str | None:
        parent = self.themes[theme].get("parent")
        return str(parent) if parent else None

    def descendants(self, theme: str) -> set[str]:
        found = {theme}
        changed = True
        while changed:
            changed = False
            for slug in self.themes:
                if slug not in found and self.parent_of(slug) in found:
                    found.add(slug)
                    changed = True
        return found

    def ancestors(self, theme: str) -> list[str]:
        chain: list[str] = []
        parent = self.parent_of(theme)
        while parent:
            chain.insert(0, parent)
            parent = self.parent_of(parent)
        return chain

    def theme_content(self, theme: str) -> set[str]:
        """Listed articles of the theme and of its sub-themes (the roll-up)."""
        family = self.descendants(theme)
        return {s for s in self.listed if family & set(self.themes_of(s))}

    def top_themes(self) -> list[str]:
        top = [s for s in self.themes if not self.parent_of(s)]
        return sorted(top, key=lambda s: (int(self.themes[s].get("weight", 0)), str(self.themes[s]["title"]).lower(), s))

    def start_of(self, theme: str) -> list[str]:
        return [s for s in _list(self.themes[theme].get("start")) if s in self.listed]

    # -- authors ---------------------------------------------------------------------------------

    def content_by(self, author: str) -> set[str]:
        return {s for s in self.listed if author in self.authors_of(s)}
