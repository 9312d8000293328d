"""The Jinja2 environment: presentation-theme lookup chain, filters, autoescape always on."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from themehub.config import Config
from themehub.render.colors import on_white_text, pattern_angle

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True, slots=True)
class ThemeDirs:
    """Folders of the presentation theme, most specific first."""

    templates: tuple[Path, ...]
    static: tuple[Path, ...]


def theme_dirs(config: Config) -> ThemeDirs:
    candidates = [config.root / "themes" / config.theme, BUILTIN_THEMES / config.theme, BUILTIN_THEMES / "default"]
    seen: list[Path] = []
    for c in candidates:
        if c.is_dir() and c not in seen:
            seen.append(c)
    return ThemeDirs(
        templates=tuple(d / "templates" for d in seen if (d / "templates").is_dir()),
        static=tuple(d / "static" for d in seen if (d / "static").is_dir()),
    )


def theme_exists(config: Config) -> bool:
    return (config.root / "themes" / config.theme).is_dir() or (BUILTIN_THEMES / config.theme).is_dir()


def format_date(value: dt.datetime | dt.date | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    # Month names are written here, not taken from the locale, so output never depends on it.
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    if style == "short":
        return f"{months[value.month - 1][:3]} {value.year}"
    return f"{value.day} {months[value.month - 1]} {value.year}"


def make_environment(config: Config, dirs: ThemeDirs, asset_versions: dict[str, str],
                     bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(BUILTIN_THEMES / "default" / "templates"))
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader([str(d) for d in dirs.templates]),
         jinja2.PrefixLoader({"!default": builtin}, delimiter="/")]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    base_path = config.base_path
    base_url = config.base_url

    def url(path: str) -> str:
        return base_path + path.lstrip("/")

    def abs_url(path: str) -> str:
        return base_url + path.lstrip("/")

    def asset(name: str) -> str:
        version = asset_versions.get(name)
        return url(f"assets/{name}") + (f"?v={version}" if version else "")

    env.filters["url"] = url
    env.filters["abs_url"] = abs_url
    env.filters["date"] = format_date
    env.filters["on_white_text"] = on_white_text
    env.filters["pattern_angle"] = pattern_angle
    env.globals["asset"] = asset
    env.globals["site"] = config
    env.globals["depth_label"] = config.depth_label
    env.globals["Markup"] = Markup
    return env


def asset_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]
