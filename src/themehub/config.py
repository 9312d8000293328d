"""themehub.yaml -> a frozen Config. Every key is validated where it is written."""

from __future__ import annotations

import gettext
import ipaddress
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote, urlsplit

from themehub import i18n, urls
from themehub.brand import Brand, read_brand
from themehub.diagnostics import Diagnostic, did_you_mean, error, warning
from themehub.source.fields import FieldReader
from themehub.source.files import read_text
from themehub.source.frontmatter import load_yaml
from themehub.source.slugs import is_slug, slugify

URL_SAFE = "/:@!$&'()*+,;=-._~%"
"""Kept as they are when a base URL's path is percent-encoded (the same set as urls.URL_SAFE)."""

CONFIG_FILE = "themehub.yaml"

DEFAULT_DEPTHS: tuple[tuple[str, str], ...] = (
    ("entry", "Start here"),
    ("deeper", "Go deeper"),
    ("deepest", "Deep dives"),
)
DEFAULT_TYPES: tuple[tuple[str, str], ...] = (
    ("article", "entry"),
    ("case-study", "deeper"),
    ("white-paper", "deepest"),
    ("survey", "deeper"),
    ("interview", "entry"),
    ("video", "entry"),
    ("podcast", "entry"),
    ("report", "deepest"),
)
RAW_HTML_MODES = ("sanitize", "escape", "allow")

# key -> what it means; the README's table is written from the same words.
KEYS = {
    "title": "site name (required)",
    "base_url": "absolute URL of the site root, path included (required)",
    "description": "site description for meta tags and feeds",
    "language": "language code of the content and of themehub's interface (en, de, es, fr, ja), e.g. en",
    "languages": "the languages of a multilingual hub: code: {name, title, description, path} (see README)",
    "default_language": "the language at the site root when there are several (default: the first of `languages`)",
    "theme": "presentation theme: a folder under themes/ or the built-in 'default'",
    "output": "output folder, relative to the site root",
    "types": "allowed content types, each with its default depth",
    "depths": "ordered depth levels with their labels",
    "raw_html": "raw HTML in markdown: sanitize, escape or allow",
    "related": "related items shown per article",
    "paginate": "items per page of a long listing",
    "cadence_days": "an SME whose last piece is older than this many days gets a `check` warning",
    "related_weights": "points of each reason in the related-content score (see README)",
    "related_per_type": "at most this many related items of one content type (keeps suggestions varied)",
    "cta_after": "on a theme hub, the theme's call to action comes after this many cards",
    "utm": "UTM parameters added to every call-to-action link: source, medium",
    "images": "image pipeline: sizes ({name: [width, height]}), quality (1-100), share (generate share images)",
    "brand": "the brand: logo and logo_alt, favicon, color, accent (hex colours), font (a file below static/ "
             "or a CSS font list)",
    "social": "follow links in the footer: network: https address (linkedin, x, youtube, github, mastodon, …)",
    "footer": "a line of text at the foot of every page (copyright, registered address)",
    "subscribe": "a newsletter form in the footer: action (the address it posts to), email_field, label",
}

DEFAULT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("same_theme", 3.0),
    ("parent_theme", 2.0),
    ("sibling_theme", 1.0),
    ("extra_theme", 0.5),
    ("same_track", 2.0),
    ("shared_tag", 1.0),
    ("same_author", 1.0),
    ("one_level_deeper", 0.75),
    ("recency", 0.5),
)


LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
"""A BCP 47 language tag as themehub takes it: a language (`de`), then optional subtags (`pt-BR`,
`zh-Hant`). Lowercase language: the tag also names translation files (`x.pt-BR.md`)."""


