"""A render pass: pages rendered (or reused, when their fingerprint did not change) into an output,
with what they share held in one value instead of long argument lists. A full render makes one pass
over every page (render/site.py); `serve`'s body-edit path makes one over the pages of a changed body
(incremental/edits.py). Many pages on several cores are rendered by forked workers.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from themehub import urls
from themehub.config import Config
from themehub.diagnostics import Diagnostic, error
from themehub.render.fingerprint import Memo, content_hash, fingerprint
from themehub.render.pages import PageSpec
from themehub.render.reuse import CachedPage, RenderCache, read_previous, untouched_stat, why_rendered
from themehub.render.sink import Output
from themehub.render.templates import BUILTIN_THEMES, UnsafeTemplateError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Failure = tuple[str, int, str]
"""Where a template failed on a page (its file and line) and the error."""
NO_FAILURE: Failure = ("", 0, "")


@dataclass
class RenderPass:
    """What the pages of one pass share (the environment, the cache of the last render, the site-wide
    digest) and what the pass collects (the new page memory, what was rendered and why, failures)."""

    env: jinja2.Environment
    config: Config
    cache: RenderCache
    output: Output
    site_digest: str
    digests: Mapping[str, str]
    """Content file -> digest now (to say why a page was rendered)."""
    site_changed: bool
    new_pages: dict[str, CachedPage] = field(default_factory=dict)
    rendered: list[tuple[str, str]] = field(default_factory=list)
    """(page URL, why it was rendered) of every page rendered in this pass."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Templates that did not load."""
    failures: dict[Failure, list[str]] = field(default_factory=dict)
    """(template file, line, error) -> the pages it failed on."""
    templates: dict[str, jinja2.Template | None] = field(default_factory=dict)
    memo: Memo = field(default_factory=dict)
    known: Mapping[str, str] = field(default_factory=dict)
    """Output path -> fingerprint, of pages proven unchanged without hashing them (reuse.proven_unchanged)."""

    def reuse(self, spec: PageSpec, print_: str, items: frozenset[str] | None) -> bool:
        """Place the page's previous bytes if its fingerprint `print_` is unchanged (True)."""
        path = urls.output_file(spec.url)
        cache = self.cache
        old = cache.pages.get(path)
        if old is None or old.fingerprint != print_:
            return False
        on_disk = old.data is None
        seen = untouched_stat(cache.previous_file(path), old.stamp) if on_disk and old.links is not None else None
        if seen is not None:
            data: bytes | None = b""  # reused as it is in the output folder, never read
        else:
            data = old.data if not on_disk else read_previous(cache.previous_file(path), old.sha)
        if data is None:
            return False
        links = self.output.put(path, data, unchanged=on_disk, packed=not on_disk, links=old.links, seen=seen)
        self.new_pages[path] = CachedPage(print_, None if self.output.streaming else data, old.sha, links,
                                          items=items)
        return True

    def place(self, spec: PageSpec, data: bytes, print_: str, items: frozenset[str] | None) -> None:
        """Put a freshly rendered page in the output and remember it for the next render."""
        path = urls.output_file(spec.url)
        links = self.output.put(path, data)
        kept = None if self.output.streaming else self.output.files.blob(path)
        self.new_pages[path] = CachedPage(print_, kept, content_hash(data), links, items=items)
        self.rendered.append((spec.url, why_rendered(spec, self.cache, self.digests, self.site_changed)))

    def template(self, name: str) -> jinja2.Template | None:
        """The template, loaded once per pass (None, and a diagnostic, when it cannot be)."""
        if name not in self.templates:
            self.templates[name] = _load_template(self.env, name, self.config, self.diagnostics)
        return self.templates[name]

    def render(self, specs: list[PageSpec], workers: int = 1,
               progress: Callable[[int, int], None] | None = None) -> bool:
        """Render `specs` (or reuse their previous bytes); False when a template failed on one of them."""
        todo: list[tuple[PageSpec, Printed]] = []
        for spec, printed in zip(specs, self._fingerprints(specs, workers), strict=True):
            if not self.reuse(spec, *printed):
                todo.append((spec, printed))
        for name in sorted({spec.template for spec, _ in todo}):
            self.template(name)
        todo = [(spec, printed) for spec, printed in todo if self.templates[spec.template] is not None]  # else reported
        ok = True
        html_of = _render_all([spec for spec, _ in todo], self.templates, workers)
        for done, ((spec, printed), (data, failure)) in enumerate(zip(todo, html_of, strict=True), 1):
            if progress is not None and done % 50 == 0:
                progress(done, len(todo))
            if data is None:
                self.failures.setdefault(failure, []).append(spec.url)
                ok = False
                continue
            self.place(spec, data, *printed)
        return ok

    def _fingerprints(self, specs: list[PageSpec], workers: int) -> list[Printed]:
        """Each page's fingerprint and the items it holds: known (carried over from the last render),
        or hashed now."""
        paths = [urls.output_file(spec.url) for spec in specs]
        todo = [index for index, path in enumerate(paths) if path not in self.known]
        printed: list[Printed] = [(self.known[path], self.cache.pages[path].items) if path in self.known else ("", None)
                                  for path in paths]
        made = _fingerprint_all([specs[index] for index in todo], self.site_digest, self.memo, workers)
        for index, one in zip(todo, made, strict=True):
            printed[index] = one
        return printed

    def failure_diagnostics(self) -> list[Diagnostic]:
        """One diagnostic per distinct failure, not one per page (a broken base template fails them all)."""
        found = []
        for (where, line, message), failed in self.failures.items():
            others = f" and {len(failed) - 1} more pages" if len(failed) > 1 else ""
            found.append(error(_shown(where, self.config), line, 1, "template-error",
                               f"rendering /{failed[0]}{others} failed: {message}",
                               "fix the template, or the content it shows"))
        return found




