"""`themehub explain ARTICLE`: the next-best-content ranking of one article, with scores and reasons.

The "shown" column says where each candidate appears on the article's page: `yes` among the related
cards, `deeper` as "Read deeper", `track` as a previous or next step of the article's track, `-` not."""

from __future__ import annotations

from themehub.hub.graph import Hub


def format_explain(hub: Hub, slug: str) -> str:
    article = hub.article_by_slug[slug]
    shown = {s.article.slug for s in hub.article_related.get(slug, ())}
    weights = ", ".join(f"{name} {value:g}" for name, value in hub.config.related_weights)
    lines = [
        f"{article.title} ({article.type}, {hub.config.depth_label(article.depth)})",
        f"weights: {weights}; at most {hub.config.related_per_type} per type, {hub.config.related} shown",
        "",
    ]
    step = hub.article_next.get(slug)
    lines.append(f"read deeper: {step.article.slug} ({step.reason})" if step else "read deeper: nothing deeper")
    lines.append("")
    lines.append("  rank  score  shown  type          candidate")
    # A piece is shown once on a page: "Read deeper" and the article's own track steps are not related cards.
    elsewhere = {other.slug: "track" for s in hub.article_track_steps.get(slug, ()) for other in (s.previous, s.next)
                 if other is not None}
    if step is not None:
        elsewhere[step.article.slug] = "deeper"
    for rank, suggestion in enumerate(hub.article_ranked.get(slug, ()), start=1):
        a = suggestion.article
        mark = "yes" if a.slug in shown else elsewhere.get(a.slug, "-")
        lines.append(f"  {rank:>4}  {suggestion.score:5.2f}  {mark:>5}  {a.type:<12}  {a.slug}")
        lines.append(f"{'':>28}{'; '.join(suggestion.reasons)}")
    if not hub.article_ranked.get(slug):
        lines.append("  (no candidate shares a theme, track, tag or author)")
    return "\n".join(lines)
