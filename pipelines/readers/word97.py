"""Word 97-2003 binary (``.doc``, and Kingsoft ``.wps`` files in that format) read in Python.

The system converters (antiword, catdoc) lose rows of tables with vertically merged cells, which
every section 三 table has. This reader follows [MS-DOC]: the OLE compound file, the FIB, the
piece table (CLX) for the text, and the paragraph properties (PAPX FKPs) for table structure:
cell marks, row ends (``sprmPFTtp``), each row's cell boundaries (``sprmTDefTable``) and vertical
merges (TC80 flags, ``sprmTVertMerge``). Tables come out as :class:`Table` grids with spans
expanded, like the HTML and DOCX readers give.

:func:`read_word97` raises :class:`Word97Error` on anything it cannot read (a structure cut short
or pointing outside the file included); the caller falls back to the converters.
"""

from __future__ import annotations

import struct

from pipelines.document import Table
from pipelines.readers.grid import clean_cell_text, slots_to_table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN = 0xFFFFFFFE
MAX_SECTORS = 2_000_000


class Word97Error(ValueError):
    """The file is not a Word 97 binary this reader can follow (or is encrypted)."""


def _u16(buffer: bytes, offset: int) -> int:
    return struct.unpack_from("<H", buffer, offset)[0]


def _u32(buffer: bytes, offset: int) -> int:
    return struct.unpack_from("<I", buffer, offset)[0]


class _CompoundFile:
    """The header of an OLE2 compound file and its sectors by number."""

    def __init__(self, data: bytes):
        if data[:8] != OLE_MAGIC or len(data) < 512:
            raise Word97Error("not an OLE compound file")
        self.data = data
        self.sector_size = 1 << _u16(data, 0x1E)
        self.mini_size = 1 << _u16(data, 0x20)
        if self.sector_size not in (512, 4096) or self.mini_size != 64:
            raise Word97Error("unusual OLE sector sizes")
        self.fat_count = _u32(data, 0x2C)
        self.directory_start = _u32(data, 0x30)
        self.mini_cutoff = _u32(data, 0x38)
        self.minifat_start = _u32(data, 0x3C)
        self.difat_start = _u32(data, 0x44)

    def sector(self, index: int) -> bytes:
        offset = (index + 1) * self.sector_size
        if index >= MAX_SECTORS or offset + self.sector_size > len(self.data) + self.sector_size:
            raise Word97Error("sector out of range")
        return self.data[offset : offset + self.sector_size]

    def sectors(self, numbers: list[int]) -> bytes:
        return b"".join(self.sector(s) for s in numbers)

    def fat(self) -> list[int]:
        """The sector allocation table, its sectors listed by the header's DIFAT and the DIFAT chain."""
        difat = [_u32(self.data, 0x4C + 4 * i) for i in range(109)]
        seen: set[int] = set()
        next_difat = self.difat_start
        while next_difat < 0xFFFFFFFA and next_difat not in seen:
            seen.add(next_difat)
            block = self.sector(next_difat)
            entries = [_u32(block, 4 * i) for i in range(self.sector_size // 4)]
            difat.extend(entries[:-1])
            next_difat = entries[-1]
        fat_bytes = self.sectors([s for s in difat[: self.fat_count] if s < 0xFFFFFFFA])
        return list(struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes))

    def minifat(self, fat: list[int]) -> list[int]:
        minifat_bytes = self.sectors(_chain(self.minifat_start, fat)) if self.minifat_start < 0xFFFFFFFA else b""
        return list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))


def _chain(start: int, table: list[int]) -> list[int]:
    """The sector numbers of a chain in an allocation table (stops at a loop or a number out of range)."""
    out: list[int] = []
    visited: set[int] = set()
    current = start
    while current < len(table) and current not in visited and current != END_OF_CHAIN:
        visited.add(current)
        out.append(current)
        current = table[current]
    return out


def _directory_entries(directory: bytes) -> list[tuple[str, int, int, int]]:
    """(name, object type, start sector, size) of each 128-byte directory entry."""
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        name_length = _u16(entry, 64)
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le", "replace")
        entries.append((name, entry[66], _u32(entry, 116), _u32(entry, 120)))
    return entries


