"""The Jinja2 environment: presentation-theme lookup chain, filters, autoescape always on, sandboxed.

Presentation themes come from pull requests like content does, and `check` renders them in CI, so a
template must not be able to run Python or reach the file system. Templates run in Jinja's immutable
sandbox (no `_`-attributes, no changing lists or dicts it is handed), tightened by an allow-list on
values: no module, class, file-system path or code object is ever reachable from a template, so
`{{ cycler.__init__.__globals__.os.system('…') }}` and `{{ site.root.read_text() }}` both stop with a
`template-error` at their line. Template files are read only when their real path (after symbolic
links) lies inside the site or the built-in themes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
import os
import posixpath
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from themehub import i18n
from themehub.brand import with_initial
from themehub.colors import on_white_text, pattern_angle
from themehub.config import Config
from themehub.diagnostics import Diagnostic, error, warning
from themehub.hub.languages import Localization, default_localization

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


_UNREACHABLE = (types.ModuleType, type, PurePath, types.CodeType, types.FrameType, types.TracebackType,
                types.GeneratorType, types.CoroutineType)
"""Values a template never gets hold of: from any of them, Python's internals or the disk are one step away."""

MAX_REPEAT = 1_000_000
"""Longest string or list a template may make with `*`, and the largest power it may compute with `**`
(a template that asks for `'x' * 10**12` would exhaust the CI machine's memory)."""


_INERT_VALUES: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), Markup, tuple, list, dict, dt.date, dt.datetime})
"""Values with nothing to reach through: the fields of the model are these, or models themselves."""


def _is_model(kind: type) -> bool:
    """themehub's own frozen dataclasses: the content model, the hub graph, the page contexts."""
    return (kind.__module__.startswith("themehub.") and dataclasses.is_dataclass(kind)
            and kind.__dataclass_params__.frozen)  # type: ignore[attr-defined]


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with an allow-list on what attribute lookups may return."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._models: set[type] = {jinja2.utils.Namespace, jinja2.runtime.LoopContext}
        """Types whose public attributes are data: themehub's frozen dataclasses met so far (the model,
        the hub graph, page values), and a template's own `namespace()` and `loop`."""
        self._others: set[type] = set()
        self._inert: set[type] = set(_INERT_VALUES)
        """Types a field of a model may hold and be handed out as it is: plain values, and models."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Nine lookups in ten read a field of the model: a field of one of our frozen dataclasses that
        # holds plain data (or another model) is safe as it is, so the sandbox's general checks,
        # which nearly doubled rendering time, are skipped for it. Everything else takes them.
        kind = type(obj)
        if kind in self._models:
            if attribute[0] != "_":
                value = getattr(obj, attribute, _MISSING)
                if type(value) in self._inert:
                    return value
        elif kind in _READ_ONLY_METHODS:
            if attribute in _READ_ONLY_METHODS[kind]:
                return getattr(obj, attribute)
        elif kind not in self._others:
            if _is_model(kind):
                self._models.add(kind)
                self._inert.add(kind)
                return self.getattr(obj, attribute)
            self._others.add(kind)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, _UNREACHABLE) or isinstance(value, _UNREACHABLE):
            return False
        return super().is_safe_attribute(obj, attr, value)

    callable_types: frozenset[Any] = frozenset({Markup, dict, jinja2.utils.Cycler, jinja2.utils.Joiner,
                                                jinja2.utils.Namespace})
    """The only classes a template may call, to make a value: the globals `Markup`, `dict`, `cycler`,
    `joiner` and `namespace`."""

    def is_safe_callable(self, obj: Any) -> bool:
        if type(obj) in _ALWAYS_CALLABLE:
            return True  # a template's own macro, or a built-in method a checked lookup handed out
        reachable = not isinstance(obj, _UNREACHABLE) or obj in self.callable_types
        return reachable and super().is_safe_callable(obj)

    def call_binop(self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            # Only whole numbers grow without bound; a float overflows at once.
            if isinstance(left, int) and isinstance(right, int) and right > 64 and abs(left) > 1:
                raise SecurityError("the power is too large to compute in a template")
            return operator.pow(left, right)
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, str | list | tuple) and _number(count) and len(sequence) * count > MAX_REPEAT:
                raise SecurityError("the repeated text or list is too long for a template")
        return operator.mul(left, right)


_MISSING = object()

_READ_ONLY_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"startswith", "endswith", "split", "rsplit", "strip", "lstrip", "rstrip", "lower", "upper",
                    "title", "capitalize", "replace", "join", "partition", "rpartition", "find", "count",
                    "removeprefix", "removesuffix", "splitlines", "isdigit", "isalpha"}),
    dict: frozenset({"get", "items", "keys", "values"}),
}
"""Methods templates call all the time that change nothing and hand out nothing new (not `format`,
which the sandbox wraps): looked up without the sandbox's general checks."""


