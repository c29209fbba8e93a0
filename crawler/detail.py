"""What the crawler reads off a report's detail page: its attachment links (title and date are
the strip stage's page hints).

Attachments: ``a[href]`` to pdf/doc/docx/xls/xlsx/wps/ofd files, Hanweb ``downfile.jsp``, pdf.js
``viewer.html?file=``, and links inside ``var file_appendix='…'`` strings. Linked images
(png/jpg/gif/tif, kind ``image``) count only where the page marks them as attachments: an
``appendix`` attribute, an ``insertfileTag`` paragraph, or a page that says 详见附件. TRS ``OLDSRC``
(a dead ``/protect/`` copy) is never used: only ``href`` is read.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from pipelines.document import normalize_space

from .families.base import parse_fragment

KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd")
_FILE_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|ofd)$", re.I)
_IMAGE_EXT = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?)$", re.I)
_HREF = re.compile(r"""(?<![A-Za-z])href\s*=\s*["']([^"']+)["']""", re.I)
_FILE_APPENDIX = re.compile(r"""var\s+file_appendix\s*=\s*(['"])(.*?)(?<!\\)\1""", re.S)
_ATTACHMENT_ONLY = re.compile(r"(详见附件|见附件|请见附件|点击下载|附件下载)")


def kind_from_name(name: str) -> str | None:
    match = _FILE_EXT.search(name or "")
    return match.group(1).lower() if match else None


def file_link(url: str) -> dict | None:
    """The attachment record of a link that points straight at a document file, else None."""
    found: dict[str, dict] = {}
    _add(found, url, "")
    return next(iter(found.values()), None)


def _file_target(url: str) -> tuple[str, str | None] | None:
    """``(url, kind or None)`` when a link points at a document file, else None."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if "downfile.jsp" in path:
        query = parse_qs(parts.query)
        return url, kind_from_name((query.get("filename") or [""])[0])
    if path.endswith("viewer.html") and "file=" in parts.query:
        inner = (parse_qs(parts.query).get("file") or [""])[0]
        return (urljoin(url, inner), kind_from_name(urlsplit(inner).path)) if kind_from_name(urlsplit(inner).path) else None
    kind = kind_from_name(path)
    return (url, kind) if kind else None


#: Anything a link to an attachment must hold once unquoted (a file extension or a download script).
_MAY_LINK_A_FILE = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|png|jpe?g|gif|bmp|tiff?)|downfile\.jsp|viewer\.html", re.I)
_HREF_VALUE = re.compile(r"""href\s*=\s*["']?([^"'\s>]*)""", re.I)


def _may_link_a_file(text: str) -> bool:
    """Whether some ``href`` of the page may point at a file (one with a percent-escape or an
    entity may spell one in disguise). A page where none does (the usual report page, whose only
    images are ``<img src>``) has no attachment and is not parsed for them."""
    return any("%" in value or "&" in value or _MAY_LINK_A_FILE.search(value) for value in _HREF_VALUE.findall(text))


def find_attachments(text: str, base_url: str) -> list[dict]:
    """Every attachment a detail page links: ``{url, filename, kind, sha256: None}``, in page order."""
    found: dict[str, dict] = {}
    if not _may_link_a_file(text):
        return []
    root = parse_fragment(text)
    anchors = list(root.iter("a")) if root is not None else []
    see_attachment = says_see_attachment(text)
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        if not _MAY_LINK_A_FILE.search(unquote(href)):
            continue
        url = urljoin(base_url, href)
        if _IMAGE_EXT.search(urlsplit(url).path) and (see_attachment or _marked_attachment(anchor)):
            if url not in found:
                found[url] = {"url": url, "filename": PurePosixPath(unquote(urlsplit(url).path)).name, "kind": "image", "sha256": None}
            continue
        target = _file_target(url)
        if target and target[0] not in found:  # the label (the anchor's text) is read only for a new file link
            _add_target(found, target, normalize_space(anchor.get("download") or anchor.get("title") or anchor.text_content()))
    for match in _FILE_APPENDIX.finditer(text):
        for href in _HREF.findall(match.group(2).replace("\\'", "'").replace('\\"', '"')):
            _add(found, urljoin(base_url, href), "")
    return list(found.values())


def _marked_attachment(anchor) -> bool:
    parent = anchor.getparent()
    return anchor.get("appendix") is not None or (parent is not None and "insertfileTag" in (parent.get("class") or ""))


def _add(found: dict, url: str, label: str) -> None:
    _add_target(found, _file_target(url), label)


def _add_target(found: dict, target: tuple[str, str | None] | None, label: str) -> None:
    if not target or target[0] in found:
        return
    url, kind = target
    filename = PurePosixPath(unquote(urlsplit(url).path)).name
    if "downfile.jsp" in url:
        filename = (parse_qs(urlsplit(url).query).get("filename") or [""])[0] or filename
    if label and kind_from_name(label):
        filename = label
    found[url] = {"url": url, "filename": filename, "kind": kind, "sha256": None}


def says_see_attachment(text: str) -> bool:
    return bool(_ATTACHMENT_ONLY.search(text))
