"""The service kind: what the company sells, where the content leads."""

from __future__ import annotations

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Starter, yaml_text
from themehub.content.model import Service
from themehub.content.readers import cta
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import CTA, INTEGER, REQUIRED_TEXT, TEXT, Schema, field, mapping, optional

KEYS = ("title", "summary", "cta", "weight")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Service | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "a service")
    label, url = cta(f)
    service = Service(
        slug=file_slug, source=file,
        title=f.text("title", required=True, kind="a service", example="Cloud migration"),
        summary=f.text("summary"), cta_label=label, cta_url=url, weight=f.integer("weight", 0),
        body=body, body_line=body_line,
    )
    return service, f


def json_schema() -> Schema:
    return mapping("themehub service front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "the service's name"),
        "summary": optional(TEXT, "one sentence"),
        "cta": optional(CTA, "call to action: label and url"),
        "weight": optional(INTEGER, "order in listings (then title)"),
    }, ("title",))


def starter(new: Starter) -> str | Diagnostic:
    return (f"---\ntitle: {yaml_text(new.title)}\nsummary: \"\"\n"
            "cta:\n  label: \"Talk to us\"\n  url: \"https://example.com/contact\"\nweight: 10\n---\n\n"
            f"{placeholders.SERVICE}\n")


KIND = Kind(
    name="service", folder="services", model=Service, described="service", read=read, keys=KEYS,
    json_schema=json_schema, section="services", template="service.html", starter=starter,
)
