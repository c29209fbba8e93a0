"""Every crawl-stats key is built here, so writers and readers (the summary) agree on the names.

``site/<name>/<key>``  per-site counters kept by the spider, middlewares and stages;
``parse/...``          what the parser found (formats, ``parse/warning/<code>``,
                       ``parse/field/<name>/missing``);
``strip/body_found_by/<how>``  how each page's body was found;
``summary/<name>/<column>``  the per-site summary table as it was written.
Site names may be any printable text (Chinese included); ``/`` in a name is replaced so a key
always splits into its parts.
"""

from __future__ import annotations

SITE = "site"


def safe_part(name: str) -> str:
    """A key part from any printable name: slashes and control characters replaced."""
    return "".join("_" if ch == "/" or not ch.isprintable() else ch for ch in str(name)) or "_"


def site_key(site: str, key: str) -> str:
    return f"{SITE}/{safe_part(site)}/{key}"


def site_prefix(site: str) -> str:
    return f"{SITE}/{safe_part(site)}/"


def site_values(stats: dict, site: str) -> dict[str, int]:
    """The per-site counters of one site, keyed by what follows ``site/<name>/``."""
    prefix = site_prefix(site)
    return {key[len(prefix):]: value for key, value in stats.items() if key.startswith(prefix)}


def sites_in(stats: dict) -> list[str]:
    """Site names that have any per-site counter, sorted."""
    return sorted({key.split("/", 2)[1] for key in stats if key.startswith(SITE + "/") and key.count("/") >= 2})


def summary_key(site: str, column: str) -> str:
    return f"summary/{safe_part(site)}/{column}"


def parse_key(*parts: str) -> str:
    return "/".join(("parse",) + tuple(safe_part(p) for p in parts))


def warning_key(code: str) -> str:
    """``parse/warning/<code>``: warnings of this code on the crawled items (``pipelines.warning_codes``)."""
    return parse_key("warning", code)


def missing_field_key(field: str) -> str:
    """``parse/field/<name>/missing``: items whose field the parser left null."""
    return parse_key("field", field, "missing")


def body_found_by_key(how: str) -> str:
    """``strip/body_found_by/<how>``: how the chrome stripper found each page's body."""
    return f"strip/body_found_by/{safe_part(how)}"