def render_page(template: jinja2.Template, spec: PageSpec) -> tuple[bytes | None, Failure]:
    """The page's bytes, or None and where and how the template failed."""
    try:
        return template.render(**spec.context, page_url=spec.url, page_kind=spec.template[:-5]).encode("utf-8"), \
            NO_FAILURE
    except Exception as exc:  # a template can raise anything (`{{ 1 / 0 }}`, a filter given nonsense): report it
        where, line = template.filename or template.name or spec.template, 1
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith((".html", ".xml", ".j2")):
                where, line = frame.f_code.co_filename, lineno  # Jinja maps template frames to template lines
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        return None, (where, line, message)


PARALLEL_PAGES = 128
"""Fewer pages to render than this are rendered in this process: forking would cost more."""
PARALLEL_FINGERPRINTS = 2048
"""Fewer pages than this are fingerprinted in this process (a page takes about 0.15 ms)."""


Printed = tuple[str, frozenset[str] | None]
"""A page's fingerprint and the content files of the items its context holds (None: not known)."""


def page_fingerprint(site_digest: str, spec: PageSpec, memo: Memo) -> Printed:
    context = spec.context if spec.shown is None else {**spec.context, **spec.shown}
    items: set[str] = set()
    return fingerprint(site_digest, spec.template, spec.url, context, memo=memo, refs=items), frozenset(items)


_FORKED_PAGES: tuple[list[PageSpec], str] | None = None
"""The pages of the fingerprinting in progress, and the site digest, inherited by forked workers."""


def _fingerprint_forked(bounds: tuple[int, int]) -> list[Printed]:
    assert _FORKED_PAGES is not None
    specs, site_digest = _FORKED_PAGES
    memo: Memo = {}  # a worker's own: the pages of one range share most of what they show
    return [page_fingerprint(site_digest, specs[i], memo) for i in range(*bounds)]


