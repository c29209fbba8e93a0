"""The document model shared by the readers, the cleaning stage and the parser.

A document is a list of blocks in reading order. A block is either

* a paragraph: a ``str`` holding one line of text (an empty string marks a blank line, which
  text-table layouts such as "one cell per line, blank line between rows" rely on), or
* a :class:`Table`: a grid with row and column spans already expanded.

HTML bodies become blocks through :func:`html_to_blocks`; plain text (from a ``.txt`` file, a
PDF's or a Word file's text layer) through :func:`text_to_blocks`. :func:`blocks_to_text` renders
blocks as the item's ``text``: paragraphs separated by ``\\n``, table rows as tab-separated cells.

Pure functions: nothing here imports Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import _Comment, _Element, _ProcessingInstruction

MAX_SPAN = 100

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"[\s\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")

BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset("script style noscript template iframe object embed select option button".split())


@dataclass
class Table:
    """A table as a full grid.

    ``cells[r][c]`` is the text of the cell covering grid slot (r, c); a cell with a rowspan or
    colspan repeats its text in every slot it covers. ``copied[r][c]`` is True where the slot is
    covered by a cell whose top-left slot is elsewhere, so a reader of the grid can tell a real
    cell from the copy of a spanning one. Every row has the same width.
    """

    cells: list[list[str]]
    copied: list[list[bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        width = max((len(row) for row in self.cells), default=0)
        for row in self.cells:
            row.extend([""] * (width - len(row)))
        if not self.copied:
            self.copied = [[False] * width for _ in self.cells]
        for row in self.copied:
            row.extend([False] * (width - len(row)))

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def own_rows(self) -> list[list[str]]:
        """Rows with copied slots blanked: each cell's text once, at its top-left slot."""
        return [
            [text if not copy else "" for text, copy in zip(row, copies)] if any(copies) else list(row)
            for row, copies in zip(self.cells, self.copied)
        ]


Block = Union[str, Table]


def text_of(el: _Element) -> str:
    """``"".join(el.itertext())``, serialized by lxml in C (several times faster on a big tree)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def normalize_space(text: str) -> str:
    """Collapse whitespace runs (ideographic space and nbsp included) to one space; strip."""
    if "\u200b" in text or "\ufeff" in text:
        return _SPACE_RE.sub(" ", text).strip()
    return " ".join(text.split())  # the same without the two non-space characters: split() drops every other kind


_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_END_DOC_RE = re.compile(r"</(?:html|body)\s*>", re.I)


def parse_html(markup: str | bytes) -> _Element:
    """Parse an HTML document or fragment into an lxml element (never raises on bad markup).

    End tags ``</html>`` and ``</body>`` are dropped first: a stray one mid-page (a header
    include ending in ``</html>``) makes libxml2 stop and lose the rest of the page. An XML
    declaration is dropped too (lxml refuses it on a ``str``).
    """
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    markup = _END_DOC_RE.sub("", _XML_DECL_RE.sub("", markup, count=1))
    if not markup.strip():
        markup = "<div></div>"
    return lxml_html.document_fromstring(markup)


def _cell_text(cell: _Element) -> str:
    if not len(cell):
        return normalize_space(cell.text or "")
    parts: list[str] = []
    if cell.text:
        parts.append(cell.text)
    _gather_cell_parts(cell, parts)
    return normalize_space("".join(parts))


def _gather_cell_parts(el: _Element, parts: list[str]) -> None:
    """The text under ``el`` into ``parts``: block elements padded with spaces, ``<br>`` and skipped tags give nothing."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not isinstance(child, (_Comment, _ProcessingInstruction)) and tag not in SKIP_TAGS and tag != "br":
            padding = " " if tag in BLOCK_TAGS else ""
            parts.append(padding)
            if child.text:
                parts.append(child.text)
            _gather_cell_parts(child, parts)
            parts.append(padding)
        if child.tail:
            parts.append(child.tail)


