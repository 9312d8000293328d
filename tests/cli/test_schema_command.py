"""`themehub schema`: the JSON Schemas it writes describe every key themehub reads, and accept the
sample hub as written, as an editor's YAML extension would read it (YAML 1.2: dates stay text)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.cli.test_cli import no_traceback, themehub
from tests.helpers import REPO
from themehub.config import KEYS
from themehub.content.kinds import KINDS
from themehub.schemas import schemas
from themehub.source.jsonschema import UNDESCRIBED

KIND_OF_FOLDER = {kind.folder: kind.name for kind in KINDS}
KEYS_OF_SCHEMA = {**{kind.name: kind.keys for kind in KINDS}, "themehub": tuple(KEYS)}
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.S | re.M)


class EditorLoader(yaml.SafeLoader):
    """PyYAML's safe loader without its YAML 1.1 timestamps: `date: 2026-03-14` is the text an editor's
    YAML 1.2 schema (and JSON Schema, which has no dates) sees."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(path: Path) -> Any:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no front matter"
    return yaml.load(match.group(1), Loader=EditorLoader)  # a SafeLoader: builds no objects


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(schema: dict[str, Any], document: Any) -> list[str]:
    """Each error as 'path: message', with the errors under an anyOf (optional keys are "the value or
    null") found too, so a test can name the key that is wrong."""
    found: list[str] = []
    pending = list(validator(schema).iter_errors(document))
    while pending:
        e = pending.pop(0)
        found.append(f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
        pending += e.context or []
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The schemas as `themehub schema --out DIR` writes them, read back from the files."""
    out = tmp_path_factory.mktemp("schemas") / "schemas"
    proc = themehub("schema", "--out", str(out), cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{name}.schema.json" for name in schemas())
    assert sorted(proc.stdout.splitlines()) == sorted(f"wrote {out / name}" for name in names)
    return {name.removesuffix(".schema.json"): json.loads((out / name).read_text()) for name in names}


def test_schema_writes_valid_draft_2020_12_schemas(written: dict[str, dict[str, Any]]) -> None:
    for name, schema in written.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        validator(schema)  # raises on a schema that is not valid JSON Schema


@pytest.mark.parametrize("name", sorted(KEYS_OF_SCHEMA))
def test_every_key_themehub_reads_is_described(written: dict[str, dict[str, Any]], name: str) -> None:
    properties = written[name]["properties"]
    assert list(properties) == list(KEYS_OF_SCHEMA[name])
    for key, schema in properties.items():
        assert schema.get("description") and schema["description"] != UNDESCRIBED, key
        assert set(schema) - {"description"}, f"'{key}' has no rule, only words"


def without_required(schema: Any) -> Any:
    """A front matter's schema with nothing required, at any depth (a translation's: the rest, to the
    keys of a mapping such as `cta`, is its original's)."""
    if isinstance(schema, dict):
        found = {key: without_required(value) for key, value in schema.items() if key != "required"}
        return {key: value for key, value in found.items() if not (key == "not" and value == {})}
    if isinstance(schema, list):
        return [without_required(part) for part in schema]
    return schema


def test_the_sample_hub_passes_its_schemas(written: dict[str, dict[str, Any]]) -> None:
    assert problems(written["themehub"], yaml.load((REPO / "themehub.yaml").read_text(), Loader=EditorLoader)) == []
    checked = 0
    for path in sorted((REPO / "content").rglob("*.md")):
        kind = KIND_OF_FOLDER[path.relative_to(REPO / "content").parts[0]]
        schema = written[kind]
        if "." in path.stem:  # a translation (x.de.md) sets only what differs from its original
            schema = without_required(schema)
        assert problems(schema, front_matter(path)) == [], path
        checked += 1
    assert checked >= 30  # the sample's 19 articles, 5 themes, 5 SMEs, 4 services, a page, 2 tracks and 2 events


def test_the_fixture_hub_passes_its_schemas(written: dict[str, dict[str, Any]]) -> None:
    mini = REPO / "tests/fixtures/mini_hub"
    assert problems(written["themehub"], yaml.load((mini / "themehub.yaml").read_text(), Loader=EditorLoader)) == []
    for path in sorted((mini / "content").rglob("*.md")):
        kind = KIND_OF_FOLDER[path.relative_to(mini / "content").parts[0]]
        assert problems(written[kind], front_matter(path)) == [], path


@pytest.mark.parametrize(("kind", "document"), [
    ("article", {"title": "Cloud", "date": "2026-03-14", "authors": ["ana-quinn"], "themes": "云计算",
                 "tags": "Cloud Costs", "aliases": "/blog/old/", "image_focus": "0.3,0.2", "expires": None}),
    ("article", {"title": 2026, "date": "2026-03-14T09:30:00+01:00", "author": "ana-quinn",
                 "themes": ["ελληνικά", 2026], "draft": True, "image": "photo.jpg", "slug": "नमस्ते"}),
    ("theme", {"title": "T", "color": "#0f766e", "cta": {}, "image": "", "image_alt": "", "weight": None}),
    ("author", {"name": "A", "links": {"email": "a@example.com", "site": "https://example.com/"},
                "voice": "customer"}),
    ("track", {"title": "T", "steps": [], "theme": None, "service": None}),
    ("page", {"title": "About", "summary": None}),
    ("themehub", {"title": "T", "base_url": "https://example.com/insights/", "output": "网站",
                  "images": {"sizes": {"tile": [640, 0]}, "quality": 82, "share": False},
                  "utm": {"source": "x"}, "related_weights": {"same_theme": 2.5}}),
    ("themehub", {"title": "T", "base_url": "https://example.com/",
                  "brand": {"logo": "/images/brand/logo.svg", "logo_alt": "Northwind Advisory",
                            "favicon": "static/images/brand/mark.png", "color": "#1e3a8a", "accent": "#0f7",
                            "font": "/fonts/Brand.woff2"},
                  "social": {"linkedin": "https://www.linkedin.com/company/n", "email": "hello@example.com",
                             "substack": "https://n.substack.com/", "x": None},
                  "footer": "© 2026 Northwind Advisory", "subscribe": {"action": "https://e.example/s",
                                                                      "email_field": "EMAIL", "label": None}}),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "brand": {"font": '"Source Sans 3", serif'},
                  "social": None, "footer": 2026, "subscribe": None}),
])
def test_what_themehub_accepts_the_schema_accepts(written: dict[str, dict[str, Any]], kind: str,
                                                   document: dict[str, Any]) -> None:
    assert problems(written[kind], document) == []


