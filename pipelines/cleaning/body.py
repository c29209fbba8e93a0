"""Finding the report body in a page and removing chrome elements inside it (lxml only)."""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import ParserError, _Comment, _Element, _ProcessingInstruction

from pipelines.document import BLOCK_TAGS, is_layout_table, normalize_space, text_of
from pipelines.warning_codes import warning

# --- parsing -------------------------------------------------------------------------------------

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_END_DOC_RE = re.compile(r"</(?:html|body)\s*>", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DOC_SHELL_RE = re.compile(r"<(?:html|head|body)[\s>]", re.I)
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)


def sanitize_markup(markup: str) -> str:
    """Remove what makes lxml drop content: an XML declaration on a str, control characters, and
    stray ``</html>`` / ``</body>`` end tags (a gov.cn header include ends in ``</html>``;
    libxml2 stops there)."""
    markup = _XML_DECL_RE.sub("", markup, count=1)
    markup = _CONTROL_RE.sub("", markup)
    return _END_DOC_RE.sub("", markup)


def is_fragment(markup: str) -> bool:
    """An HTML fragment (no html/head/body shell), like a CMS body saved on its own."""
    return not _DOC_SHELL_RE.search(markup[:20000])


_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, default_doctype=False)


def _parse(markup: str) -> _Element:
    """Plain lxml etree parse (no lxml.html element classes: faster to walk)."""
    try:
        root = etree.fromstring(markup or "<div></div>", _PARSER)
    except (ParserError, ValueError, etree.XMLSyntaxError):
        root = None
    return root if root is not None else etree.fromstring("<html><body></body></html>", _PARSER)


def cjk_chars(text: str) -> int:
    """Chinese characters in ``text`` (counted by runs: far fewer objects than one match a character)."""
    return sum(map(len, _CJK_RUN_RE.findall(text)))


def parse_document(markup: str, warnings: list[str]) -> _Element:
    """Parse with lxml; re-parse with html5lib only when lxml lost the text (rare, slow)."""
    clean = sanitize_markup(markup)
    root = _parse(clean)
    text = text_of(root)
    if len(text) < 2000 and cjk_chars(text) < 20:
        raw = cjk_chars(_SCRIPT_STYLE_RE.sub("", clean))
        if raw >= 200:
            root = _html5_parse(clean, warnings) or root
    return root


def parse_fragment(markup: str) -> _Element:
    """A body fragment parsed into a ``<div>`` wrapper."""
    root = _parse(f"<html><body><div>{sanitize_markup(markup)}</div></body></html>")
    found = root.find("body/div")
    return found if found is not None else root


def _html5_parse(markup: str, warnings: list[str]) -> _Element | None:
    try:
        from lxml.html import html5parser
    except ImportError:  # pragma: no cover - html5lib is a project requirement
        return None
    try:
        root = html5parser.document_fromstring(markup)
    except (ValueError, etree.LxmlError):  # text lxml refuses (control characters, bad names) in the html5lib tree
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
    warnings.append(warning("html_reparsed", "lxml lost the page text; re-parsed with html5lib"))
    return _parse(etree.tostring(root, encoding="unicode", method="html"))


# --- CMS markers -----------------------------------------------------------------------------------

_MARKERS = (
    ("marker:hanweb", re.compile(r"<!--\s*<\$\[信息内容\]>\s*begin\s*-->", re.I),
     re.compile(r"<!--\s*<\$\[信息内容\]>\s*end\s*-->", re.I)),
    ("marker:zjeg", re.compile(r"<!--\s*ZJEG_RSS\.content\.begin\s*-->", re.I),
     re.compile(r"<!--\s*ZJEG_RSS\.content\.end\s*-->", re.I)),
    ("marker:contentstart", re.compile(r"<meta\s+name\s*=\s*[\"']?ContentStart[\"']?[^>]*>", re.I),
     re.compile(r"<meta\s+name\s*=\s*[\"']?ContentEnd[\"']?[^>]*>", re.I)),
    ("marker:founder", re.compile(r"<!--\s*enpcontent\s*-->", re.I),
     re.compile(r"<!--\s*/\s*enpcontent\s*-->", re.I)),
)
MIN_BODY_CJK = 20


def body_by_markers(markup: str) -> tuple[str, int, int] | None:
    """The body between CMS comment markers: ``(found_by, start, end)`` offsets in ``markup``.

    Of several begin/end pairs the one with the most text wins; a pair bounding almost no text
    (a template whose content is loaded later) is ignored.
    """
    for name, begin_re, end_re in _MARKERS:
        best: tuple[int, int] | None = None
        best_cjk = 0
        for begin in begin_re.finditer(markup):
            end = end_re.search(markup, begin.end())
            if not end:
                continue
            inner = markup[begin.end(): end.start()]
            cjk = cjk_chars(_SCRIPT_STYLE_RE.sub("", inner))
            if cjk > best_cjk:
                best, best_cjk = (begin.end(), end.start()), cjk
        if best is not None and best_cjk >= MIN_BODY_CJK:
            return name, best[0], best[1]
    return None


