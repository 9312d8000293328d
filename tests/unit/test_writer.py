"""The writer: refuses dangerous output folders, swaps the site in whole, keeps unchanged files' mtimes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from themehub.output.writer import MARKER, StagingWriter, check_output_dir, write_site
from themehub.source.files import stat_stamp, static_files


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "mysite"
    for folder in ("content/articles", "themes/brand", "static/images"):
        (r / folder).mkdir(parents=True)
    (r / "themehub.yaml").write_text("title: T\nbase_url: https://example.com/\n")
    return r


def _refused(root: Path, out: Path, **kwargs: bool) -> str:
    problems = check_output_dir(root, out, **kwargs)
    assert [d.code for d in problems] == ["dangerous-output"], problems
    assert problems[0].is_error
    return problems[0].message


def test_refuses_the_site_itself(root: Path) -> None:
    assert "site itself" in _refused(root, root / ".")


def test_refuses_a_parent_of_the_site(root: Path) -> None:
    _refused(root, root / "..")
    _refused(root, root.parent.parent)


@pytest.mark.parametrize("inside", ["content", "content/articles", "themes", "themes/brand/out", "static",
                                    "static/images"])
def test_refuses_source_folders(root: Path, inside: str) -> None:
    _refused(root, root / inside)


def test_refuses_the_home_folder(root: Path) -> None:
    assert "home" in _refused(root, Path.home())


def test_refuses_the_file_system_root(root: Path) -> None:
    _refused(root, Path("/"))


def test_refuses_a_folder_with_a_git_repository(root: Path) -> None:
    out = root / "public"
    (out / ".git").mkdir(parents=True)
    (out / MARKER).write_text("")  # even a themehub folder, and even with force
    assert ".git" in _refused(root, out)
    _refused(root, out, force=True)


def test_refuses_a_non_empty_folder_themehub_did_not_create(root: Path) -> None:
    out = root / "public"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    message = _refused(root, out)
    assert "not empty" in message
    assert (out / "precious.txt").read_text() == "keep me"


def test_force_accepts_a_foreign_folder(root: Path) -> None:
    out = root / "public"
    out.mkdir()
    (out / "old.txt").write_text("x")
    assert check_output_dir(root, out, force=True) == []


def test_refuses_a_file(root: Path) -> None:
    (root / "public").write_text("a file")
    _refused(root, root / "public")


def test_accepts_a_fresh_folder_an_empty_one_and_its_own(root: Path) -> None:
    assert check_output_dir(root, root / "site") == []
    assert check_output_dir(root, root.parent / "elsewhere" / "out") == []
    (root / "empty").mkdir()
    assert check_output_dir(root, root / "empty") == []
    own = root / "own"
    own.mkdir()
    (own / MARKER).write_text("")
    (own / "index.html").write_text("old")
    assert check_output_dir(root, own) == []


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_write_site_writes_files_copies_and_the_marker(tmp_path: Path) -> None:
    src = tmp_path / "logo.svg"
    src.write_bytes(b"<svg/>")
    out = tmp_path / "site"
    stats = write_site(out, {"index.html": b"home", "articles/a/index.html": b"a"}, {"images/logo.svg": src})
    assert _tree(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"home",
                          "articles/a/index.html": b"a", "images/logo.svg": b"<svg/>"}
    assert (stats.written, stats.unchanged) == (3, 0)
    assert check_output_dir(tmp_path, out) == []


def test_write_site_replaces_the_old_site_and_keeps_unchanged_mtimes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"same.html": b"same", "changed.html": b"v1", "gone.html": b"bye"}, {})
    old = 1_000_000_000
    for name in ("same.html", "changed.html"):
        os.utime(out / name, (old, old))
    stats = write_site(out, {"same.html": b"same", "changed.html": b"v2", "new.html": b"new"}, {})
    tree = _tree(out)
    assert tree["same.html"] == b"same"
    assert tree["changed.html"] == b"v2"
    assert tree["new.html"] == b"new"
    assert "gone.html" not in tree
    assert (out / "same.html").stat().st_mtime == old
    assert (out / "changed.html").stat().st_mtime != old
    assert (stats.written, stats.unchanged) == (2, 1)
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_a_failed_write_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"previous", "a/index.html": b"a"}, {})
    before = _tree(out)
    with pytest.raises(OSError):
        write_site(out, {"index.html": b"next"}, {"images/missing.png": tmp_path / "does-not-exist.png"})
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "site"] == []


def test_leftover_staging_folders_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "site"
    stale = tmp_path / ".site.staging-99999"
    (stale / "x").mkdir(parents=True)
    write_site(out, {"index.html": b"x"}, {})
    assert not stale.exists()


def test_static_files_earlier_folders_win_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    site_static = tmp_path / "theme_a"
    builtin = tmp_path / "theme_b"
    for folder, names in ((site_static, ["style.css", ".DS_Store"]), (builtin, ["style.css", "search.js"])):
        folder.mkdir()
        for n in names:
            (folder / n).write_text(folder.name)
    (builtin / ".hidden").mkdir()
    (builtin / ".hidden" / "x.js").write_text("x")
    files = static_files([(site_static, "assets/"), (builtin, "assets/")])
    assert files == {"assets/style.css": site_static / "style.css", "assets/search.js": builtin / "search.js"}


def test_cache_files_are_copied_with_their_mtime_and_recopied_when_they_change(tmp_path: Path) -> None:
    from themehub.output.writer import StagingWriter

    cached = tmp_path / "cache" / "share-abc.png"
    cached.parent.mkdir()
    cached.write_bytes(b"first image")
    os.utime(cached, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    out = tmp_path / "site"
    for _ in range(2):
        with StagingWriter(out) as writer:
            writer.copy("share/a.png", cached, quick=True)
            stats = writer.commit()
    assert (out / "share/a.png").stat().st_mtime_ns == cached.stat().st_mtime_ns
    assert (stats.written, stats.unchanged) == (0, 1)
    cached.write_bytes(b"other image")  # same size, new bytes and a new mtime
    with StagingWriter(out) as writer:
        writer.copy("share/a.png", cached, quick=True)
        stats = writer.commit()
    assert (stats.written, stats.unchanged) == (1, 0)
    assert (out / "share/a.png").read_bytes() == b"other image"


def test_a_cache_file_made_again_with_the_same_bytes_is_compared_once_then_never_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache made anew (a new themehub, a deleted cache) draws the same share image with a new mtime.
    The two are compared once; equal, the site keeps its file and its mtime (sync tools upload nothing)
    and the cache file takes that mtime, so later builds know it unchanged by size and mtime, unread
    (they compared it byte for byte on every build)."""
    from themehub.output import writer as writer_module
    from themehub.output.writer import StagingWriter

    cached = tmp_path / "cache" / "share-abc.png"
    cached.parent.mkdir()
    cached.write_bytes(b"an image")
    out = tmp_path / "site"
    with StagingWriter(out) as writer:
        writer.copy("share/a.png", cached, quick=True)
        writer.commit()
    published = (out / "share/a.png").stat().st_mtime_ns
    cached.unlink()
    cached.write_bytes(b"an image")  # the same bytes, drawn again
    os.utime(cached, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    opened: list[str] = []
    real_open = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module.Path, "open", counting_open)
    spare = tmp_path / "cache/previous-site"
    for build in range(3):
        with StagingWriter(out, spare=spare) as writer:
            writer.copy("share/a.png", cached, quick=True)
            stats = writer.commit()
        compared = "a.png" in opened and "share-abc.png" in opened
        assert compared == (build == 0)  # compared the first time only
        assert (stats.written, stats.unchanged) == (0, 1)
        assert (out / "share/a.png").stat().st_mtime_ns == published == cached.stat().st_mtime_ns
        assert (out / "share/a.png").read_bytes() == b"an image"
        opened.clear()