@pytest.mark.parametrize(("kind", "document", "where"), [
    ("article", {"date": "2026-03-14", "authors": "a", "themes": "t"}, ""),  # no title
    ("article", {"title": "T", "date": "2026-03-14", "themes": "t"}, ""),  # no author
    ("article", {"title": "T", "date": "2026-03-14", "authors": "a", "author": "a", "themes": "t"}, ""),
    ("article", {"title": "T", "date": "14/03/2026", "authors": "a", "themes": "t"}, "date"),
    ("article", {"title": "T", "date": "2026-03-14", "authors": "a", "themes": ["Cloud Costs"]}, "themes"),
    ("article", {"title": "T", "date": "2026-03-14", "authors": "a", "themes": "t", "image": "javascript:x"},
     "image"),
    ("article", {"title": "T", "date": "2026-03-14", "authors": "a", "themes": "t", "draft": "yes"}, "draft"),
    ("article", {"title": "T", "date": "2026-03-14", "authors": "a", "themes": "t", "tittle": "x"}, ""),
    ("theme", {"title": "T", "color": "0f766e"}, "color"),
    ("theme", {"title": "T", "cta": {"label": "Talk to us"}}, "cta"),
    ("author", {"name": "A", "voice": "fan"}, "voice"),
    ("track", {"title": "T"}, ""),  # no steps
    ("service", {"title": "T", "weight": "first"}, "weight"),
    ("themehub", {"title": "T", "base_url": "https://u:p@example.com/"}, "base_url"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "output": "a\x00b"}, "output"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "images": {"quality": 0}}, "images/quality"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "related_weights": {"same_them": 1}},
     "related_weights"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "brand": {"colour": "#123456"}}, "brand"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "brand": {"color": "1e3a8a"}}, "brand/color"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "brand": {"font": "Georgia; } body {"}},
     "brand/font"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "social": {"linkedin": "javascript:x"}},
     "social/linkedin"),
    ("themehub", {"title": "T", "base_url": "https://example.com/", "subscribe": {"label": "Join"}}, "subscribe"),
])
def test_what_themehub_refuses_the_schema_refuses(written: dict[str, dict[str, Any]], kind: str,
                                                  document: dict[str, Any], where: str) -> None:
    found = problems(written[kind], document)
    assert found, document
    assert any(p.startswith(f"{where}: ") for p in found), found


def test_schema_out_to_a_file_is_a_diagnostic_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("mine")
    proc = themehub("schema", "--out", "taken", cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    assert proc.stderr.startswith("taken: error: taken is a file, not a folder [write-failed]")
    assert (tmp_path / "taken").read_text() == "mine"


def test_schema_out_below_a_file_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("mine")
    proc = themehub("schema", "--out", "taken/schemas", cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "[write-failed]" in proc.stderr and "Not a directory" in proc.stderr


def test_schema_default_folder_is_schemas(tmp_path: Path) -> None:
    proc = themehub("schema", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(f"{n}.schema.json" for n in schemas())
