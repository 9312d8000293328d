"""Compiled templates kept between builds, in a folder of the user's own outside the site.

Compiling the theme's templates costs about as much as rendering a rebuild's pages (some 120 ms for
the built-in theme on every `build`). Jinja's compiled form is Python code loaded with `marshal`, so it
must never come from `.themehub-cache/`, which a pull request could commit: it lives where Jinja's
file cache keeps it by default, a folder in the system's temporary directory that only this user can
write (Jinja refuses a folder owned by someone else or open to others; themehub then compiles in
memory as before). An entry is found by the template's name and file and by everything about the
environment that changes the compiled code, and used only while the template's source is unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from themehub import __version__
from themehub.render.reuse import MemoryBytecodeCache

PATTERN = "themehub-%s.cache"
"""File names of themehub's entries (apart from other programs' entries in Jinja's shared folder)."""


class UserTemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache, its entries keyed also on what the compiler reads from the environment."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = hashlib.sha256(f"{compiler_inputs(environment)}|{name}|{filename}".encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:  # an unreadable entry is a miss: the template is compiled
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk costs the next build a compile, not this build
            super().dump_bytecode(bucket)


def compiler_inputs(env: jinja2.Environment) -> str:
    """What the compiled code of a template depends on besides its source (Jinja's own version and
    Python's are in each entry's header): the sandbox, the syntax options, and the names of filters and
    tests, which the compiler checks and refers to, with what each is passed first."""
    sandbox = (sorted(getattr(env, "intercepted_binops", ())), sorted(getattr(env, "intercepted_unops", ())))
    syntax = (env.block_start_string, env.variable_start_string, env.comment_start_string, env.trim_blocks,
              env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence, env.optimized,
              bool(env.autoescape), env.line_statement_prefix, env.line_comment_prefix)
    # The compiled call of a filter or test depends on what it takes first (the context, the environment…).
    passes = [sorted((name, str(getattr(func, "jinja_pass_arg", ""))) for name, func in functions.items())
              for functions in (env.filters, env.tests)]
    return repr((__version__, type(env).__qualname__, sandbox, syntax, passes, sorted(env.extensions)))


def user_template_cache() -> jinja2.BytecodeCache:
    """The user's compiled-template cache, or one in memory when no safe folder for it can be had."""
    try:
        return UserTemplateCache(pattern=PATTERN)
    except (OSError, RuntimeError):  # Jinja found the folder unsafe, or could not make it
        return MemoryBytecodeCache()
