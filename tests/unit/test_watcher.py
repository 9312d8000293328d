"""What `serve` watches: the site's sources, not its cache or output (on a large hub those take
thousands of writes, enough to overflow the kernel's event queue), and folders made or replaced
while it runs."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent

from themehub.serve.server import _on_change
from themehub.serve.watcher import _Handler, start_watching


class Batches:
    def __init__(self) -> None:
        self.seen: list[set[str]] = []
        self.passing: list[frozenset[str]] = []
        self.event = threading.Event()

    def __call__(self, batch: set[str], passing: frozenset[str]) -> None:
        self.seen.append(batch)
        self.passing.append(passing)
        self.event.set()

    def wait(self, timeout: float = 5.0) -> set[str]:
        assert self.event.wait(timeout), "no rebuild was triggered"
        time.sleep(0.2)  # let a burst finish
        self.event.clear()
        found = set().union(*self.seen)
        self.seen.clear()
        return {Path(p).name for p in found}

    def quiet(self, seconds: float = 0.6) -> bool:
        time.sleep(seconds)
        return not self.seen


def site(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    (root / "content/articles").mkdir(parents=True)
    (root / ".themehub-cache/images").mkdir(parents=True)
    (root / "site").mkdir()
    (root / "themehub.yaml").write_text("title: Hub\n")
    return root


def test_cache_and_output_writes_trigger_nothing(tmp_path: Path) -> None:
    root = site(tmp_path)
    batches = Batches()
    observer = start_watching(root, root / "site", batches)
    try:
        watched = {(Path(e.watch.path).relative_to(root).as_posix(), e.watch.is_recursive) for e in observer.emitters}
        # The site folder itself is watched alone; nothing that holds the cache or the output is recursive.
        assert watched == {(".", False), ("content", True)}
        for n in range(50):
            (root / f".themehub-cache/images/{n}.png").write_bytes(b"x")
            (root / f"site/{n}.html").write_text("x")
        assert batches.quiet()
        (root / "content/articles/a.md").write_text("---\ntitle: A\n---\n")
        assert "a.md" in batches.wait()
        (root / "themehub.yaml").write_text("title: Hub 2\n")
        assert "themehub.yaml" in batches.wait()
    finally:
        observer.stop()


def test_a_folder_made_or_replaced_while_serving_is_watched(tmp_path: Path) -> None:
    root = site(tmp_path)
    batches = Batches()
    observer = start_watching(root, root / "site", batches)
    try:
        (root / "static").mkdir()
        batches.wait()
        (root / "static/logo.svg").write_text("<svg/>")
        assert "logo.svg" in batches.wait()
        # content/ replaced as a whole (a branch switch, a restore from backup)
        shutil.rmtree(root / "content")
        batches.wait()
        fresh = tmp_path / "elsewhere"
        (fresh / "articles").mkdir(parents=True)
        fresh.rename(root / "content")
        batches.wait()
        (root / "content/articles/b.md").write_text("---\ntitle: B\n---\n")
        assert "b.md" in batches.wait()
    finally:
        observer.stop()


def test_an_editors_temporary_file_is_told_apart_but_still_counts(tmp_path: Path) -> None:
    """`sed -i` writes a temporary file and renames it over the article; other tools make a probe file and
    remove it at once. A path made and gone again within one burst is told apart, so that
    `serve` names the article alone; it stays in the batch (a rebuild running meanwhile may have read it).
    A file renamed in from elsewhere and then deleted is not among them: it was the article's name."""
    root = site(tmp_path)
    articles = root / "content/articles"
    (articles / "a.md").write_text("---\ntitle: A\n---\n")
    (articles / "b.md").write_text("---\ntitle: B\n---\n")
    batches = Batches()
    handler = _Handler(root, root / "site", batches)
    events = [FileCreatedEvent(str(articles / "sedESpdNX")), FileModifiedEvent(str(articles / "sedESpdNX")),
              FileMovedEvent(str(articles / "sedESpdNX"), str(articles / "a.md")),
              FileCreatedEvent(str(articles / "probeX7Q")), FileDeletedEvent(str(articles / "probeX7Q")),
              FileDeletedEvent(str(articles / "b.md")), FileCreatedEvent(str(articles / "b.md"))]
    for event in events:  # one burst, as watchdog reports it
        handler.on_any_event(event)
    assert handler.timer is not None
    handler.timer.cancel()
    (articles / "b.md").unlink()  # deleted for good: named, though its last event made it
    handler._fire()
    assert batches.seen == [{str(articles / name) for name in ("sedESpdNX", "a.md", "probeX7Q", "b.md")}]
    assert batches.passing == [frozenset({str(articles / "sedESpdNX"), str(articles / "probeX7Q")})]


def test_the_serve_log_names_what_changed_not_an_editors_temporary_file(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    class Quiet:
        state = type("State", (), {"changed": {"articles/a/index.html"}})()

        def rebuild(self, batch: set[str]) -> list[object]:
            return []

    _on_change(Quiet(), {"/hub/content/a.md", "/hub/content/sedESpdNX"},  # type: ignore[arg-type]
               frozenset({"/hub/content/sedESpdNX"}))
    assert capsys.readouterr().out.startswith("rebuilt after a.md in ")
    _on_change(Quiet(), {"/hub/content/sedAbC123"}, frozenset({"/hub/content/sedAbC123"}))  # type: ignore[arg-type]
    assert capsys.readouterr().out.startswith("rebuilt after sedAbC123 in ")  # nothing else to name
