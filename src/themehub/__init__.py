"""themehub: a static-site generator for themed thought-leadership hubs."""

__version__ = "0.1.0"