def ole_streams(data: bytes) -> dict[str, bytes]:
    """The streams of an OLE2 compound file by name (first of a name wins)."""
    ole = _CompoundFile(data)
    fat = ole.fat()
    entries = _directory_entries(ole.sectors(_chain(ole.directory_start, fat)))
    if not entries:
        raise Word97Error("empty OLE directory")
    _, root_kind, root_start, _ = entries[0]
    mini_stream = ole.sectors(_chain(root_start, fat)) if root_kind == 5 else b""
    minifat = ole.minifat(fat)
    mini_size = ole.mini_size
    streams: dict[str, bytes] = {}
    for name, kind, start, size in entries[1:]:
        if kind != 2 or name in streams:
            continue
        if size < ole.mini_cutoff:
            body = b"".join(mini_stream[s * mini_size : (s + 1) * mini_size] for s in _chain(start, minifat))
        else:
            body = ole.sectors(_chain(start, fat))
        streams[name] = body[:size]
    return streams


def _pieces(table_stream: bytes, fc_clx: int, lcb_clx: int) -> list[tuple[int, int, int, bool]]:
    """The piece table: (cp_start, cp_end, byte offset in WordDocument, compressed)."""
    clx = table_stream[fc_clx : fc_clx + lcb_clx]
    index = 0
    while index < len(clx):
        if clx[index] == 1:
            index += 3 + _u16(clx, index + 1)
        elif clx[index] == 2:
            length = _u32(clx, index + 1)
            plc = clx[index + 5 : index + 5 + length]
            count = (length - 4) // 12
            cps = [_u32(plc, 4 * i) for i in range(count + 1)]
            pieces = []
            for i in range(count):
                fc = _u32(plc, 4 * (count + 1) + 8 * i + 2)
                compressed = bool(fc & 0x40000000)
                fc &= 0x3FFFFFFF
                pieces.append((cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
            return pieces
        else:
            break
    raise Word97Error("no piece table")


def _sprms(grpprl: bytes):
    index = 0
    while index + 2 <= len(grpprl):
        sprm = _u16(grpprl, index)
        index += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm == 0xD608 or sprm == 0xD606:
            if index + 2 > len(grpprl):
                return
            size = 2 + _u16(grpprl, index) - 1
        elif index < len(grpprl):
            size = 1 + grpprl[index]
        else:
            return
        yield sprm, grpprl[index : index + size]
        index += size


class _Paragraphs:
    """Paragraph properties by the file offset of a paragraph mark (PlcBtePapx -> PAPX FKPs)."""

    def __init__(self, word: bytes, table_stream: bytes, fc: int, lcb: int, data_stream: bytes = b""):
        self.word = word
        self.data_stream = data_stream
        plc = table_stream[fc : fc + lcb]
        count = (lcb - 4) // 8 if lcb >= 12 else 0
        self.fcs = [_u32(plc, 4 * i) for i in range(count + 1)]
        self.pages = [_u32(plc, 4 * (count + 1) + 4 * i) & 0x3FFFFF for i in range(count)]
        self.cache: dict[int, tuple] = {}

    def properties(self, fc: int) -> dict:
        """{'in_table', 'ttp', 'bounds', 'vmerge'} for the paragraph whose mark is at ``fc``."""
        for k in range(len(self.pages)):
            if self.fcs[k] <= fc < self.fcs[k + 1]:
                return self._from_page(self.pages[k], fc)
        return {}

    def _from_page(self, page_number: int, fc: int) -> dict:
        page = self.word[page_number * 512 : (page_number + 1) * 512]
        if len(page) < 512:
            return {}
        runs = page[511]
        rgfc = [_u32(page, 4 * i) for i in range(runs + 1)]
        for j in range(runs):
            if rgfc[j] <= fc < rgfc[j + 1]:
                offset = page[4 * (runs + 1) + 13 * j] * 2
                return self._papx(page, offset) if offset else {}
        return {}

    def _papx(self, page: bytes, offset: int) -> dict:
        cb = page[offset]
        if cb == 0:
            grpprl = page[offset + 2 : offset + 2 + 2 * page[offset + 1]]
        else:
            grpprl = page[offset + 1 : offset + 2 * cb]
        return self._props(grpprl[2:])

    def _props(self, grpprl: bytes, depth: int = 0) -> dict:
        props: dict = {}
        for sprm, operand in _sprms(grpprl):
            if sprm == 0x6646 and len(operand) == 4 and depth == 0:
                props.update(self._huge_papx(operand, depth))
            elif sprm == 0x2416 and operand:
                props["in_table"] = bool(operand[0])
            elif sprm == 0x2417 and operand:
                props["ttp"] = bool(operand[0])
            elif sprm == 0xD608 and len(operand) > 3:
                props.update(_table_definition(operand))
            elif sprm == 0xD62B and len(operand) >= 3:
                props.setdefault("vmerge_sprm", {})[operand[1]] = operand[2]
        if "vmerge_sprm" in props and "vmerge" in props:
            for itc, value in props["vmerge_sprm"].items():
                if itc < len(props["vmerge"]):
                    props["vmerge"][itc] = {1: "continue", 3: "restart"}.get(value, "")
        return props

    def _huge_papx(self, operand: bytes, depth: int) -> dict:
        """sprmPHugePapx: the properties live in the Data stream (long table rows)."""
        offset = _u32(operand, 0)
        if offset + 2 > len(self.data_stream):
            return {}
        size = _u16(self.data_stream, offset)
        return self._props(self.data_stream[offset + 2 : offset + 2 + size], depth + 1)


def _table_definition(operand: bytes) -> dict:
    """sprmTDefTable: the row's cell boundaries and, from each cell's TC80 flags, its merges."""
    count = operand[2]
    bounds = [struct.unpack_from("<h", operand, 3 + 2 * i)[0] for i in range(count + 1) if 5 + 2 * i <= len(operand)]
    base = 3 + 2 * (count + 1)
    flags = [_u16(operand, base + 20 * i) if base + 20 * i + 2 <= len(operand) else 0 for i in range(count)]
    return {
        "bounds": bounds,
        "vmerge": ["continue" if flag & 0x20 and not flag & 0x40 else ("restart" if flag & 0x40 else "") for flag in flags],
        "hmerged": [bool(flag & 0x02) for flag in flags],
    }


def _text_with_offsets(word: bytes, pieces, ccp_text: int):
    for cp_start, cp_end, fc, compressed in pieces:
        if cp_start >= ccp_text:
            break
        cp_end = min(cp_end, ccp_text)
        count = cp_end - cp_start
        if compressed:
            raw = word[fc : fc + count]
            for i, byte in enumerate(raw):
                yield bytes([byte]).decode("cp1252", "replace"), fc + i
        else:
            raw = word[fc : fc + 2 * count]
            for i in range(len(raw) // 2):
                yield raw[2 * i : 2 * i + 2].decode("utf-16-le", "replace"), fc + 2 * i


class _Fib:
    """What the reader needs from the File Information Block of the WordDocument stream."""

    def __init__(self, streams: dict[str, bytes]):
        word = streams.get("WordDocument")
        if not word or len(word) < 0x1AA:
            raise Word97Error("no WordDocument stream")
        if _u16(word, 0) != 0xA5EC:
            raise Word97Error("not a Word 97 FIB")
        flags = _u16(word, 0x0A)
        if flags & 0x0100:
            raise Word97Error("encrypted document")
        table_stream = streams.get("1Table" if flags & 0x0200 else "0Table")
        if not table_stream:
            raise Word97Error("no table stream")
        self.word = word
        self.table_stream = table_stream
        csw = _u16(word, 32)
        lw_start = 34 + 2 * csw
        cslw = _u16(word, lw_start)
        self.ccp_text = _u32(word, lw_start + 2 + 12)
        self.blob = lw_start + 2 + 4 * cslw + 2

    def fc_lcb(self, index: int) -> tuple[int, int]:
        """Offset and size in the table stream of the FibRgFcLcb97 entry ``index``."""
        return _u32(self.word, self.blob + 8 * index), _u32(self.word, self.blob + 8 * index + 4)


FIELD_BEGIN, FIELD_SEPARATOR, FIELD_END = "\x13", "\x14", "\x15"
PARAGRAPH_ENDS = "\r\x07\x0c"  # paragraph mark, cell or row mark, page break
CELL_MARK = "\x07"
_CHAR_REPLACEMENTS = {"\x0b": "\n", "\x1e": "-", "\xa0": " "}  # line break, non-breaking hyphen, nbsp


def _without_field_codes(chars):
    """The characters outside field codes: a field is BEGIN code SEPARATOR result END; its result is text."""
    fields: list[str] = []
    for ch, fc in chars:
        if ch == FIELD_BEGIN:
            fields.append("code")
        elif ch == FIELD_SEPARATOR:
            if fields:
                fields[-1] = "result"
        elif ch == FIELD_END:
            if fields:
                fields.pop()
        elif "code" not in fields:
            yield ch, fc


class _BlockCollector:
    """Paragraph lines and table rows gathered into blocks as the text is read."""

    def __init__(self):
        self.blocks: list = []
        self.chars: list[str] = []
        self.cell_lines: list[str] = []
        self.row_cells: list[str] = []
        self.rows: list[tuple[list[str], dict]] = []

    def add_char(self, ch: str) -> None:
        if ch in _CHAR_REPLACEMENTS:
            self.chars.append(_CHAR_REPLACEMENTS[ch])
        elif ch == "\t" or ord(ch) >= 32:
            self.chars.append(ch)

    def end_paragraph(self, mark: str, props: dict) -> None:
        text = "".join(self.chars)
        self.chars.clear()
        if mark == CELL_MARK and props.get("ttp"):
            self.rows.append((self.row_cells[:], props))
            self.row_cells.clear()
        elif mark == CELL_MARK:
            self.cell_lines.append(text)
            self.row_cells.append(clean_cell_text("\n".join(self.cell_lines)))
            self.cell_lines.clear()
        elif props.get("in_table") and mark == "\r":
            self.cell_lines.append(text)
        else:
            self._flush_table()
            for line in text.split("\n"):
                self.blocks.append(" ".join(line.replace("\u3000", " ").split()))

    def _flush_table(self) -> None:
        if self.rows:
            table = _table(self.rows)
            if table.cells:
                self.blocks.append(table)
            self.rows.clear()

    def finish(self) -> list:
        self._flush_table()
        if self.chars:
            self.blocks.append("".join(self.chars).strip())
        return self.blocks


def read_word97(data: bytes) -> list:
    """The blocks of a Word 97 binary document: paragraph lines and tables in order."""
    try:
        return _read_blocks(data)
    except (struct.error, IndexError) as exc:  # a damaged structure: a record cut short or an offset out of range
        raise Word97Error(f"{type(exc).__name__}: {exc}"[:200]) from exc


def _read_blocks(data: bytes) -> list:
    streams = ole_streams(data)
    fib = _Fib(streams)
    pieces = _pieces(fib.table_stream, *fib.fc_lcb(33))
    paragraphs = _Paragraphs(fib.word, fib.table_stream, *fib.fc_lcb(13), data_stream=streams.get("Data", b""))
    collector = _BlockCollector()
    for ch, fc in _without_field_codes(_text_with_offsets(fib.word, pieces, fib.ccp_text)):
        if ch in PARAGRAPH_ENDS:
            collector.end_paragraph(ch, paragraphs.properties(fc))
        else:
            collector.add_char(ch)
    return collector.finish()


def _table(rows: list[tuple[list[str], dict]]) -> Table:
    """Rows of cell texts with their row properties to a grid with spans expanded."""
    edges: list[int] = []
    for _, props in rows:
        edges.extend(props.get("bounds", []))
    columns: list[int] = []
    for x in sorted(set(edges)):
        if not columns or x - columns[-1] > 20:
            columns.append(x)

    def column_of(x: int) -> int:
        return min(range(len(columns)), key=lambda i: abs(columns[i] - x)) if columns else 0

    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, (cells, props) in enumerate(rows):
        bounds = props.get("bounds") or []
        merges = props.get("vmerge") or []
        c = 0
        for i, text in enumerate(cells):
            if len(bounds) > i + 1:
                c0, c1 = column_of(bounds[i]), column_of(bounds[i + 1])
            else:
                c0, c1 = c, c + 1
            c1 = max(c1, c0 + 1)
            merge = merges[i] if i < len(merges) else ""
            if merge == "continue" and (r - 1, c0) in grid:
                for cc in range(c0, c1):
                    grid[(r, cc)] = (grid.get((r - 1, cc), grid[(r - 1, c0)])[0], True)
            else:
                for cc in range(c0, c1):
                    grid[(r, cc)] = (text, cc > c0)
            c = c1
    return slots_to_table(grid)
