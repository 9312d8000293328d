"""Parsed content files kept between builds (`items.jsonl`): a file whose size, mtime and inode are what
they were is not read again, nor its YAML, nor its fields checked; its item and diagnostics come back
from the record (rsync's quick check, as the output folder's pages have). A 10,000-article rebuild
spent 1.9 s reading every file to learn that one had changed.

The records are JSON (never pickle): an item is its dataclass's name and fields, decoded only into the
content model's own dataclasses, field names checked by the constructor; anything else is a miss.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from themehub.config import Config
from themehub.content.kinds import KINDS
from themehub.content.loader import ParseKey
from themehub.content.model import Item, Ref
from themehub.diagnostics import Diagnostic
from themehub.incremental.records import FORMAT, RecordMapping

_TYPES: dict[str, type] = {kind.model.__name__: kind.model for kind in KINDS} | {"Ref": Ref}
"""What a record may decode into: the content model's dataclasses, nothing else."""


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"not a content type: {name}")
        return {"@": name, **{f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def decode(value: Any) -> Any:
    """The inverse of `encode`. The model holds tuples, never lists, so every list comes back a tuple.
    Every field is checked against its type hint: a record that does not fit raises (a miss)."""
    kind = type(value)
    if kind is list:
        return tuple([decode(item) if type(item) in _NESTED else item for item in value])
    if kind is dict:
        name = value.get("@")
        if name is not None:
            model = _TYPES[name]  # KeyError: not a content type, a miss
            fields = {key: decode(item) if type(item) in _NESTED else item for key, item in value.items() if key != "@"}
            checks = _field_checks(model)
            for key, item in fields.items():
                check = checks.get(key)
                if check is None or not check(item):
                    raise TypeError(f"{name}.{key} does not fit its type")
            return model(**fields)
        if "t" in value:
            return dt.datetime.fromisoformat(value["t"])
        return dt.date.fromisoformat(value["d"])
    return value


_NESTED = (list, dict)
Check = Callable[[Any], bool]
_CHECKS: dict[type, dict[str, Check]] = {}


def _field_checks(model: type) -> dict[str, Check]:
    """Field name -> a test of a decoded value against the field's type hint, made once per model."""
    found = _CHECKS.get(model)
    if found is None:
        found = _CHECKS[model] = {name: _check(hint) for name, hint in typing.get_type_hints(model).items()}
    return found


def _check(hint: Any) -> Check:
    """A test for the model's few shapes: scalars, dates, its dataclasses, optional values and tuples."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is types.UnionType or origin is typing.Union:
        options = [_check(option) for option in args]
        return lambda value: any(check(value) for check in options)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        each = _check(args[0])
        return lambda value: type(value) is tuple and all(each(item) for item in value)
    if origin is tuple:
        parts = [_check(arg) for arg in args]
        return lambda value: (type(value) is tuple and len(value) == len(parts)
                              and all(check(item) for check, item in zip(parts, value, strict=True)))
    if origin is typing.Literal:
        return lambda value: value in args
    if hint is type(None):
        return lambda value: value is None
    if hint in (str, int, bool):
        return lambda value: type(value) is hint  # bool is an int, but never where an int belongs
    if hint is float:
        return lambda value: type(value) in (int, float)
    if isinstance(hint, type):
        return lambda value: isinstance(value, hint)
    return lambda value: False


def _diagnostic(raw: list[Any]) -> Diagnostic:
    file, line, col, severity, code, message, hint = raw
    if severity not in ("error", "warning"):
        raise ValueError(f"no severity {severity!r}")
    return Diagnostic(str(file), int(line), int(col), "error" if severity == "error" else "warning", str(code),
                      str(message), str(hint))


class DiskItems(RecordMapping[ParseKey, tuple[Item | None, list[Diagnostic]]]):
    """content/loader.py's parse cache, kept in `items.jsonl` between builds. Keyed by the file's quick
    check and the config (a kind's reader checks fields against it: the depths, the types), the
    records of the files seen this build are written back; what the loader drops is dropped."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._config_digests: dict[Config, str] = {}

    def record_key(self, key: ParseKey) -> str:
        config, rel, mtime_ns, size, inode = key
        digest = self._config_digests.get(config)
        if digest is None:
            digest = self._config_digests[config] = hashlib.blake2b(repr(config).encode(), digest_size=16).hexdigest()
        return hashlib.blake2b(f"{FORMAT}\0{digest}\0{rel}\0{mtime_ns}\0{size}\0{inode}".encode(),
                               digest_size=16).hexdigest()

    def decode(self, key: ParseKey, raw: dict[str, Any]) -> tuple[Item | None, list[Diagnostic]]:
        item = decode(raw["item"])
        # A translation's key names its original after its own file (content/loader.py).
        if item is not None and (not isinstance(item, Item) or item.source != key[1].split("\0", 1)[0]):
            raise TypeError("not the item of this file")
        return item, [_diagnostic(d) for d in raw["problems"]]

    def encode(self, value: tuple[Item | None, list[Diagnostic]]) -> dict[str, Any]:
        item, problems = value
        return {"item": encode(item),
                "problems": [[d.file, d.line, d.col, d.severity, d.code, d.message, d.hint] for d in problems]}