# ------------------------------------------------------------------ the spare tree (rebuilds)

GEN1 = {"a.html": b"a1", "b.html": b"b1", "dir/x.html": b"x1", "gone.html": b"g1", "deep/er/z.html": b"z1"}
GEN2 = {"a.html": b"a2", "b.html": b"b1", "dir/x.html": b"x1", "gone.html": b"g1", "deep/er/z.html": b"z1"}
GEN3 = {"a.html": b"a3", "b.html": b"b3", "dir": b"a file where a folder was", "new/y.html": b"y3",
        "deep/er/z.html": b"z1", "dir2/w.html": b"w3"}


def _pages(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if k != MARKER}


def test_a_rebuild_stages_into_the_spare_and_never_touches_the_live_site(tmp_path: Path) -> None:
    out, spare, image = tmp_path / "site", tmp_path / "cache/previous-site", tmp_path / "logo.svg"
    image.write_bytes(b"<svg/>")
    write_site(out, GEN1, {"logo.svg": image}, spare=spare)
    assert not spare.exists()  # a first build replaces nothing
    write_site(out, GEN2, {"logo.svg": image}, spare=spare)
    assert _pages(_tree(spare)) == {**GEN1, "logo.svg": b"<svg/>"}  # the replaced site, kept
    old = 1_000_000_000
    os.utime(out / "deep/er/z.html", (old, old))
    seen: dict[str, dict[str, bytes]] = {}

    def finish(staging: Path, written: set[str]) -> None:
        seen["live"], seen["staging"], seen["written"] = _tree(out), _tree(staging), {w: b"" for w in written}

    write_site(out, GEN3, {"logo.svg": image}, finish=finish, spare=spare)
    # While the spare was being turned into generation 3, the live site stayed generation 2, byte for byte.
    assert _pages(seen["live"]) == {**GEN2, "logo.svg": b"<svg/>"}
    assert _pages(_tree(out)) == {**GEN3, "logo.svg": b"<svg/>"}
    assert sorted(seen["written"]) == ["a.html", "b.html", "dir", "dir2/w.html", "new/y.html"]
    assert _pages(_tree(spare)) == {**GEN2, "logo.svg": b"<svg/>"}
    assert (out / "deep/er/z.html").stat().st_mtime == old  # unchanged: the same file, its mtime kept
    assert not (out / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "logo.svg", "site"]