# --- containers ---------------------------------------------------------------------------------

# (found_by label, attribute, token): ids match exactly, classes by token, tags by name.
CONTAINERS = (
    ("selector:#UCAP-CONTENT", "id", "UCAP-CONTENT"),
    ("selector:.trs_editor_view", "class", "trs_editor_view"),
    ("selector:.TRS_UEDITOR", "class", "TRS_UEDITOR"),
    ("selector:.TRS_Editor", "class", "TRS_Editor"),
    ("selector:#zoom", "id", "zoom"),
    ("selector:.zoom", "class", "zoom"),
    ("selector:#detailContent", "id", "detailContent"),
    ("selector:#wenzhang-content", "id", "wenzhang-content"),
    ("selector:#td_DocContent", "id", "td_DocContent"),
    ("selector:.article-content", "class", "article-content"),
    ("selector:.xl_main", "class", "xl_main"),
    ("selector:.pages_content", "class", "pages_content"),
    ("selector:#content", "id", "content"),
    ("selector:article", "tag", "article"),
    ("selector:main", "tag", "main"),
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASSES = frozenset({"ng-hide", "hidden", "hide", "hid", "d-none", "sr-only", "visually-hidden"})


def is_hidden(el: _Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE_RE.search(style):
        return True
    classes = el.get("class")
    return bool(classes) and not _HIDDEN_CLASSES.isdisjoint(classes.split())


def _hidden_in_tree(el: _Element) -> bool:
    node: _Element | None = el
    while node is not None:
        if isinstance(node.tag, str) and is_hidden(node):
            return True
        node = node.getparent()
    return False


_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "title", "xml")


def _invisible_subtrees(el: _Element) -> list[_Element] | None:
    """The outermost script/style/… elements under ``el``; None when ``el`` is or is inside one."""
    if isinstance(el, (_Comment, _ProcessingInstruction)) or el.tag in _INVISIBLE_TAGS:
        return None
    if any(True for _ in el.iterancestors(*_INVISIBLE_TAGS)):
        return None
    return [d for d in el.iterdescendants(*_INVISIBLE_TAGS) if not any(True for _ in d.iterancestors(*_INVISIBLE_TAGS))]


def cjk_count(el: _Element) -> int:
    """Chinese characters of :func:`visible_text`: those of all the text less those of the invisible subtrees."""
    invisible = _invisible_subtrees(el)
    if invisible is None:
        return 0
    return cjk_chars(text_of(el)) - sum(cjk_chars(text_of(d)) for d in invisible)


_VISIBLE_TEXT = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::title or ancestor::xml)]"
)


def visible_text(el: _Element) -> str:
    """Text of ``el`` without scripts, styles and comments."""
    invisible = _invisible_subtrees(el)
    if invisible is None:
        return ""
    return "".join(_VISIBLE_TEXT(el)) if invisible else text_of(el)


_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


def _container_xpath(attr: str, token: str):
    """The elements of a page a container selector matches, in document order.

    The predicates test attribute nodes only (libxml2 is several times faster that way than with a
    predicate on every element); a class attribute holding the token goes on to the exact test of
    ``contains(concat(" ", normalize-space(@class), " "), " token ")``: the token is one of the
    class's XML-whitespace-separated names.
    """
    if attr == "id":
        return etree.XPath(f'//@id[. = "{token}"]/..')
    if attr == "tag":
        return etree.XPath(f"//{token}")
    holders = etree.XPath(f'//@class[contains(., "{token}")]/..')

    def by_class(root: _Element) -> list[_Element]:
        return [el for el in holders(root) if token in _XML_SPACE_RE.split(el.get("class"))]

    return by_class


_CONTAINER_XPATHS = tuple(
    (name, (f"<{token}" if attr == "tag" else token).lower(), _container_xpath(attr, token))
    for name, attr, token in CONTAINERS
)
#: the characters outside ASCII whose lower case holds an ASCII letter (İ -> i̇, the Kelvin sign -> k)
_LOWER_TO_ASCII = ("\u0130", "\u212a")


def _lowered(markup: str) -> str | bytes:
    """``markup.lower()`` as far as ASCII tokens can tell: the UTF-8 bytes with ASCII letters
    lowered (many times cheaper than lowering every character), unless ``markup`` holds one of
    ``_LOWER_TO_ASCII``."""
    if any(ch in markup for ch in _LOWER_TO_ASCII):
        return markup.lower()
    return markup.encode("utf-8", "surrogatepass").lower()


