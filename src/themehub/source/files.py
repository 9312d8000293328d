"""Reading a text file the way people save them: UTF-8 with or without a BOM, any line ending; a file
that is too large, binary or undecodable is a diagnostic, never an exception."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from themehub.diagnostics import Diagnostic, error

MAX_FILE_BYTES = 2 * 1024 * 1024


def is_ignored_name(name: str) -> bool:
    """Hidden files, editor swap/backup files and temporary files are never content."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak", ".part"))
        or name.startswith("4913")  # vim's write test file
    )


def read_text(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Decoded, LF-normalised text of a file (`rel`: its path as diagnostics show it), or the reason it
    cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error(rel, 1, 1, "file-too-large",
                                f"the file is {size // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB",
                                "split it into several articles, or move large assets to static/")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(rel, 1, 1, "unreadable-file", f"cannot read the file: {exc.strerror or exc}",
                            "check the file's permissions")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1  # characters, not bytes
        return None, [error(rel, line, col, "bad-encoding",
                            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                            "save the file as UTF-8 (your editor's 'Save with encoding' menu)")]
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return None, [error(rel, line, col, "nul-byte", "the file contains a NUL byte",
                            "this usually means a binary file was saved with a .md name")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def static_files(folders: Iterable[tuple[Path, str]]) -> dict[str, Path]:
    """Output path -> source file for static folders; earlier folders win, file by file."""
    files: dict[str, Path] = {}
    for folder, prefix in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                rel = prefix + path.relative_to(folder).as_posix()
                files.setdefault(rel, path)
    return files


def file_stamp(path: str | Path) -> str:
    """'size:mtime_ns' of a file ('' if it is not there): rsync's quick check of "untouched"."""
    try:
        return stat_stamp(os.stat(path))
    except OSError:
        return ""


def stat_stamp(st: os.stat_result) -> str:
    """`file_stamp` of a file already stat'ed."""
    return f"{st.st_size}:{st.st_mtime_ns}"
