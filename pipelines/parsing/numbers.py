"""Table cells to numbers: ``0`` stays 0, blanks and placeholders become None, never an invented 0."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

PLACEHOLDERS = frozenset({"/", "-", "—", "——", "–", "－", "\\", "／", "无", "×"})

_NUMBER_RE = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|件|个|项|条|次|宗|家)?$"
)
_DASHES_RE = re.compile(r"^[-—–/\\]{1,3}$")
_SEPARATOR_RE = re.compile(r"^[-—–=_·.]{3,}$")
_STRIP_RE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")

BLANK = "blank"
PLACEHOLDER = "placeholder"
NUMBER = "number"
TEXT = "text"


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) and no whitespace at all."""
    return _STRIP_RE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=8192)
def classify(cell: str) -> str:
    """What a cell holds: ``blank``, ``placeholder``, ``number`` or ``text``."""
    text = normalize(cell)
    if not text:
        return BLANK
    if text in PLACEHOLDERS or _DASHES_RE.match(text):
        return PLACEHOLDER
    if _NUMBER_RE.match(text):
        return NUMBER
    return TEXT


@lru_cache(maxsize=8192)
def is_separator(cell: str) -> bool:
    """A rule of dashes (``---``) that text exports print under a row."""
    return bool(_SEPARATOR_RE.match(normalize(cell)))


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@lru_cache(maxsize=8192)
def parse_number(cell: str, *, ten_thousands: bool = False) -> int | float | None:
    """The number a cell prints, or None for a blank, a placeholder or unreadable text.

    ``ten_thousands``: the column is in 万元, so a cell written in 元 (``251000元``) is converted.
    Integral values come back as ``int``, others as ``float``.
    """
    match = _NUMBER_RE.match(normalize(cell))
    if not match:
        return None
    digits = match["int"].replace(",", "")
    if match["frac"]:
        digits += "." + match["frac"]
    value = Decimal(digits)
    if match["sign"] == "-":
        value = -value
    if ten_thousands and match["unit"] == "元":
        value = value / Decimal(10000)
    return _as_number(value)
