"""CMS families: each turns a report column's list pages into report links (see ``base``)."""

from .detect import FAMILIES, detect_family, get_family

__all__ = ["FAMILIES", "detect_family", "get_family"]
