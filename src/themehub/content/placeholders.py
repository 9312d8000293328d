"""The texts `themehub new` writes for the author to replace: `check` warns while one is still published."""

from __future__ import annotations

ARTICLE = "Start with the one idea a reader should leave with."
ARTICLE_SECTION = "Write here."
THEME = "What this campaign theme is about, in two or three sentences."
AUTHOR = "A short bio in your own voice."
SERVICE = "What the service is, who it is for and what a client gets."
PAGE = "Write the page here."
TRACK = "What a reader gets from following this track, step by step."
EVENT = "What the event is about, who it is for and what they will take away."

ALL = (ARTICLE, ARTICLE_SECTION, THEME, AUTHOR, SERVICE, PAGE, TRACK, EVENT)


def found_in(body: str) -> tuple[str, ...]:
    """The placeholder texts `body` still holds."""
    return tuple(text for text in ALL if text in body)
