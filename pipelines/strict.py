"""Strict mode: a catch-all at a boundary re-raises instead of turning the error into a warning.

Off in production (one bad page never stops a crawl); on in the test suite, so a bug cannot hide
as a warning. The crawl reads the ``REPORTS_STRICT`` setting (``crawler/settings.py`` takes it
from this environment variable); the pure code (the offline chain, readers, cleaning) reads the
environment variable through ``strict_mode()``.
"""

from __future__ import annotations

import os

ENV_VAR = "REPORTS_STRICT"
_TRUE = frozenset({"1", "true", "yes", "on"})


def strict_mode() -> bool:
    """Whether ``REPORTS_STRICT`` is set to a true value (1, true, yes, on) in the environment."""
    return os.environ.get(ENV_VAR, "").strip().lower() in _TRUE
