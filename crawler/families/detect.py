"""Every CMS family, found once, and the detection of a list page's family from their markers.

``FAMILIES`` maps each family's ``name`` to its (stateless) instance. It is built by importing
every module of this package and keeping the ``Family`` subclasses defined there, so a new family
is one new module. Detection: each family scores the markers it shows; the best score of at least
``MIN_SCORE`` (and strictly best) wins. Else a family without markers may claim the page
(``generic``: a dated link list); anything else is undetectable and ``detect_family`` returns
``(None, reason)`` so the crawl reports the site instead of guessing.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Family

MIN_SCORE = 2
_NOT_FAMILIES = {"base", "detect"}


def _load_families() -> dict[str, Family]:
    package = __name__.rsplit(".", 1)[0]
    found: dict[str, Family] = {}
    for module_info in sorted(pkgutil.iter_modules(importlib.import_module(package).__path__), key=lambda m: m.name):
        if module_info.name in _NOT_FAMILIES:
            continue
        module = importlib.import_module(f"{package}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Family) and value.__module__ == module.__name__:
                if not value.name or value.name in found:
                    raise TypeError(f"family {value.__qualname__} needs a unique name (got {value.name!r})")
                found[value.name] = value()
    return found


FAMILIES: dict[str, Family] = _load_families()


def family_scores(text: str, url: str = "") -> dict[str, int]:
    """The marker score of each family that has markers."""
    haystack = text + " " + url
    return {name: family.score(haystack) for name, family in FAMILIES.items() if family.markers}


def detect_family(text: str, url: str = "") -> tuple[str | None, str]:
    """``(family name or None, reason)`` for a list page's text."""
    scores = family_scores(text, url)
    ranked = sorted(scores.items(), key=lambda pair: pair[1], reverse=True) + [("", 0)]
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= MIN_SCORE and top > second:
        return best, f"markers {scores}"
    for name, family in FAMILIES.items():
        if not family.markers:
            reason = family.detect_without_markers(text, url)
            if reason:
                return name, f"no CMS markers ({scores}); {reason}"
    return None, f"no CMS markers ({scores}) and no dated link list"


def get_family(name: str) -> Family:
    return FAMILIES[name]
