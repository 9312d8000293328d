"""The event kind: a webinar, a round table, a talk. Listed on the hub of each theme it names while
it is ahead, with its speakers (SMEs) and where to sign up.

It is the kind added to show what adding one takes (README, "Adding a content kind"): this record,
its template (event.html) and its tests; every stage that treats kinds alike picks it up from kinds.py.
"""

from __future__ import annotations

import datetime as dt

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Reference, Starter, yaml_slug, yaml_text
from themehub.content.model import Event
from themehub.content.readers import EPOCH, cta
from themehub.dates import end_of_day
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import CTA, DATE, REQUIRED_TEXT, SLUGS, TEXT, Schema, field, mapping, optional

KEYS = ("title", "date", "end", "location", "themes", "speakers", "services", "summary", "cta")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Event | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "an event")
    title = f.text("title", required=True, kind="an event", example="Cloud costs, live: a round table")
    start = f.date("date", required=True, kind="an event")
    end = f.date("end")
    if start is not None and end is not None and end < start:
        f.problem(("end",), "bad-date", "the event ends before it starts",
                  f"set `end` after `date` ({start.date().isoformat()}), or remove it")
        end = None
    themes = f.refs("themes")
    if not themes and not f.has("themes"):
        f.missing("themes", "an event", "[campaign-theme-slug]")
    label, url = cta(f)
    event = Event(
        slug=file_slug, source=file, title=title, date=start or EPOCH, end=end,
        location=f.text("location") or "Online", themes=themes, speakers=f.refs("speakers"),
        services=f.refs("services"), summary=f.text("summary"), cta_label=label, cta_url=url,
        body=body, body_line=body_line,
    )
    return (event if start is not None else None), f


def json_schema() -> Schema:
    return mapping("themehub event front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "what the event is called"),
        "date": field(DATE, "when it starts (2026-03-14T16:00:00+01:00; a date alone is midnight UTC)"),
        "end": optional(DATE, "when it ends"),
        "location": optional(TEXT, "a city and venue, or Online (the default)"),
        "themes": field(SLUGS, "campaign-theme slugs: it is listed on each of their hubs until it is over"),
        "speakers": optional(SLUGS, "author slugs of the SMEs who speak"),
        "services": optional(SLUGS, "service slugs it leads to"),
        "summary": optional(TEXT, "one sentence for cards and search engines"),
        "cta": optional(CTA, "where readers sign up: label and url"),
    }, ("title", "date", "themes"))


def starter(new: Starter) -> str | Diagnostic:
    theme = new.theme_or_first()
    if isinstance(theme, Diagnostic):
        return theme
    day = new.today + dt.timedelta(days=30)  # a month ahead: listed as upcoming as soon as it is written
    return (f"---\ntitle: {yaml_text(new.title)}\ndate: {day.isoformat()}T16:00:00Z\nlocation: Online\n"
            f"themes: [{yaml_slug(theme)}]\nspeakers: []\nsummary: \"\"\n"
            "cta:\n  label: \"Register\"\n  url: \"https://example.com/register\"\n---\n\n"
            f"{placeholders.EVENT}\n")


def over_at(event: Event) -> dt.datetime:
    """When an event is over: its `end`, or without one the end of the day it starts on (in its own
    time zone), so an event dated 14 March stays listed all of that day."""
    return event.end or end_of_day(event.date)


KIND = Kind(
    name="event", folder="events", model=Event, described="event", read=read, keys=KEYS,
    json_schema=json_schema, section="events", template="event.html", starter=starter,
    references=(
        Reference("themes", "themes", lambda e: e.themes),
        Reference("speakers", "authors", lambda e: e.speakers),
        Reference("services", "services", lambda e: e.services),
    ),
    new_options=("title", "theme"), theme_listing="Upcoming events", index_title="Events",
    listed=lambda event, now: now < over_at(event), moments=lambda event: (over_at(event),),
    order=lambda event: (event.date, event.slug),
    share_footer=lambda event, date: f"{date(event.date)} · {event.location}",
)
