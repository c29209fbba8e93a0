"""A registry row's optional overrides (``list_selector``, ``body_selector``, ``encoding``) applied.

The escape hatch for the one odd portal its family does not cover: the site stays a row of data.
``encoding`` fixes the charset of every page of the site; ``list_selector`` picks the list page's
report links (the anchors inside what it selects); ``body_selector`` travels with the item as a
page hint to the strip stage (``pipelines.cleaning.clean_page(..., body_selector=...)``).
A selector is CSS, or XPath when it starts with ``/`` or ``(``.
"""

from __future__ import annotations

from crawler.families.base import ListEntry, anchors_to_entries, parse_fragment


def is_xpath(selector: str) -> bool:
    return selector.startswith(("/", "("))


def with_site_encoding(response, site):
    """The response decoded with the site's fixed charset, when the registry gives one."""
    if site is None or not site.encoding or not hasattr(response, "text"):
        return response
    return response.replace(encoding=site.encoding)


def site_entries(site, family, response) -> list[ListEntry]:
    """The list page's entries: the family's, or the anchors inside ``list_selector``."""
    if site is None or not site.list_selector:
        return family.entries(response)
    root = parse_fragment(response.text)
    if root is None:
        return []
    if is_xpath(site.list_selector):
        chosen = root.xpath(site.list_selector)
    else:
        from cssselect import HTMLTranslator

        chosen = root.xpath(HTMLTranslator().css_to_xpath(site.list_selector))
    anchors = []
    for node in chosen:
        if not hasattr(node, "iter"):
            continue
        anchors.extend(node.iter("a"))
    return anchors_to_entries(root, response.url, anchors=list(dict.fromkeys(anchors)))


def page_hints(site) -> dict:
    """The hints the strip stage reads before it finds the body (empty when the site has none)."""
    if site is None or not site.body_selector:
        return {}
    return {"body_selector": site.body_selector}