def _token_in(token: str, lowered: str | bytes) -> bool:
    return (token.encode() if isinstance(lowered, bytes) else token) in lowered


def body_by_containers(root: _Element, markup: str | None = None) -> tuple[str, _Element] | None:
    """The first known body container (in priority order) that holds text.

    Among several matches of one selector the visible one with the most text wins, so a body
    repeated in a hidden print block is read once, from the visible copy. With ``markup`` given,
    selectors whose token does not occur in it are skipped without walking the tree.
    """
    lowered = _lowered(markup) if markup is not None else None
    for name, token, xpath in _CONTAINER_XPATHS:
        if lowered is not None and not _token_in(token, lowered):
            continue
        found = xpath(root)
        if not found:
            continue
        scored = [(not _hidden_in_tree(el), cjk_count(el), -i, el) for i, el in enumerate(found)]
        visible, cjk, _, best = max(scored, key=lambda item: item[:3])
        if cjk < MIN_BODY_CJK:
            continue
        if name in GENERIC_CONTAINERS and _link_ratio(best, cjk) > MAX_GENERIC_LINK_RATIO:
            continue  # a page-wide wrapper (nav and lists included), not the body
        return name, best
    return None


GENERIC_CONTAINERS = frozenset({"selector:#content", "selector:article", "selector:main"})
MAX_GENERIC_LINK_RATIO = 0.3


def _link_ratio(el: _Element, cjk: int) -> float:
    linked = sum(cjk_chars(text_of(a)) for a in el.iter("a"))
    return linked / cjk if cjk else 1.0


# --- density fallback ---------------------------------------------------------------------------