@dataclass(frozen=True, slots=True)
class Language:
    """One language of a multilingual hub (`languages:` in themehub.yaml)."""

    code: str
    name: str
    """Its own name, as the language switcher shows it ('Deutsch')."""
    title: str = ""
    """The site's title in this language ('' keeps the site's)."""
    description: str = ""
    path: str = ""
    """Its folder below the site root, ending in '/' ('de/'); '' for the default language."""


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    theme: str = "default"
    output: Path = Path("site")
    types: tuple[tuple[str, str], ...] = DEFAULT_TYPES
    depths: tuple[tuple[str, str], ...] = DEFAULT_DEPTHS
    raw_html: str = "sanitize"
    related: int = 4
    paginate: int = 20
    cadence_days: int = 30
    related_weights: tuple[tuple[str, float], ...] = DEFAULT_WEIGHTS
    related_per_type: int = 2
    cta_after: int = 6
    utm_source: str = ""
    utm_medium: str = "content-hub"
    image_sizes: tuple[tuple[str, int, int], ...] = ()
    image_quality: int = 82
    share_images: bool = True
    brand: Brand = field(default_factory=Brand)
    languages: tuple[Language, ...] = ()
    """Every language of a multilingual hub, the default (at the root) first; () for a hub in one."""
    language_path: str = ""
    """The folder of the language this config renders ('de/'); '' for the default language."""
    shared_base_url: str = ""
    """Where what every language shares lives (assets, images, search): the default language's base_url
    ('' means base_url: this config renders the default language)."""
    noindex: bool = False
    """`build --noindex` (a preview): every page carries a robots noindex meta, robots.txt disallows all."""

    @property
    def default_language(self) -> str:
        return self.languages[0].code if self.languages else self.language

    @property
    def shared_base_path(self) -> str:
        return urlsplit(self.shared_base_url or self.base_url).path

    def language_named(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def for_language(self, code: str) -> Config:
        """This config as it renders the pages of `code`, one of `languages`: its title and description,
        and base_url its folder's, so every page link and feed of that language stays in it."""
        lang = self.language_named(code)
        if lang is None or not lang.path:
            return self
        return replace(self, language=code, title=lang.title or self.title,
                       description=lang.description or self.description,
                       base_url=self.base_url + quote(lang.path, safe=URL_SAFE), language_path=lang.path,
                       shared_base_url=self.base_url)

    def weight(self, reason: str) -> float:
        return dict(self.related_weights)[reason]

    @property
    def base_path(self) -> str:
        """The path of base_url, always with a leading and trailing '/' (e.g. '/insights/'), percent-encoded
        as URLs write it."""
        return urlsplit(self.base_url).path

    @property
    def depth_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.depths)

    def depth_label(self, key: str) -> str:
        return dict(self.depths).get(key, key)

    def depth_index(self, key: str) -> int:
        keys = self.depth_keys
        return keys.index(key) if key in keys else len(keys)

    def default_depth(self, type_: str) -> str:
        return dict(self.types).get(type_, self.depth_keys[0])

    def interface(self) -> gettext.NullTranslations:
        """themehub's words in the site's language, the site's own presentation theme's catalogue over
        them (i18n.py)."""
        return i18n.translations(self.language, i18n.theme_catalogue(self.root, self.theme, self.language))

    @property
    def output_dir(self) -> Path:
        return self.output if self.output.is_absolute() else self.root / self.output


_RESERVED_FOLDERS = urls.RESERVED_TOP_LEVEL | {"events", "images"}
"""Folders a language cannot take: the site's own sections and files."""

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


def base_url_problem(url: str) -> str:
    """Why `url` cannot be the site's base URL ('' when it can). It is printed in ~100 pages and every
    feed, so it must be a plain public address: http(s), a real host, a port in range, no credentials."""
    if re.search(r"[\x00-\x20\x7f]", url):
        return "it holds a space or a control character"
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket
        return "it is not a valid URL"
    try:
        port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if parts.scheme not in ("http", "https"):
        return "it must start with https:// or http://"
    if "@" in parts.netloc:
        return "it holds a user name or password, which would be published in every page"
    if port is not None and not 1 <= port <= 65535:
        return f"port {port} is out of range (1 to 65535)"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "it has a query (?) or a fragment (#), which a site's root cannot have"
    host = parts.hostname or ""
    if not host:
        return "it has no host name"
    if not _valid_host(host, bracketed=parts.netloc.startswith("[")):
        return f"'{host}' is not a valid host name"
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        return "its path holds '.' or '..'"
    return ""


