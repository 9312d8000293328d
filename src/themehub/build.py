"""The build driver: config -> content -> hub graph -> render -> write.

`load_site` (config, content and graph) is shared with `check` and `serve`; `render_site` (in
render/site.py) produces every output file in memory; `build` writes them. Each stage returns values
and diagnostics; none raises for a content problem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from themehub.config import Config, load_config
from themehub.content.loader import DocumentStore, ParseCache, load_content
from themehub.content.model import Content
from themehub.diagnostics import Diagnostic, error, has_errors, sorted_diagnostics
from themehub.hub.graph import Hub, build_hub
from themehub.hub.language_hubs import with_languages
from themehub.hub.schedule import Scheduled, schedule
from themehub.incremental.items import DiskItems
from themehub.incremental.records import FrontMatterCache
from themehub.incremental.store import (
    CACHE_DIR,
    load_cache,
    load_graph_memo,
    load_language_cache,
    prepare_cache,
    save_cache,
    save_graph_memo,
    save_language_caches,
)
from themehub.output.lock import build_lock
from themehub.output.writer import StagingWriter, UnsafeOutputPathError, WriteStats, check_output_dir
from themehub.render.languages import render_languages
from themehub.render.rendered_body import DamagedRecordError
from themehub.render.reuse import RenderCache
from themehub.render.search import BUNDLE as SEARCH_FOLDER
from themehub.render.search import SearchIndexError, write_search_index
from themehub.render.sink import Discard
from themehub.render.templates import theme_exists
from themehub.timings import Listener, Timings

log = logging.getLogger("themehub")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site: Path = Path(".")
    out: Path | None = None
    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    jobs: int = 0
    """Markdown worker processes; 0 means one per core."""
    now: dt.datetime | None = None
    force: bool = False
    cache: bool = True
    """Keep rendered markdown and page fingerprints in .themehub-cache/ between builds."""
    search: bool = True
    noindex: bool = False
    """Keep search engines out (a preview): a robots meta on every page, a robots.txt that disallows all."""


@dataclass(frozen=True)
class LoadedSite:
    config: Config | None
    content: Content | None
    hub: Hub | None
    diagnostics: tuple[Diagnostic, ...]
    languages: tuple[Hub, ...] = ()
    """The hub of each language but the default (hub/language_hubs.py); () for a site in one language."""


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    ok: bool
    out: Path | None = None
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: tuple[tuple[str, str], ...] = ()
    """(page URL, why it was rendered): the pages this build had to render."""
    timings: Mapping[str, float] = field(default_factory=dict)
    elapsed: float = 0.0
    images_encoded: int = 0
    """Images resized or drawn by this build (0 when all came from the cache)."""
    proven: int = 0
    """Pages kept without hashing their context, as only bodies changed (render/reuse.py)."""
    scheduled: tuple[Scheduled, ...] = ()
    """What changes by itself after this build, soonest first (hub/schedule.py)."""


def jobs_for(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def load_site(options: BuildOptions, timings: Timings | None = None,
              parse_cache: ParseCache | None = None, graph_memo: dict[str, object] | None = None,
              documents: DocumentStore | None = None) -> LoadedSite:
    timings = timings or Timings()
    root = options.site.resolve()
    with timings.stage("config"):
        config, diagnostics = load_config(root, base_url=options.base_url, output=options.out)
    if config is None:
        return LoadedSite(None, None, None, tuple(diagnostics))
    if options.noindex:  # read by the templates (`site.noindex`) and robots.txt; part of the site digest
        config = dataclasses.replace(config, noindex=True)
    if not theme_exists(config):
        diagnostics.append(error("themehub.yaml", 1, 1, "unknown-presentation-theme",
                                 f"presentation theme '{config.theme}' not found",
                                 f"create themes/{config.theme}/ or use `theme: default`"))
    with timings.stage("load"):
        content, problems = load_content(config, parse_cache, documents)
    diagnostics += problems
    now = options.now or dt.datetime.now(dt.UTC)
    with timings.stage("graph"):
        hub, problems = build_hub(content, config, now=now, drafts=options.drafts, memo=graph_memo)
        diagnostics += problems
        hub, languages, problems = with_languages(hub, drafts=options.drafts)
    diagnostics += problems
    return LoadedSite(config, content, hub, tuple(diagnostics), languages)


def build(options: BuildOptions, progress: Listener | None = None) -> BuildResult:
    """`progress` hears each stage start and how far it got (the CLI's progress line). One build of a
    site runs at a time (output/lock.py): a second one waits for the first."""
    root = options.site.resolve()
    config, _ = load_config(root, base_url=options.base_url, output=options.out)
    if config is None or check_output_dir(config.root, config.output_dir, force=options.force):
        # Not a site, or an output folder that must not be written: nothing is locked or written,
        # and the build reports why.
        return _build(options, progress, cache_dir=None)
    with build_lock(root / CACHE_DIR, log.warning):
        return _build(options, progress, root / CACHE_DIR)


@dataclass
class _Run:
    """One build in progress: what its steps share, and the diagnostics they gather."""

    options: BuildOptions
    timings: Timings
    cache_dir: Path | None
    """The site's .themehub-cache/ when this build may use it."""
    started: float = field(default_factory=time.perf_counter)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    graph_memo: dict[str, object] = field(default_factory=dict)
    documents: FrontMatterCache | None = None
    items: DiskItems | None = None

    def failed(self, out: Path | None = None) -> BuildResult:
        return BuildResult(tuple(sorted_diagnostics(self.diagnostics)), False, out=out, timings=self.timings.stages,
                           elapsed=time.perf_counter() - self.started)


def _build(options: BuildOptions, progress: Listener | None, cache_dir: Path | None,
           retried: bool = False) -> BuildResult:
    run = _Run(options, Timings(listener=progress), None)
    diagnostics = run.diagnostics
    if options.cache and cache_dir is not None:
        usable, problems = prepare_cache(cache_dir)
        diagnostics += problems
        run.cache_dir = cache_dir if usable else None
    with _collector_paused():
        graph_memo = load_graph_memo(run.cache_dir) if run.cache_dir else None
        if run.cache_dir is not None:
            with run.timings.stage("load"):  # the records are read here, whole
                run.documents = FrontMatterCache(run.cache_dir / "front-matter.jsonl")
                run.items = DiskItems(run.cache_dir / "items.jsonl")
        loaded = load_site(options, run.timings, parse_cache=run.items, graph_memo=graph_memo,
                           documents=run.documents)
    run.graph_memo = graph_memo or {}
    diagnostics += loaded.diagnostics
    if loaded.config is None or loaded.hub is None or has_errors(diagnostics):
        if loaded.hub is not None:
            # Nothing will be written, but every problem is reported in this one run: rendering in memory
            # (as `check` does) finds the broken links and missing images too.
            diagnostics += render_languages(loaded.hub, loaded.languages, jobs_for(options), images=False,
                                            writer=Discard()).diagnostics
        return run.failed()
    config = loaded.config
    out = config.output_dir
    diagnostics += check_output_dir(config.root, out, force=options.force)
    if has_errors(diagnostics):
        return run.failed()
    caches: dict[str, RenderCache] = {}
    if run.cache_dir is not None:
        with run.timings.stage("cache"), _collector_paused():
            cache = load_cache(run.cache_dir, out)
            cache.images_dir = run.cache_dir / "images"
            for other in loaded.languages:  # each language's page table; its files in its folder
                caches[other.language.code] = load_language_cache(run.cache_dir, other.language.code, cache, out,
                                                                  other.language.output)
    else:
        cache = RenderCache()
    try:
        return _render_and_write(run, loaded, cache, out, caches)
    except DamagedRecordError:
        if retried or run.cache_dir is None:
            raise
        # A cached body whose HTML does not decode, found when it was first read (bodies are decoded
        # when used): nothing was written. Its file of records goes, and the build starts again.
        (run.cache_dir / "markdown.jsonl").unlink(missing_ok=True)
        return _build(options, progress, cache_dir, retried=True)
    except UnsafeOutputPathError as exc:  # a bug before the writer: still a diagnostic, never a traceback
        diagnostics.append(error(config.output.as_posix(), 0, 0, "unsafe-path", str(exc),
                                 "this is a bug in themehub; the previous site was left as it was"))
        return run.failed(out)
    except OSError as exc:  # the disk, not the content: the staging folder is gone, the old site intact
        diagnostics.append(error(str(exc.filename or out), 0, 0, "write-failed",
                                 f"could not write the site: {exc.strerror or exc}",
                                 "check free disk space and permissions; the previous site was left as it was"))
        return run.failed(out)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the site loads. Loading makes hundreds of thousands of
    objects that live until the build ends (items, the hub, the caches' tables) and next to no garbage:
    after loading 10,000 articles with the collector off, a collection found 90 unreachable objects.
    Its passes over the new objects cost that load (with the cache, the graph and the caches' tables)
    0.16 s: 2.91 s against 3.07 s, medians of five alternating runs. It is on again for the render, which
    makes garbage, and for whoever called the build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render_and_write(run: _Run, loaded: LoadedSite, cache: RenderCache, out: Path,
                      caches: dict[str, RenderCache]) -> BuildResult:
    options, timings, diagnostics, cache_dir = run.options, run.timings, run.diagnostics, run.cache_dir
    assert loaded.hub is not None
    config = loaded.hub.config
    # The site a build replaces is kept in the cache as the next build's staging tree (writer.py).
    spare = cache_dir / "previous-site" if cache_dir is not None else None
    # The search index of a reused staging folder is the search stage's to keep or replace, shard by shard.
    # Each language has its own index, in its folder (Pagefind ranks and stems words by language).
    folders = [lang.path for lang in config.languages[1:]]
    finished = frozenset(folder + SEARCH_FOLDER for folder in ["", *folders]) if options.search else frozenset()
    with StagingWriter(out, spare=spare, left_to_finish=finished) as writer:
        # Pages stream into the staging folder; the previous site stays as it was until commit.
        rendered = render_languages(loaded.hub, loaded.languages, jobs_for(options), timings=timings, cache=cache,
                                    writer=writer, caches=caches or None)
        diagnostics += rendered.diagnostics
        if has_errors(diagnostics, strict=options.strict):
            return run.failed(out)

        def finish(staging: Path, written: set[str]) -> None:
            if not options.search:
                return
            with timings.stage("search"):
                # Shards of unchanged pages are linked from the live site (render/search.py).
                for folder, code in [("", config.language), *((lang.path, lang.code) for lang in config.languages[1:])]:
                    previous = out / folder if (out / folder).is_dir() else None
                    write_search_index(staging / folder, code, previous=previous, jobs=jobs_for(options),
                                       changed={rel[len(folder):] for rel in written if rel.startswith(folder)})

        with timings.stage("write"):
            try:
                stats = _write(writer, rendered.copies, cache, finish)
            except SearchIndexError as exc:  # no site without its search, or with half of it
                diagnostics.append(error("pagefind", 0, 0, "search-index-failed", f"no search index: {exc}",
                                         "build with --no-search, or install the Pagefind version themehub "
                                         "supports (see pyproject.toml)"))
                return run.failed(out)
        if cache_dir is not None:
            # Inside the `with`: the replaced site is moved aside (or deleted) in the background meanwhile.
            with timings.stage("cache"):
                for path, page in cache.pages.items():
                    page.stamp = writer.stamps.get(path, "")
                cache.files = {path: writer.stamps.get(path, "") for path in cache.files}
                save_cache(cache_dir, cache)
                for other in loaded.languages:
                    kept = caches[other.language.code]
                    for path, page in kept.pages.items():
                        page.stamp = writer.stamps.get(other.language.output(path), "")
                    kept.files = {path: writer.stamps.get(other.language.output(path), "") for path in kept.files}
                save_language_caches(cache_dir, caches)
                save_graph_memo(cache_dir, run.graph_memo)
                if run.documents is not None:
                    run.documents.save()
                if run.items is not None:
                    run.items.save()
        with timings.stage("write"):
            writer.wait()
    return BuildResult(
        tuple(sorted_diagnostics(diagnostics)), True, out=out, pages=rendered.pages,
        files=stats.written + stats.unchanged, written=stats.written, unchanged=stats.unchanged,
        rendered=rendered.rendered(loaded.languages), timings=timings.stages,
        elapsed=time.perf_counter() - run.started,
        images_encoded=sum(site.images.work for site in (rendered.default, *rendered.others) if site.images),
        proven=rendered.default.proven, scheduled=schedule(loaded.hub),
    )


def _write(writer: StagingWriter, copies: Mapping[str, Path], cache: RenderCache,
           finish: Callable[[Path, set[str]], None]) -> WriteStats:
    images = cache.images_dir
    for rel, source in sorted(copies.items()):
        # Cache files are named by their content: copied with their mtime, compared by it next time.
        writer.copy(rel, source, quick=images is not None and source.is_relative_to(images))
    return writer.commit(finish)
