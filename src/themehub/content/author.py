"""The author kind: a subject-matter expert (or a customer or partner who tells the story)."""

from __future__ import annotations

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Reference, Starter, yaml_text
from themehub.content.model import Author
from themehub.content.readers import image_field, url_field
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import REQUIRED_TEXT, SAFE_URL, SLUGS, TEXT, Schema, field, mapping, optional

KEYS = ("name", "role", "company", "avatar", "expertise", "links", "voice", "contact")
VOICES = ("expert", "customer", "partner")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Author | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "an author")
    links: list[tuple[str, str]] = []
    for name, url in f.mapping("links").items():
        if not isinstance(url, str) or not url.strip():
            f.problem(("links", name), "wrong-type", f"link '{name}' must be a URL as text")
            continue
        url = url.strip()
        if name == "email" and "@" in url and not url.startswith("mailto:"):
            url = "mailto:" + url
        if url_field(f, ("links", name), url, f"link '{name}'"):
            links.append((name, url))
    author = Author(
        slug=file_slug, source=file,
        name=f.text("name", required=True, kind="an author", example="Ana Quinn"),
        role=f.text("role"), company=f.text("company"),
        avatar=image_field(f, "avatar", config),
        expertise=f.refs("expertise"), links=tuple(links), body=body, body_line=body_line,
        voice=f.choice("voice", VOICES, "expert"), contact=_contact(f),
    )
    return author, f


def _contact(f: FieldReader) -> str:
    """`contact`: where a reader talks to the SME: an https URL (a booking page, a form) or an email."""
    value = f.text("contact")
    if value and "@" in value and "://" not in value and not value.startswith("mailto:"):
        value = "mailto:" + value
    return url_field(f, ("contact",), value, "contact")


def json_schema() -> Schema:
    link = {"type": "string", "allOf": [{"pattern": r"\S"}, SAFE_URL]}
    return mapping("themehub author (SME) front matter", KEYS, {
        "name": field(REQUIRED_TEXT, "the SME's name"),
        "role": optional(TEXT, "job title"),
        "company": optional(TEXT, "organisation"),
        "avatar": optional(SAFE_URL, "a portrait: /images/x.jpg, photo.jpg or an https:// URL"),
        "expertise": optional(SLUGS, "campaign-theme slugs"),
        "links": optional({"type": "object", "additionalProperties": link},
                          "name: URL (website, linkedin, x, email, …); an email becomes a mailto: link"),
        "voice": optional({"enum": list(VOICES)}, "expert (default), or customer / partner for advocates"),
        "contact": optional({"type": "string", "allOf": [{"pattern": r"\S"}, SAFE_URL]},
                            "where readers talk to them: a booking page's URL, or an email address"),
    }, ("name",))


def starter(new: Starter) -> str | Diagnostic:
    name = new.given_title or new.slug.replace("-", " ").title()  # a person's name: each word capitalised
    return (f"---\nname: {yaml_text(name)}\nrole: \"\"\ncompany: \"\"\n"
            "expertise: []\nlinks: {}\n---\n\n" f"{placeholders.AUTHOR}\n")


KIND = Kind(
    name="author", folder="authors", model=Author, described="author", read=read, keys=KEYS,
    json_schema=json_schema, section="authors", template="author.html", starter=starter,
    references=(Reference("expertise", "themes", lambda a: a.expertise),),
    title_key="name",
)