def _valid_host(host: str, *, bracketed: bool) -> bool:
    if bracketed:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return False
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")  # an internationalized name counts as its xn-- form
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return len(ascii_host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def redacted(url: str) -> str:
    """`url` as a message may show it: a password (or user name) is never repeated into a CI log."""
    return re.sub(r"(//)[^/?#@]*@", r"\1…@", url)


def normalize_base_url(url: str) -> str | None:
    """The base URL with a trailing '/', or None when `base_url_problem` has something to say."""
    if base_url_problem(url):
        return None
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    # The path as URLs write it: a base path in any script is percent-encoded once, here.
    return f"{parts.scheme}://{parts.netloc}{quote(path, safe=URL_SAFE)}"


MAX_NAME_BYTES = 255
"""A file or folder name's limit on every common file system."""
MAX_PATH_BYTES = 4095
"""Linux's PATH_MAX, less the terminating NUL."""


def output_problem(text: str) -> str:
    """Why `text` cannot name the output folder ('' when it can). The value is never repeated: it may
    hold control characters that would garble a terminal or a CI log."""
    bad = re.search(r"[\x00-\x1f\x7f]", text)
    if bad:
        return f"it holds a control character (U+{ord(bad.group()):04X}), which no folder name should"
    if text.startswith("~") and _home_expanded(Path(text)) == Path(text):
        return f"'{text.split('/', 1)[0]}' is not the home folder of a user of this machine"
    encoded = os.fsencode(text)
    if len(encoded) > MAX_PATH_BYTES:
        return f"it is {len(encoded)} bytes long; paths are at most {MAX_PATH_BYTES} bytes"
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > MAX_NAME_BYTES:
            return f"a folder name in it is {size} bytes long; file systems allow {MAX_NAME_BYTES}"
    return ""


def _home_expanded(path: Path) -> Path:
    """`~/x` and `~user/x` expanded; the path as written when there is no such home to expand to."""
    try:
        return path.expanduser()
    except RuntimeError:  # ~name of no user, or no HOME at all
        return path


def load_config(root: Path, *, base_url: str | None = None, output: Path | None = None,
                ) -> tuple[Config | None, list[Diagnostic]]:
    """Read `root/themehub.yaml`. Returns no Config when it cannot be used at all."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [error(CONFIG_FILE, 1, 1, "no-config", f"no {CONFIG_FILE} in {root}",
                            "run `themehub init` to make a new site, or pass --site DIR")]

    text, problems = read_text(path, CONFIG_FILE)
    if text is None:
        return None, problems
    doc, diagnostics = load_yaml(text, CONFIG_FILE)
    if doc is None:
        return None, diagnostics
    fields = FieldReader(doc, CONFIG_FILE)
    fields.check_keys(KEYS, "themehub.yaml")
    title = fields.text("title", required=True, kind="themehub.yaml", example="My Insights")
    raw_base = base_url if base_url is not None else fields.text(
        "base_url", required=True, kind="themehub.yaml", example="https://example.com/insights/")
    normalized = normalize_base_url(raw_base) if raw_base else None
    if raw_base and normalized is None:
        fields.problem(("base_url",), "bad-base-url",
                       f"base_url '{redacted(raw_base)}' cannot be used: {base_url_problem(raw_base)}",
                       "write it like `base_url: https://example.com/insights/`")
    theme = fields.text("theme", default="default")
    if (theme and not re.fullmatch(r"[A-Za-z0-9_.-]+", theme)) or theme in (".", ".."):
        fields.problem(("theme",), "bad-theme-name", f"presentation theme name '{theme}' is not a folder name")
        theme = "default"
    out_text = fields.text("output", default="site")
    out_problem = output_problem(out_text)
    if out_problem:
        # Caught here, at its line: the file system would otherwise raise deep inside the build.
        fields.problem(("output",), "bad-output", f"'output' cannot be used: {out_problem}",
                       "write a folder name, relative to the site root: `output: site`")
        out_text = "site"
    depths = _depths(fields)
    types = _types(fields, tuple(k for k, _ in depths))
    config = Config(
        root=root,
        title=title,
        base_url=normalized or "https://example.com/",
        description=fields.text("description"),
        language=fields.text("language", default="en"),
        theme=theme,
        output=_home_expanded(output if output is not None else Path(out_text or "site")),
        types=types,
        depths=depths,
        raw_html=fields.choice("raw_html", RAW_HTML_MODES, "sanitize"),
        related=fields.integer("related", 4, minimum=0),
        paginate=fields.integer("paginate", 20, minimum=1),
        cadence_days=fields.integer("cadence_days", 30, minimum=1),
        related_weights=_weights(fields),
        related_per_type=fields.integer("related_per_type", 2, minimum=1),
        cta_after=fields.integer("cta_after", 6, minimum=0),
    )
    utm = fields.mapping("utm")
    for key in utm:
        if key not in ("source", "medium"):
            fields.problem(("utm", key), "unknown-key", f"unknown key '{key}' in 'utm'",
                           did_you_mean(key, ("source", "medium")))
    config = replace(config, utm_source=str(utm.get("source") or slugify(title) or "themehub"),
                     utm_medium=str(utm.get("medium") or "content-hub"), **_images(fields),
                     brand=read_brand(fields, root, config.base_path, title))
    config = _languages(fields, config)
    for code in [lang.code for lang in config.languages] or [config.language]:
        if i18n.has_interface(code):
            continue
        line, col = fields.doc.pos("languages", code) if config.languages else fields.doc.pos("language")
        fields.diagnostics.append(warning(
            CONFIG_FILE, line, col, "interface-untranslated",
            f"themehub's interface is not translated into '{code}': its words show in English",
            f"themehub speaks {', '.join(i18n.shipped_languages())}; the content is shown as written"))
    diagnostics += fields.diagnostics
    return config, diagnostics


def _languages(fields: FieldReader, config: Config) -> Config:
    """`languages:` and `default_language:` read into the config: the default language first, with its
    title and description as the site's; every other one with its folder."""
    raw = fields.mapping("languages")
    default = fields.text("default_language")
    if not raw:
        if default:
            fields.problem(("default_language",), "unknown-language",
                           "default_language is set, but there is no `languages:` to choose it from",
                           "add `languages:` (see README, Multilingual hubs) or remove default_language")
        return config
    found: list[Language] = []
    paths: dict[str, str] = {}
    for code, value in raw.items():
        code = str(code)
        if not LANGUAGE_TAG.fullmatch(code):
            fields.problem(("languages", code), "bad-language",
                           f"'{code[:40]}' is not a language tag themehub takes",
                           "write a BCP 47 tag with a lowercase language: de, fr, pt-BR, zh-Hant")
            continue
        settings = value if isinstance(value, dict) else {}
        if not isinstance(value, dict) or not isinstance(settings.get("name"), str) or not settings["name"].strip():
            fields.problem(("languages", code), "missing-field", f"language '{code}' needs a `name`",
                           f"write `{code}: {{name: …}}` with the language's own name (Deutsch, Français)")
        for key in settings:
            if key not in ("name", "title", "description", "path"):
                fields.problem(("languages", code, key), "unknown-key", f"unknown key '{key}' in language '{code}'",
                               did_you_mean(str(key), ("name", "title", "description", "path")))
        path = str(settings.get("path") or code.lower()).strip("/")
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", path) or path in _RESERVED_FOLDERS:
            fields.problem(("languages", code, "path") if "path" in settings else ("languages", code),
                           "bad-language-path", f"language '{code}' cannot live in the folder '{path[:40]}'",
                           "a `path` is one folder name of lowercase letters, digits and '-', not one the "
                           "site uses itself (themes, articles, assets, …)")
            path = code.lower()
        if path in paths:
            fields.problem(("languages", code), "bad-language-path",
                           f"languages '{paths[path]}' and '{code}' would share the folder '{path}/'",
                           "give one of them its own `path`")
        paths[path] = code
        found.append(Language(code, str(settings.get("name") or code).strip(), str(settings.get("title") or ""),
                              str(settings.get("description") or ""), path + "/"))
    if not found:
        return config
    language_given = "language" in fields.doc.data
    chosen = default or (config.language if language_given else found[0].code)
    if default and language_given and config.language != default:
        fields.problem(("default_language",), "language-conflict",
                       f"language is '{config.language}' but default_language is '{default}'",
                       "a multilingual hub needs only default_language: remove `language:`")
    first = next((lang for lang in found if lang.code == chosen), None)
    if first is None:
        where = ("default_language",) if default else ("language",)
        fields.problem(where, "unknown-language", f"the default language '{chosen}' is not one of `languages`",
                       f"add it to `languages:` or choose one of: {', '.join(lang.code for lang in found)}")
        first = found[0]
    first = replace(first, path="")  # the default language is the site root
    others = tuple(lang for lang in found if lang.code != first.code)
    return replace(config, language=first.code, languages=(first, *others),
                   title=first.title or config.title, description=first.description or config.description)


class _ImageSettings(TypedDict):
    """The `images:` settings, as the Config fields they fill."""

    image_sizes: tuple[tuple[str, int, int], ...]
    image_quality: int
    share_images: bool


def _images(fields: FieldReader) -> _ImageSettings:
    raw = fields.mapping("images")
    for key in raw:
        if key not in ("sizes", "quality", "share"):
            fields.problem(("images", key), "unknown-key", f"unknown key '{key}' in 'images'",
                           did_you_mean(key, ("sizes", "quality", "share")))
    sizes: list[tuple[str, int, int]] = []
    for name, value in dict(raw.get("sizes") or {}).items() if isinstance(raw.get("sizes"), dict) else []:
        ok = (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                for v in value) and value[0] > 0 and value[1] >= 0)
        if not ok:
            fields.problem(("images", "sizes", name), "wrong-type", f"image size '{name}' must be [width, height]",
                           "write e.g. `tile: [640, 400]` (height 0 keeps the image's proportions)")
            continue
        sizes.append((str(name), value[0], value[1]))
    quality = raw.get("quality", 82)
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 100:
        fields.problem(("images", "quality"), "out-of-range", "images.quality must be a whole number from 1 to 100")
        quality = 82
    share = raw.get("share", True)
    if not isinstance(share, bool):
        fields.problem(("images", "share"), "wrong-type", "images.share must be true or false")
        share = True
    return _ImageSettings(image_sizes=tuple(sizes), image_quality=quality, share_images=share)