def test_a_spare_changed_by_hand_still_gives_the_exact_site(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache/previous-site"
    write_site(out, GEN1, {}, spare=spare)
    write_site(out, GEN2, {}, spare=spare)
    (spare / "b.html").unlink()
    (spare / "b.html").write_bytes(b"edited in the spare")
    (spare / "junk/inside").mkdir(parents=True)
    (spare / "junk/inside/file.txt").write_bytes(b"junk")
    (spare / "link").symlink_to(tmp_path)
    write_site(out, GEN3, {}, spare=spare)
    assert _pages(_tree(out)) == GEN3
    assert not (out / "junk").exists() and not (out / "link").exists()


def test_a_spare_without_a_site_to_follow_is_deleted(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache/previous-site"
    write_site(out, GEN1, {}, spare=spare)
    write_site(out, GEN2, {}, spare=spare)
    shutil.rmtree(out)
    write_site(out, GEN3, {}, spare=spare)
    assert _pages(_tree(out)) == GEN3
    assert not spare.exists()


def test_an_unchanged_page_placed_with_the_callers_stat_is_the_previous_file_and_its_stamp(tmp_path: Path) -> None:
    """A rebuild stats each unchanged page once (render/renderpass.py) and hands the stat to the writer,
    which then links it without a stat of its own. The page must be the previous site's very file, and
    the stamp kept for the next build must be that file's size and mtime, whether the spare held a link
    to it (kept as it is) or a file put there by hand (made again)."""
    out, spare = tmp_path / "site", tmp_path / "cache/previous-site"
    write_site(out, GEN1, {}, spare=spare)
    write_site(out, GEN2, {}, spare=spare)
    (spare / "b.html").unlink()
    (spare / "b.html").write_bytes(b"put in the spare by hand")
    with StagingWriter(out, spare=spare) as writer:
        for rel in ("a.html", "b.html"):
            writer.put_unchanged(rel, os.stat(out / rel))
        writer.put_unchanged("gone.html")  # no stat given: the writer takes its own
        writer.commit()
    previous = spare  # the swap: the site that was live is now the spare
    for rel in ("a.html", "b.html", "gone.html"):
        placed = (out / rel).stat()
        assert placed.st_ino == (previous / rel).stat().st_ino
        assert (out / rel).read_bytes() == GEN2.get(rel, GEN1.get(rel))
        assert writer.stamps[rel] == stat_stamp(placed)
