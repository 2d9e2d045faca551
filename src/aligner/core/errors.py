"""User-facing errors: each carries a one-line message meant for the user."""

from __future__ import annotations


class AlignerError(Exception):
    """A failure the user can act on; ``str(err)`` is a single clear line."""


class InputError(AlignerError):
    """A document cannot be read or makes no sense as input."""


class ModelError(AlignerError):
    """A model cannot be found, verified or loaded."""