def _span(cell: _Element, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    value = value.strip()
    if value.isdigit():
        number = int(value)
    else:
        match = _DIGITS_RE.match(value)
        number = int(match.group()) if match else 1
    return min(max(number, 1), MAX_SPAN)


def _own_rows(table: _Element) -> list[_Element]:
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    return rows


def table_to_grid(table: _Element) -> Table:
    """Expand an HTML ``<table>`` into a :class:`Table`, honouring rowspan and colspan.

    A rowspan that runs past the last row is cut at the last row; spans are capped at
    ``MAX_SPAN`` so a malformed ``colspan="9999"`` cannot blow the grid up. Rows left entirely
    empty (spacer rows) are dropped.
    """
    return _grid(table, layout_check=False)


def data_table_grid(table: _Element) -> Table | None:
    """``table_to_grid(table)`` for a data table, None for a layout table (:func:`is_layout_table`).

    One pass: the text each cell gives the grid also gives its length for the layout test.
    """
    if any(True for _ in table.iterdescendants("table")):
        return None
    return _grid(table, layout_check=True)


_CELL_COUNT = etree.XPath("count(descendant::td | descendant::th)")


def _grid(table: _Element, layout_check: bool) -> Table | None:
    """The grid of ``table``; with ``layout_check``, None when a cell says the table is a layout table.

    ``texts[r][c]`` is the text of the cell covering slot (r, c), None while no cell covers it;
    ``copied[r]`` lists the columns of row r covered by a cell whose top-left slot is elsewhere.
    """
    rows = _own_rows(table)
    height = len(rows)
    texts: list[list[str | None]] = [[] for _ in range(height)]
    copied: dict[int, list[int]] = {}
    cell_count = 0
    for r, tr in enumerate(rows):
        row = texts[r]
        c = 0
        for cell in tr:
            tag = cell.tag
            if tag != "td" and tag != "th":
                continue
            cell_count += 1
            text = _grid_cell_text(cell, layout_check)
            if text is None:
                return None
            while c < len(row) and row[c] is not None:
                c += 1
            if cell.attrib:
                rowspan = min(_span(cell, "rowspan"), height - r)
                colspan = _span(cell, "colspan")
                if rowspan > 1 or colspan > 1:
                    _fill_span(texts, copied, r, c, rowspan, colspan, text)
                    c += colspan
                    continue
            if c == len(row):
                row.append(text)
            else:
                row[c] = text
            c += 1
    if layout_check and cell_count != _CELL_COUNT(table) and is_layout_table(table):
        return None  # cells outside the table's own rows (malformed markup) hold prose
    return _grid_table(texts, copied)


def _grid_cell_text(cell: _Element, layout_check: bool) -> str | None:
    """A cell's text; with ``layout_check``, None for a cell of prose (see :func:`is_layout_table`)."""
    if len(cell):
        if layout_check and _prose_cell(cell):
            return None
        return _cell_text(cell)
    text = cell.text
    if text is None:
        return ""
    if layout_check and len(text) > MAX_PROSE_CHARS:
        return None
    return normalize_space(text)


def _fill_span(texts: list[list], copied: dict[int, list[int]], r: int, c: int, rowspan: int, colspan: int, text: str) -> None:
    """A spanning cell's text into the free slots it covers, all but its top-left slot marked as copies."""
    end = c + colspan
    for dr in range(rowspan):
        target = texts[r + dr]
        if len(target) < end:
            target.extend([None] * (end - len(target)))
        for dc in range(colspan):
            if target[c + dc] is None:
                target[c + dc] = text
                if dr or dc:
                    copied.setdefault(r + dr, []).append(c + dc)


def _grid_table(texts: list[list], copied: dict[int, list[int]]) -> Table:
    """The :class:`Table` of filled slots, rows with no text dropped, every row padded to the widest."""
    width = max((len(row) for row in texts), default=0)
    cells: list[list[str]] = []
    copies: list[list[bool]] = []
    for r, row in enumerate(texts):
        if not any(row):
            continue
        pad = width - len(row)
        cells.append([text or "" for text in row] + [""] * pad if pad or None in row else row)
        row_copies = [False] * width
        for c in copied.get(r, ()):
            row_copies[c] = True
        copies.append(row_copies)
    return Table(cells=cells, copied=copies)


_PARAGRAPH_TAGS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "pre", "center"})
MAX_DATA_CELL_LINES = 3
MAX_DATA_CELL_CHARS = 300
MAX_PROSE_CHARS = 2000


def is_layout_table(table: _Element) -> bool:
    """A table that lays out a page, not one that holds data: walk into it instead.

    Told by content: a layout table holds other tables, or a cell of paragraphs of prose (more
    than ``MAX_DATA_CELL_LINES`` paragraphs or line breaks and more than ``MAX_DATA_CELL_CHARS``
    characters, or more than ``MAX_PROSE_CHARS`` in all); a data table's cells hold a label, a
    number or a short list each (a Word export wraps each in one ``<p>``, a header may be split by
    a ``<br>`` or two, a decision table may list a few facts).
    """
    if any(True for _ in table.iterdescendants("table")):
        return True
    return any(_prose_cell(cell) for cell in table.iterdescendants("td", "th"))