_TEXT_TAGS = frozenset({"p", "pre", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd"})
_CANDIDATE_TAGS = frozenset({"div", "td", "article", "section", "main", "body", "form", "center"})
_NEGATIVE_RE = re.compile(
    r"nav|menu|footer|foot|header|head|sidebar|side|banner|breadcrumb|crumb|position|share|comment|"
    r"related|xglj|xggj|link|copyright|banquan|mianze|disclaimer|statement|bottom|top|list|ad\b|"
    r"recommend|hot",
    re.I,
)


_CLAUSE_RE = re.compile(r"[。，；]")


def body_by_density(root: _Element) -> _Element | None:
    """Readability-style fallback: text blocks score their parent (and half their grandparent) by
    their Chinese character count less link text; the best-scoring container is the body."""
    scores: dict[_Element, float] = {}
    layout: dict[_Element, bool] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or not _is_text_block(el, layout):
            continue
        score = _text_score(el)
        if score > 0:
            _credit_containers(el, score, scores)
    return _best_scored(scores)


def _is_text_block(el: _Element, layout: dict[_Element, bool]) -> bool:
    """Whether ``el`` is scored: a data table, a paragraph, or a text-holding element with no blocks inside."""
    tag = el.tag
    if tag == "table":
        return not _layout(el, layout)
    if tag == "p" or tag == "pre":
        return True
    if tag in _TEXT_TAGS or tag == "div" or tag == "center":
        # A container is a text block only when it holds no blocks (layout cells do).
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            return False
        return not (tag in ("td", "th") and _in_data_table(el, layout))
    return False


def _text_score(el: _Element) -> float:
    """Chinese characters less twice the linked ones, plus 5 a clause; 0 for short or link-heavy text."""
    text = visible_text(el)
    cjk = cjk_chars(text)
    if cjk < 10:
        return 0
    link_cjk = sum(cjk_chars(text_of(a)) for a in el.iter("a"))
    score = cjk - 2 * link_cjk
    if score <= 0:
        return 0
    return score + 5 * len(_CLAUSE_RE.findall(text))


def _credit_containers(el: _Element, score: float, scores: dict[_Element, float]) -> None:
    """A text block's score to its parent and half to its grandparent (and to itself when a leaf container)."""
    if el.tag in ("div", "td", "center"):
        # A leaf container (text split by <br>) can be the body itself.
        scores[el] = scores.get(el, 0.0) + score
    parent = el.getparent()
    if parent is not None:
        scores[parent] = scores.get(parent, 0.0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + score / 2


def _best_scored(scores: dict[_Element, float]) -> _Element | None:
    """Of the ten best-scored candidates, the best once chrome (nav, footer, hidden) is penalised."""
    ranked = sorted(
        ((score, el) for el, score in scores.items() if el.tag in _CANDIDATE_TAGS or el.tag in _TEXT_TAGS),
        key=lambda item: item[0],
        reverse=True,
    )[:10]
    best: _Element | None = None
    best_score = 0.0
    for score, el in ranked:
        score *= _chrome_penalty(el)
        if score > best_score:
            best, best_score = el, score
    return best


def _chrome_penalty(el: _Element) -> float:
    """Down-weight a candidate inside (or named like) navigation, header, footer or sidebar."""
    factor = 1.0
    node: _Element | None = el
    while node is not None and node.tag not in ("body", "html"):
        marker = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node.tag in ("nav", "header", "footer", "aside") or (marker.strip() and _NEGATIVE_RE.search(marker)):
            factor *= 0.3
        if is_hidden(node):
            factor *= 0.1
        node = node.getparent()
    return factor


def _layout(table: _Element, known: dict[_Element, bool]) -> bool:
    """``is_layout_table``, once per table of a pass."""
    if table not in known:
        known[table] = is_layout_table(table)
    return known[table]


def _in_data_table(td: _Element, known: dict[_Element, bool]) -> bool:
    node = td.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node is not None and not _layout(node, known)


# --- chrome elements inside the body ------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "template", "object", "embed", "select", "option",
    "button", "input", "textarea", "canvas", "svg", "meta", "link", "title", "head", "xml", "audio",
    "video", "map",
)
_WIDGET_RE = re.compile(
    r"share|bdshare|jiathis|bds_|qrcode|qr_container|qr-code|erweima|ewm|sweep|print|fontsize|"
    r"font-size|font_size|changesize|zoomin|zoomout|prenext|pre-next|pre_next|prev|next|breadcrumb|"
    r"crumb|position|location|pagesource|pages-date|pagesdate|sourcename|article_ly|related|xglj|xggj|"
    r"xg-list|fujian-|collection|favorite|toolbar|tools|m-share|dzjg|jiucuo|conac|footer|copyright",
    re.I,
)
WIDGET_MAX_TEXT = 200


# Only elements with one of these attributes can be hidden or be a widget: the rest (bare
# <td>, <p>, <span> of a table-heavy body) are never looked at. Attribute steps, not a predicate
# on every element: several times cheaper in libxml2 (the element itself may come back too).
_MARKED_ELEMENTS = etree.XPath("(.//@class | .//@id | .//@style | .//@hidden | .//@aria-hidden)/..")


def strip_chrome_elements(body: _Element) -> None:
    """Remove scripts, styles, Word-paste heads, hidden blocks and widgets inside the body.

    Hidden blocks go unless the whole body is hidden; a widget (matched by class or id token:
    share, QR, print, font size, prev/next, breadcrumb, source line…) goes only when it is small
    and holds no table, so a body container with an unlucky class name is never emptied.
    """
    for el in list(body.iter(*_DROP_TAGS)):
        if el is not body:
            _drop(el)
    for el in _MARKED_ELEMENTS(body):
        if el is body:
            continue
        if el.getparent() is None:
            continue
        if is_hidden(el):
            _drop(el)
            continue
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if marker and _WIDGET_RE.search(marker) and not _widget_exempt(el, marker):
            _drop(el)


_HIDING_ATTRIBUTE_HOLDERS = etree.XPath(
    "(descendant-or-self::*/@hidden | descendant-or-self::*/@aria-hidden | descendant-or-self::*/@style | descendant-or-self::*/@class)/.."
)


def _hidden_candidates(root: _Element) -> list[_Element]:
    """Elements whose attributes may hide them (``is_hidden`` decides): a ``hidden`` or
    ``aria-hidden`` attribute, a style saying none/hidden, a class of the hidden kinds. The elements
    with one of those attributes come from XPath attribute steps, the test is Python: several
    times faster than the same test as one XPath with ``contains()``."""
    found = []
    for el in _HIDING_ATTRIBUTE_HOLDERS(root):
        attributes = el.attrib
        if "hidden" in attributes or "aria-hidden" in attributes:
            found.append(el)
            continue
        style = attributes.get("style") or ""
        classes = attributes.get("class") or ""
        if "none" in style or "hidden" in style or "NONE" in style or "hid" in classes or "sr-only" in classes or "d-none" in classes:
            found.append(el)
    return found


def drop_hidden_outside(root: _Element, body: _Element | None) -> None:
    """Remove hidden blocks of the page that neither are nor hold the body (the page-level text
    read for metadata and hints must not see an AngularJS ``ng-hide`` copy or a print block)."""
    keep = set()
    node: _Element | None = body
    while node is not None:
        keep.add(node)
        node = node.getparent()
    for el in _hidden_candidates(root):
        if el not in keep and is_hidden(el) and el.getparent() is not None:
            _drop(el)


def _widget_exempt(el: _Element, marker: str) -> bool:
    if any(True for _ in el.iter("table")):
        return True
    # Word pastes: MsoNormal paragraphs, "Section0" etc. never count as widgets.
    if marker.lower().startswith("mso"):
        return True
    return len(normalize_space(visible_text(el))) > WIDGET_MAX_TEXT


def _drop(el: _Element) -> None:
    """Remove an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
