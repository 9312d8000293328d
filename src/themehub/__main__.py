"""`python -m themehub` runs the command-line interface."""

import sys

from themehub.cli import main

sys.exit(main())