_ALWAYS_CALLABLE = frozenset({jinja2.runtime.Macro, types.BuiltinMethodType})


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class UnsafeTemplateError(jinja2.TemplateError):
    """A template file whose real path lies outside the site: never read. Not a `TemplateNotFound`,
    which a `ChoiceLoader` would swallow to try its next loader."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(f"template '{name}' is a link to a file outside the site; it is not read")
        self.name = name
        self.filename = filename


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from folders, searched in order, read only when their real path lies in `allowed`:
    a template that is a symbolic link to /etc/passwd or a CI secret is never read."""

    def __init__(self, searchpath: Sequence[Path], allowed: Sequence[Path]) -> None:
        self.searchpath = [str(p) for p in searchpath]
        self.allowed = tuple(p.resolve() for p in allowed)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..'
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if not os.path.isfile(filename):
                continue
            real = Path(filename).resolve()
            if not any(real.is_relative_to(root) for root in self.allowed):
                raise UnsafeTemplateError(template, filename)
            contents = real.read_text(encoding="utf-8")
            mtime = os.path.getmtime(filename)

            def uptodate(filename: str = filename, mtime: float = mtime) -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return contents, os.path.normpath(filename), uptodate
        raise jinja2.TemplateNotFound(template)


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """One entry of the language switcher: where a page is in one language of the site."""

    code: str
    name: str
    url: str
    """Its version in that language, or the nearest page that language has (its theme, its home)."""
    current: bool
    """This is the page's own language."""
    translated: bool
    """`url` is this page's own version (not a nearer page)."""


def make_environment(config: Config, dirs: ThemeDirs, asset_versions: dict[str, str],
                     bytecode_cache: jinja2.BytecodeCache | None = None,
                     language: Localization | None = None) -> jinja2.Environment:
    allowed = (config.root, BUILTIN_THEMES)
    builtin = ConfinedLoader([BUILTIN_THEMES / "default" / "templates"], allowed)
    loader = jinja2.ChoiceLoader(
        [ConfinedLoader(dirs.templates, allowed), jinja2.PrefixLoader({"!default": builtin}, delimiter="/")]
    )
    env = ThemeSandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        extensions=["jinja2.ext.i18n"],
    )
    interface = config.interface()
    # newstyle: `_("On %(theme)s", theme=t)` formats with escaped values, and a message is never
    # formatted twice.
    env.install_gettext_translations(interface, newstyle=True)  # type: ignore[attr-defined]
    # Every link a page writes goes through its language's addresses: in a translation's folder
    # (`/de/`), a page nobody translated is linked in the default language, and shared files at the root.
    addresses = language or default_localization(config)

    def url(path: str) -> str:
        return addresses.href(path.lstrip("/"))

    def abs_url(path: str) -> str:
        return addresses.absolute(path.lstrip("/"))

    def language_links(page: str) -> tuple[LanguageLink, ...]:
        versions = addresses.versions
        found = []
        for lang in versions.languages:
            exact = versions.page_in(lang.code, page, exact=True, absolute=False)
            nearest = exact or versions.page_in(lang.code, page, exact=False, absolute=False) or ""
            found.append(LanguageLink(lang.code, lang.name, nearest, lang.code == addresses.code, exact is not None))
        return tuple(found)

    def asset(name: str) -> str:
        version = asset_versions.get(name)
        return url(f"assets/{name}") + (f"?v={version}" if version else "")

    # Jinja computes a filter given constants (`{{ 'tags/' | url }}`) when it compiles the template, and
    # compiled templates are kept between builds (`incremental/compiled_templates.py`): a filter that
    # depends on the config must not be computed then, or a build with another base_url or language
    # would reuse the last one's links and dates. A filter that takes the context is never computed
    # at compile time.
    env.filters["url"] = _at_render_time(url)
    env.filters["merge"] = _merge
    env.filters["abs_url"] = _at_render_time(abs_url)
    env.filters["date"] = _at_render_time(i18n.date_formatter(config.language))
    env.filters["on_white_text"] = on_white_text
    env.filters["pattern_angle"] = pattern_angle
    env.globals["asset"] = asset
    env.globals["site"] = config
    env.globals["brand"] = with_initial(config.brand, config.title)  # frozen, text only: no path to follow
    env.globals["depth_label"] = lambda key: interface.gettext(config.depth_label(key))
    env.globals["type_name"] = lambda key: interface.gettext(i18n.type_name(key))
    env.globals["translated"] = interface.gettext
    """A value of the site's, in the interface's language when it is one of themehub's own words (a
    default depth label): unlike `_()`, never a format string."""
    env.globals["text_direction"] = i18n.text_direction(config.language)
    env.globals["Markup"] = Markup
    env.globals["language_links"] = language_links
    """The language switcher's entries for a page (its `page_url`): () for a site in one language."""
    env.globals["alternates"] = lambda page: addresses.versions.alternates(page)
    """(hreflang, URL) of every version of a page, x-default last: () when it is in one language only."""
    return env


