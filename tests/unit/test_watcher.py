"""What `serve` watches: the site's sources, not its cache or output (on a large hub those take
thousands of writes, enough to overflow the kernel's event queue), and folders made or replaced
while it runs."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from themehub.serve.watcher import start_watching


class Batches:
    def __init__(self) -> None:
        self.seen: list[set[str]] = []
        self.event = threading.Event()

    def __call__(self, batch: set[str]) -> None:
        self.seen.append(batch)
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


def test_an_editors_temporary_file_is_not_among_what_changed(tmp_path: Path) -> None:
    """`sed -i` writes a temporary file and renames it over the article; vim probes a folder with a file
    named 4913 that it removes at once. Neither is a change to the site: the rebuild names the article
    alone, and a file made and removed within one burst triggers nothing. A deleted article is named."""
    root = site(tmp_path)
    article = root / "content/articles/a.md"
    article.write_text("---\ntitle: A\n---\n")
    batches = Batches()
    observer = start_watching(root, root / "site", batches)
    try:
        assert batches.quiet()
        temporary = root / "content/articles/sedESpdNX"
        temporary.write_text("---\ntitle: A, edited\n---\n")
        temporary.replace(article)
        assert batches.wait() == {"a.md"}
        probe = root / "content/articles/4913"
        probe.write_text("")
        probe.unlink()
        assert batches.quiet()
        article.unlink()
        assert batches.wait() == {"a.md"}
    finally:
        observer.stop()