def _weights(fields: FieldReader) -> tuple[tuple[str, float], ...]:
    raw = fields.mapping("related_weights")
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in raw.items():
        if key not in weights:
            fields.problem(("related_weights", key), "unknown-key", f"unknown related-content weight '{key}'",
                           did_you_mean(key, weights))
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            fields.problem(("related_weights", key), "wrong-type", f"weight '{key}' must be a number of 0 or more")
        else:
            weights[key] = float(value)
    return tuple(weights.items())


def _depths(fields: FieldReader) -> tuple[tuple[str, str], ...]:
    raw = fields.mapping("depths")
    if not raw:
        return DEFAULT_DEPTHS
    result = []
    for key, label in raw.items():
        if not is_slug(key):
            fields.problem(("depths", key), "bad-slug", f"depth '{key}' is not a slug",
                           "use lowercase words joined by '-'")
            continue
        if not isinstance(label, str) or not label.strip():
            fields.problem(("depths", key), "wrong-type", f"depth '{key}' needs a label as text",
                           f"write `{key}: Start here`")
            label = key
        result.append((key, label.strip()))
    return tuple(result) or DEFAULT_DEPTHS


def _types(fields: FieldReader, depth_keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    raw = fields.mapping("types")
    if not raw:
        defaults = DEFAULT_TYPES
        if depth_keys != tuple(k for k, _ in DEFAULT_DEPTHS):
            defaults = tuple((t, d if d in depth_keys else depth_keys[0]) for t, d in DEFAULT_TYPES)
        return defaults
    result = []
    for key, depth in raw.items():
        if not is_slug(key):
            fields.problem(("types", key), "bad-slug", f"type '{key}' is not a slug")
            continue
        if depth is None:
            depth = depth_keys[0]
        if not isinstance(depth, str) or depth not in depth_keys:
            fields.problem(("types", key), "unknown-depth", f"type '{key}' has unknown default depth '{depth}'",
                           f"use one of: {', '.join(depth_keys)}")
            depth = depth_keys[0]
        result.append((key, depth))
    return tuple(result) or DEFAULT_TYPES

