"""`python -m themehub` runs the command-line interface."""

from themehub.cli import entry

entry()