def _at_render_time(function: Callable[..., str]) -> Callable[..., str]:
    """`function` as a filter Jinja calls only when it renders, never when it compiles."""

    @jinja2.pass_context
    def filter_(context: jinja2.runtime.Context, value: Any, *args: Any) -> str:
        return function(value, *args)

    return filter_


def _merge(mapping: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`{% set ld = ld | merge({"description": x}) %}`: a new dict, since the sandbox keeps the one a
    template holds unchanged (`.update()` is refused there)."""
    return {**mapping, **extra}


def asset_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def interface_diagnostics(env: jinja2.Environment, config: Config, dirs: ThemeDirs) -> list[Diagnostic]:
    """What is wrong with the interface's words: the theme's own catalogue when it cannot be used
    (`bad-catalogue`, an error: the theme's words are not shown), and each message of the site's own
    templates (`{{ _("…") }}`) that the site's language has no translation of (`message-untranslated`:
    it shows in English). The second only for a language themehub speaks (for another,
    `interface-untranslated` said so once) other than English, whose messages are their own words."""
    own = i18n.theme_catalogue(config.root, config.theme, config.language)
    found: list[Diagnostic] = []
    if own is not None:
        shown = own.relative_to(config.root).as_posix()
        found += [error(shown, line, 1, "bad-catalogue", message,
                        "fix the entry (a translation keeps its message's %(name)s placeholders); "
                        "until then the theme's catalogue is not used")
                  for line, message in i18n.catalogue_problems(own)]
    if not i18n.has_interface(config.language) or i18n.is_source_language(config.language):
        return found
    words = config.interface()
    root = config.root.resolve()
    where = (own.relative_to(config.root).as_posix() if own is not None
             else f"themes/{config.theme}/locales/{config.language}/LC_MESSAGES/themehub.po")
    for folder in dirs.templates:
        if folder.resolve().is_relative_to(BUILTIN_THEMES.resolve()):
            continue  # themehub's own messages: every shipped catalogue translates them (a test says so)
        for path in sorted(folder.rglob("*.html")):
            real = path.resolve()
            if not real.is_relative_to(root) or not real.is_file():
                continue  # never read (the loader refuses it too)
            try:
                source = real.read_text(encoding="utf-8")
                messages = list(env.extract_translations(source))  # type: ignore[attr-defined]
            except (jinja2.TemplateSyntaxError, OSError, UnicodeDecodeError):
                continue  # rendering reports it
            for line, function, message in messages:
                if message is None or (not isinstance(message, str) and None in message):
                    continue
                if not i18n.translates(words, function, message):
                    text = message if isinstance(message, str) else message[1 if function == "pgettext" else 0]
                    found.append(warning(
                        path.relative_to(config.root).as_posix(), line, 1, "message-untranslated",
                        f"'{str(text)[:80]}' has no translation into '{config.language}': it shows in English",
                        f"translate it in {where}"))
    return found
