"""The hub health report: where the hub is thin, who is writing, what needs attention.

Shown by `themehub report` as text and published at /report/ (not indexed, not in the navigation).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from themehub.content.model import Article
from themehub.diagnostics import Diagnostic
from themehub.hub.graph import Hub
from themehub.hub.schedule import Scheduled, schedule

MONTHS = 12


@dataclass(frozen=True, slots=True)
class CoverageRow:
    theme: str
    title: str
    depth: int
    """Nesting level in the theme tree (0 = top level)."""
    counts: tuple[int, ...]
    """Pieces per depth level, in the order of `depths`."""


@dataclass(frozen=True, slots=True)
class AuthorRow:
    author: str
    name: str
    per_month: tuple[int, ...]
    total: int
    last: dt.date | None


@dataclass(frozen=True, slots=True)
class TranslationRow:
    """How much of one theme's published pieces (or of all, `theme` '') each other language has."""

    theme: str
    title: str
    depth: int
    total: int
    translated: tuple[int, ...]
    """Pieces translated, per language of `HubReport.languages`."""


@dataclass(frozen=True, slots=True)
class HubReport:
    depth_labels: tuple[str, ...]
    coverage: tuple[CoverageRow, ...]
    months: tuple[str, ...]
    """YYYY-MM, oldest first: the last MONTHS months up to the report date."""
    authors: tuple[AuthorRow, ...]
    counts: tuple[tuple[str, int], ...]
    """Warning code -> how many (orphans, thin themes, quiet SMEs, ...)."""
    published: int
    archived: int
    languages: tuple[tuple[str, str], ...] = ()
    """(code, name) of each language but the default, for a multilingual hub."""
    translations: tuple[TranslationRow, ...] = ()
    """All pieces first, then each theme (in tree order): how many each language has translated."""
    scheduled: tuple[Scheduled, ...] = ()
    """What changes by itself ahead of the report date, soonest first (hub/schedule.py)."""


def _month_keys(now: dt.datetime) -> tuple[str, ...]:
    year, month = now.year, now.month
    keys = []
    for _ in range(MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return tuple(reversed(keys))


def build_report(hub: Hub, health: Sequence[Diagnostic]) -> HubReport:
    config = hub.config
    coverage = tuple(
        CoverageRow(t.slug, t.title, len(hub.theme_ancestors[t.slug]),
                    tuple(len(g.articles) for g in hub.theme_depth_groups[t.slug]))
        for t in hub.themes_ordered
    )
    months = _month_keys(hub.now)
    authors = []
    for author in hub.authors_ordered:
        pieces = hub.author_articles[author.slug]
        per_month = Counter(a.date.strftime("%Y-%m") for a in pieces)
        authors.append(AuthorRow(author.slug, author.name, tuple(per_month.get(m, 0) for m in months),
                                 len(pieces), pieces[0].date.date() if pieces else None))
    counts = Counter(d.code for d in health)
    others = config.languages[1:]
    return HubReport(
        depth_labels=tuple(label for _, label in config.depths), coverage=coverage, months=months,
        authors=tuple(authors), counts=tuple(sorted(counts.items())), published=len(hub.articles),
        archived=len(hub.archived), languages=tuple((lang.code, lang.name) for lang in others),
        translations=_translations(hub, [lang.code for lang in others]) if others else (),
        scheduled=schedule(hub),
    )


def _translations(hub: Hub, codes: Sequence[str]) -> tuple[TranslationRow, ...]:
    done = {code: {t.original for t in hub.content.translations if t.language == code} for code in codes}

    def row(theme: str, title: str, depth: int, pieces: Sequence[Article]) -> TranslationRow:
        return TranslationRow(theme, title, depth, len(pieces),
                              tuple(sum(a.source in done[code] for a in pieces) for code in codes))

    return (row("", "", 0, hub.articles), *(row(t.slug, t.title, len(hub.theme_ancestors[t.slug]),
                                                 hub.theme_articles[t.slug]) for t in hub.themes_ordered))


def format_report(report: HubReport) -> str:
    lines = [f"{report.published} published pieces, {report.archived} archived", "", "Coverage (pieces per depth):"]
    width = max([len(r.title) + 2 * r.depth for r in report.coverage] + [10])
    lines.append("  " + " " * width + "".join(f"{label:>14}" for label in report.depth_labels))
    for row in report.coverage:
        name = "  " * row.depth + row.title
        cells = "".join(f"{(str(c) if c else '-- none'):>14}" for c in row.counts)
        lines.append(f"  {name:<{width}}{cells}")
    lines += ["", f"Pieces per SME, {report.months[0]} to {report.months[-1]}:"]
    for author in report.authors:
        spark = " ".join(str(n) if n else "." for n in author.per_month)
        last = author.last.isoformat() if author.last else "never"
        lines.append(f"  {author.name:<24} {spark}   total {author.total}, last {last}")
    if report.languages:
        lines += ["", "Translations (pieces translated of those published):"]
        names = [name for _, name in report.languages]
        lines.append("  " + " " * width + "".join(f"{name:>14}" for name in names))
        for entry in report.translations:
            label = "  " * entry.depth + entry.title if entry.theme else "All pieces"
            lines.append(f"  {label:<{width}}" + "".join(f"{f'{n} of {entry.total}':>14}" for n in entry.translated))
    lines += ["", "Scheduled (soonest first):"]
    if not report.scheduled:
        lines.append("  nothing: no piece goes live or expires by itself")
    for item in report.scheduled:
        lines.append(f"  {item.when_utc}  {item.change:<15}  {item.title}  ({item.source})")
    lines += ["", "Needs attention:"]
    if not report.counts:
        lines.append("  nothing: the hub is healthy")
    for code, count in report.counts:
        lines.append(f"  {count:>4}  {code}")
    return "\n".join(lines)