def _fingerprint_all(specs: list[PageSpec], site_digest: str, memo: Memo, workers: int) -> list[Printed]:
    """Every page's fingerprint, in order. A rebuild of a large site renders a few pages but
    fingerprints them all (2.4 s of a 10,000-article rebuild in one process): with several cores and
    many pages, forked workers (as for rendering, Linux only) each take one contiguous range."""
    if workers <= 1 or len(specs) < PARALLEL_FINGERPRINTS or not sys.platform.startswith("linux"):
        return [page_fingerprint(site_digest, spec, memo) for spec in specs]
    global _FORKED_PAGES
    _FORKED_PAGES = (specs, site_digest)
    try:
        size = -(-len(specs) // workers)
        ranges = [(i, min(i + size, len(specs))) for i in range(0, len(specs), size)]
        with _frozen_for_fork(), _forked_workers(workers) as executor:
            return [printed for part in executor.map(_fingerprint_forked, ranges) for printed in part]
    finally:
        _FORKED_PAGES = None


def _forked_workers(workers: int) -> ProcessPoolExecutor:
    """Workers forked from this process, so that they inherit what it holds. Imported here: a rebuild
    that renders a few pages never forks, and multiprocessing cost it 16 ms of start-up."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


@contextlib.contextmanager
def _frozen_for_fork() -> Iterator[None]:
    """The parent's objects frozen while forked workers run: the children's collector leaves what they
    inherit alone (no copy-on-write storms). Not collected first, as the docs of `gc.freeze` advise too:
    a full collection of a 10,000-article hub took a tenth of a title edit's rebuild, and whatever
    garbage it would have found is collected as usual once the objects are unfrozen."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_FORKED: tuple[list[PageSpec], Mapping[str, jinja2.Template]] | None = None
"""The pages and templates of the render in progress, inherited by forked template workers."""


def _render_forked(indexes: list[int]) -> list[tuple[bytes | None, Failure]]:
    assert _FORKED is not None
    pages, templates = _FORKED
    return [render_page(templates[pages[i].template], pages[i]) for i in indexes]


def _render_all(specs: list[PageSpec], templates: Mapping[str, jinja2.Template | None],
                workers: int) -> Iterator[tuple[bytes | None, Failure]]:
    """Each page's bytes (or None and where its template failed), in order; every page's template
    loaded. With many pages and several cores,
    rendered by worker processes forked now: they inherit the hub, the pages and the compiled
    templates, so only page numbers go to them and only bytes come back."""
    # Linux only: there forking a process with threads (serve's watcher and server) is safe as long as
    # the child touches nothing those threads hold; macOS's system libraries do not promise that.
    if workers <= 1 or len(specs) < PARALLEL_PAGES or not sys.platform.startswith("linux"):
        for spec in specs:
            yield render_page(_loaded(templates, spec), spec)
        return
    global _FORKED
    _FORKED = (specs, {spec.template: _loaded(templates, spec) for spec in specs})
    try:
        size = max(16, len(specs) // (workers * 8))
        chunks = [list(range(i, min(i + size, len(specs)))) for i in range(0, len(specs), size)]
        with _frozen_for_fork(), _forked_workers(workers) as executor:
            for chunk in executor.map(_render_forked, chunks):
                yield from chunk
    finally:
        _FORKED = None


def _loaded(templates: Mapping[str, jinja2.Template | None], spec: PageSpec) -> jinja2.Template:
    template = templates[spec.template]
    assert template is not None, "pages whose template did not load are not rendered"
    return template


def _template_diagnostic(exc: jinja2.TemplateSyntaxError, config: Config) -> Diagnostic:
    return error(_shown(exc.filename or exc.name or "template", config), exc.lineno or 1, 1, "template-error",
                 f"template syntax error: {exc.message}", "fix the template tag on this line")


def _shown(filename: str, config: Config) -> str:
    """A template's file as diagnostics show it: relative to the site, or to the built-in themes."""
    path = Path(filename).resolve()
    for base in (config.root.resolve(), BUILTIN_THEMES.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return filename


def _load_template(env: jinja2.Environment, name: str, config: Config,
                   diagnostics: list[Diagnostic]) -> jinja2.Template | None:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        diagnostics.append(_template_diagnostic(exc, config))
    except jinja2.TemplateNotFound as exc:
        diagnostics.append(error("themehub.yaml", 1, 1, "template-error",
                                 f"template '{exc.name}' not found in presentation theme '{config.theme}'",
                                 "add it to your theme's templates/ folder"))
    except UnsafeTemplateError as exc:
        diagnostics.append(error(_shown(exc.filename, config), 1, 1, "template-error", str(exc),
                                 "copy the template into the theme instead of linking to it"))
    return None
