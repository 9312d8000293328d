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
import functools
import hashlib
import types
import typing
from collections.abc import Callable
from typing import Any

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
    """The inverse of `encode` for an item (or None). Every field is decoded by a converter made once
    from its type hint (`_converter`), which checks the value as it converts it: a record that does
    not fit raises (a miss). The model holds tuples, never lists, so every list comes back a tuple."""
    if value is None:
        return None
    if type(value) is not dict:
        raise TypeError("an item record is an object")
    return _model_converter(_TYPES[value["@"]])(value)  # KeyError: not a content type, a miss


Convert = Callable[[Any], Any]
_CONVERTERS: dict[type, Convert] = {}


def _model_converter(model: type) -> Convert:
    """A converter of a record of `model`: every key must be one of its fields and fit that field's
    hint; a missing field without a default fails in the constructor (TypeError)."""
    found = _CONVERTERS.get(model)
    if found is not None:
        return found
    scalars: dict[str, type] = {}
    """The fields of type str, int or bool (most of an item's): checked here, without a call each."""
    fields: dict[str, Convert] = {}
    name = model.__name__

    def convert(value: Any) -> Any:
        if type(value) is not dict or value.get("@") != name:
            raise TypeError(f"not a {name}")
        made = {}
        for key, item in value.items():
            kind = scalars.get(key)
            if kind is not None:
                if type(item) is not kind:  # a bool is never an int here
                    raise TypeError(f"a {type(item).__name__} does not fit {name}.{key}")
                made[key] = item
                continue
            field = fields.get(key)
            if field is None:
                if key == "@":
                    continue
                raise TypeError(f"{name} has no field {key}")
            made[key] = field(item)
        return model(**made)

    _CONVERTERS[model] = convert  # before its fields: a model may hold its own kind
    for key, hint in typing.get_type_hints(model).items():
        if hint in _SCALARS:
            scalars[key] = hint
        else:
            fields[key] = _converter(hint)
    return convert


_SCALARS = (str, int, bool)


def _mismatch(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} does not fit its field")


def _converter(hint: Any) -> Convert:
    """The JSON value of a field of type `hint` as the model holds it, checked: the model's few shapes
    are scalars, dates, its own dataclasses, optional values and tuples; anything else never fits."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is types.UnionType or origin is typing.Union:
        options = [_converter(option) for option in args if option is not type(None)]
        optional = len(options) < len(args)
        if len(options) == 1:
            only = options[0]
            return (lambda value: None if value is None else only(value)) if optional else only
        return functools.partial(_first_fit, options, optional)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is str:
            return _strings
        each = _converter(args[0])
        return lambda value: tuple([each(item) for item in value]) if type(value) is list else _mismatch(value)
    if origin is tuple and all(arg in _SCALARS for arg in args):  # (name, line, column) and the like
        return functools.partial(_scalar_tuple, args)
    if origin is tuple:
        parts = [_converter(arg) for arg in args]
        return lambda value: (tuple([convert(item) for convert, item in zip(parts, value, strict=True)])
                              if type(value) is list and len(value) == len(parts) else _mismatch(value))
    if origin is typing.Literal:
        return lambda value: value if value in args and type(value) in (str, int, bool) else _mismatch(value)
    if hint in _SCALARS:
        return lambda value: value if type(value) is hint else _mismatch(value)  # a bool is never an int here
    if hint is float:
        return lambda value: value if type(value) in (int, float) else _mismatch(value)
    if hint is dt.datetime:
        return lambda value: dt.datetime.fromisoformat(value["t"]) if type(value) is dict else _mismatch(value)
    if hint is dt.date:  # a datetime is a date too
        return lambda value: (dt.datetime.fromisoformat(value["t"]) if "t" in value else dt.date.fromisoformat(
            value["d"])) if type(value) is dict else _mismatch(value)
    if isinstance(hint, type) and _TYPES.get(hint.__name__) is hint:
        return _model_converter(hint)
    return _mismatch


def _strings(value: Any) -> tuple[str, ...]:
    if type(value) is not list or any(type(item) is not str for item in value):
        raise TypeError("not a list of texts")
    return tuple(value)


def _scalar_tuple(kinds: tuple[type, ...], value: Any) -> tuple[Any, ...]:
    if type(value) is not list or len(value) != len(kinds):
        raise TypeError(f"not a list of {len(kinds)}")
    for item, kind in zip(value, kinds, strict=True):  # a loop, not any(): it runs for every position
        if type(item) is not kind:
            raise TypeError(f"a {type(item).__name__} where a {kind.__name__} belongs")
    return tuple(value)


def _first_fit(options: list[Convert], optional: bool, value: Any) -> Any:
    if value is None and optional:
        return None
    for convert in options:
        try:
            return convert(value)
        except (TypeError, ValueError, KeyError):
            continue
    raise TypeError("no option of its field fits")


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

    tail = "body"

    def record_key(self, key: ParseKey) -> str:
        config, rel, mtime_ns, size, inode = key
        return hashlib.blake2b(f"{FORMAT}\0{config}\0{rel}\0{mtime_ns}\0{size}\0{inode}".encode(),
                               digest_size=16).hexdigest()

    def decode(self, key: ParseKey, raw: dict[str, Any]) -> tuple[Item | None, list[Diagnostic]]:
        stored = raw["item"]
        if stored is not None:
            stored["body"] = raw["body"]  # kept as the record's tail, outside the item (records.py)
        item = decode(stored)
        # A translation's key names its original after its own file (content/loader.py).
        if item is not None and (not isinstance(item, Item) or item.source != key[1].split("\0", 1)[0]):
            raise TypeError("not the item of this file")
        return item, [_diagnostic(d) for d in raw["problems"]]

    def encode(self, value: tuple[Item | None, list[Diagnostic]]) -> dict[str, Any]:
        item, problems = value
        stored = encode(item)
        body = stored.pop("body") if stored is not None else ""
        return {"item": stored, "body": body,
                "problems": [[d.file, d.line, d.col, d.severity, d.code, d.message, d.hint] for d in problems]}