def _prose_cell(cell: _Element) -> bool:
    """A cell of prose (see :func:`is_layout_table`)."""
    chars = len(text_of(cell)) if len(cell) else len(cell.text or "")
    return chars > MAX_PROSE_CHARS or (chars > MAX_DATA_CELL_CHARS and _paragraph_lines(cell) > MAX_DATA_CELL_LINES)


def _paragraph_lines(cell: _Element) -> int:
    """Paragraph-like elements in a cell (and the lines of a ``<pre>``)."""
    lines = 0
    for el in cell.iterdescendants():
        if isinstance(el.tag, str) and el.tag in _PARAGRAPH_TAGS:
            lines += 1 + ("".join(el.itertext()).count("\n") if el.tag == "pre" else 0)
    return lines


def _pre_blocks(pre: _Element) -> list[Block]:
    """A ``<pre>`` keeps its lines and tabs (a text table typed into the page): one block a line,
    blank lines as ``""``; a table inside it is still a table."""
    blocks: list[Block] = []
    text: list[str] = []

    def flush() -> None:
        for line in "".join(text).replace("\r\n", "\n").split("\n"):
            blocks.append(_PRE_SPACE_RE.sub(" ", line).rstrip())
        text.clear()

    def walk(el: _Element) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "table":
                flush()
                grid = table_to_grid(child)
                if grid.cells:
                    blocks.append(grid)
            elif tag == "br":
                text.append("\n")
            elif tag and tag not in SKIP_TAGS:
                text.append(child.text or "")
                walk(child)
            if child.tail:
                text.append(child.tail)

    text.append(pre.text or "")
    walk(pre)
    flush()
    while blocks and blocks[0] == "":
        blocks.pop(0)
    while blocks and blocks[-1] == "":
        blocks.pop()
    return blocks


_PRE_SPACE_RE = re.compile(r"[ \u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")


class _BlockWalker:
    """Walks the children of an element, gathering lines of text and data tables into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def flush(self) -> None:
        if not self.line:
            return
        text = normalize_space("".join(self.line))
        self.line.clear()
        if text:
            self.blocks.append(text)

    def walk(self, el: _Element) -> None:
        line = self.line
        for child in el:
            tag = child.tag
            if tag.__class__ is not str:
                if not isinstance(child, (_Comment, _ProcessingInstruction)):
                    self._inline(child)  # an entity reference: its text as printed
            elif tag in BLOCK_TAGS or tag == "br" or tag in SKIP_TAGS:
                self._block(child, tag)
            else:
                self._inline(child)
            if child.tail:
                line.append(child.tail)

    def _block(self, child: _Element, tag: str) -> None:
        if tag in SKIP_TAGS:
            return
        self.flush()
        if tag == "pre":
            self.blocks.extend(_pre_blocks(child))
            return
        if tag == "table":
            grid = data_table_grid(child)
            if grid is not None:
                if grid.cells:
                    self.blocks.append(grid)
                return
        if tag != "br":
            self._inline(child)
            self.flush()

    def _inline(self, el: _Element) -> None:
        if el.text:
            self.line.append(el.text)
        if len(el):
            self.walk(el)


def html_to_blocks(root: _Element | str | bytes) -> list[Block]:
    """Turn an HTML element (or markup) into blocks: lines of text and data tables.

    Block elements and ``<br>`` end a line; whitespace runs collapse to one space; scripts,
    styles and comments give nothing. Data tables become :class:`Table` grids; layout tables
    (tables holding tables) are walked like any other container.
    """
    if not isinstance(root, _Element):
        root = parse_html(root)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "table":
        grid = data_table_grid(root)
        if grid is not None:
            return [grid]
    walker = _BlockWalker()
    if root.text and tag not in SKIP_TAGS:
        walker.line.append(root.text)
    walker.walk(root)
    walker.flush()
    return walker.blocks


def text_to_blocks(text: str) -> list[Block]:
    """Plain text to blocks: one paragraph block per line, blank lines kept as ``""``.

    Lines keep their tabs and pipes (text-table layouts), lose only trailing whitespace.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return [line.rstrip() for line in text.split("\n")]


def blocks_to_text(blocks: list[Block]) -> str:
    """Render blocks as the item's ``text``: lines joined by ``\\n``, table rows tab-separated.

    Each table cell's text appears once (copied span slots render empty); runs of blank lines
    collapse to one.
    """
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.own_rows():
                lines.append("\t".join(row).rstrip("\t"))
        else:
            lines.append(block)
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
