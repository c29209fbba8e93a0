"""OCR of images and scanned pages with Tesseract (``chi_sim``), tables rebuilt from the ruling.

A report's tables in an image are ruled grids. The grid is found from the long dark runs (the
rules), merged cells from the missing rule segments, and the rules are erased before OCR so that
a rule is never read as ``1`` or ``|``. Tesseract's word boxes are then placed in the grid's cells,
giving :class:`Table` grids like the HTML reader's; text outside the grids gives paragraph lines.
Number cells that came out empty or not as a number are read again, all at once, cut out of the
image and OCR'd with a digits-only character set. Without a ruled grid, each text line becomes
one line with its cells (wide gaps between words) separated by tabs.

Cells whose OCR confidence is low are named in the warnings: OCR numbers are to be checked
against the contract's consistency rules.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pipelines.document import Table, normalize_space
from pipelines.readers.grid import join_cjk_gaps
from pipelines.warning_codes import in_context, warning

MAX_PIXELS = 40_000_000
TARGET_WIDTH = 2400
LANG = "chi_sim"
DOUBT_CONFIDENCE = 60
SURE_CONFIDENCE = 85
OCR_WORKERS = 4
# What Pillow raises on a damaged image: not an image or cut short (OSError, UnidentifiedImageError
# among them), bad header values (ValueError), broken chunks (SyntaxError, struct.error, EOFError), bad zlib data.
IMAGE_ERRORS = (OSError, ValueError, SyntaxError, struct.error, EOFError, zlib.error)
MAX_LABEL_REREADS = 12
_CONFUSABLE_DIGITS = str.maketrans({
    "O": "0", "o": "0", "〇": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9",
    "，": ",", "。": ".", "．": ".", "—": "-", "－": "-",
})
_NUMBERISH_RE = re.compile(r"^[-+]?[\dOoDQlIiZzSsBg〇]+([.,．。][\dOolISs]+)?$")


# The printed labels of the tables of sections 三 and 四 (国办公开办函〔2021〕30号 and the 2019 trial
# format): an OCR'd label cell close to one of them is replaced by it.
OFFICIAL_LABELS = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
    "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息", "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
    "四、结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
    "未经复议直接起诉", "复议后起诉",
]
LABEL_MATCH = 0.6
# The group each numbered item belongs to, to restore a group label OCR could not read.
ITEM_GROUPS = {
    "（三）不予公开": OFFICIAL_LABELS[16:24],
    "（四）无法提供": OFFICIAL_LABELS[25:28],
    "（五）不予处理": OFFICIAL_LABELS[29:34],
    "（六）其他处理": OFFICIAL_LABELS[35:38],
}
GROUP_OF_ITEM = {item: group for group, items in ITEM_GROUPS.items() for item in items}


def match_official_label(text: str) -> str | None:
    """The official label an OCR'd label cell most likely shows, or None when none is close."""
    from difflib import SequenceMatcher

    compact = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    if len(compact) < 2 or _is_number(compact):
        return None
    best, score = None, 0.0
    for label in OFFICIAL_LABELS:
        ratio = SequenceMatcher(None, compact, label, autojunk=False).ratio()
        if ratio > score:
            best, score = label, ratio
    return best if score >= LABEL_MATCH else None


def _reread_empty_labels(image, grid) -> None:
    """Label cells that came out empty though inked (small, wrapped text): OCR'd one by one."""
    import pytesseract

    empty = [c for c in grid.cells if not c.number_cell and not c.text.strip() and _has_ink(image, c.box)][:MAX_LABEL_REREADS]

    def read(cell):
        x0, y0, x1, y1 = cell.box
        crop = image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))
        return pytesseract.image_to_string(crop, lang=LANG, config="--psm 6")

    with ThreadPoolExecutor(max_workers=OCR_WORKERS) as pool:
        texts = list(pool.map(read, empty))
    for cell, text in zip(empty, texts):
        cell.text = normalize_space(join_cjk_gaps(" ".join(text.split())))


def _restore_group_labels(grid) -> int:
    """A merged label cell beside numbered items of one official group gets that group's label."""
    changed = 0
    for cell in grid.cells:
        if cell.number_cell or cell.r0 == cell.r1:
            continue
        items = [
            other.text for other in grid.cells
            if other.c0 == cell.c1 + 1 and cell.r0 <= other.r0 <= cell.r1 and other.text in GROUP_OF_ITEM
        ]
        groups = {GROUP_OF_ITEM[item] for item in items}
        if len(items) >= 2 and len(groups) == 1:
            group = groups.pop()
            if cell.text != group:
                cell.text = group
                changed += 1
    return changed


NEXT_ITEM = {
    item: items[position + 1] for items in ITEM_GROUPS.values() for position, item in enumerate(items[:-1])
}
ITEM_MATCH = 0.3


def _restore_numbered_items(grid) -> int:
    """A label cell OCR garbled beyond matching, right below item k of a group, becomes item k+1
    when it starts with k+1 or is loosely close to it (the items of a group run in order)."""
    from difflib import SequenceMatcher

    changed = 0
    labels = sorted((c for c in grid.cells if not c.number_cell and c.text), key=lambda c: (c.c0, c.r0))
    for above, cell in zip(labels, labels[1:]):
        expected = NEXT_ITEM.get(above.text)
        if not expected or cell.c0 != above.c0 or cell.r0 != above.r1 + 1 or cell.text in OFFICIAL_LABELS:
            continue
        compact = re.sub(r"\s+", "", cell.text)
        number = expected.split(".", 1)[0]
        if compact.startswith(number) or SequenceMatcher(None, compact, expected, autojunk=False).ratio() >= ITEM_MATCH:
            cell.text = expected
            changed += 1
    return changed


@dataclass
class _Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line_key: tuple

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


@dataclass
class _Cell:
    r0: int
    c0: int
    r1: int  # inclusive
    c1: int
    box: tuple[int, int, int, int]
    text: str = ""
    conf: float = 100.0
    number_cell: bool = False  # a cell of a number column, read again digits-only


@dataclass
class _Grid:
    xs: list[int]
    ys: list[int]
    cells: list[_Cell]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def read_image(data: bytes, filename: str | None = None, *, ocr: bool = True):
    import pytesseract
    from PIL import Image

    from pipelines.readers import ReadResult

    label = filename or "image"
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError:
        return ReadResult("image", [], [warning("file_too_large", f"{label}: image too large (decompression bomb guard); not read")])
    except IMAGE_ERRORS as exc:
        return ReadResult("image", [], [warning("file_corrupt", f"{label}: unreadable image ({type(exc).__name__})")])
    if width * height > MAX_PIXELS:
        return ReadResult("image", [], [warning("file_too_large", f"{label}: image of {width}x{height} pixels exceeds the {MAX_PIXELS}-pixel limit; not read")])
    if not ocr:
        return ReadResult("image", [], [warning("scan_not_read", f"{label}: image not read (OCR is off)")])
    try:
        image.load()
    except IMAGE_ERRORS as exc:
        return ReadResult("image", [], [warning("file_corrupt", f"{label}: corrupt image ({type(exc).__name__})")])
    try:
        blocks, warnings = ocr_image_blocks(image)
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError) as exc:
        name = type(exc).__name__
        return ReadResult("image", [], [warning("tool_missing", f"{label}: Tesseract OCR unavailable ({name}); image not read")])
    warnings = [warning("ocr_used", f"{label}: text read by OCR (tesseract {LANG}); numbers may be misread")] + [in_context(w, label) for w in warnings]
    return ReadResult("image", blocks, warnings, ocr=True)


def ocr_image_lines(image) -> tuple[list[str], list[str]]:
    """OCR an image into text lines (table rows as tab-separated cells) and warnings."""
    blocks, warnings = ocr_image_blocks(image)
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend("\t".join(row).rstrip("\t") for row in block.own_rows())
        else:
            lines.append(block)
    return lines, warnings


def ocr_image_blocks(image) -> tuple[list, list[str]]:
    """OCR an image into blocks: ruled tables as :class:`Table`, other text as lines."""
    import pytesseract
    from PIL import Image

    gray = _prepare(image)
    mask = gray.point(lambda v: 255 if v < 150 else 0)
    horizontal = _runs(mask, min_run=max(60, gray.width // 25))
    # A vertical rule spans at least most of a row; a character's stroke is shorter than a row.
    rules = _cluster([row for row, _, _ in horizontal])
    gaps = sorted(b - a for a, b in zip(rules, rules[1:]) if b - a > 10)
    row_height = gaps[len(gaps) // 4] if gaps else 0
    vertical = _runs(mask.transpose(Image.Transpose.TRANSPOSE), min_run=max(30, gray.height // 100, int(row_height * 0.8)))
    grids = _find_grids(horizontal, vertical, mask)
    clean = _erase_rules(gray, horizontal, vertical)
    data = pytesseract.image_to_data(clean, lang=LANG, config="--psm 6", output_type=pytesseract.Output.DICT)
    words = _words(data)
    warnings: list[str] = []
    placed: set[int] = set()
    items: list[tuple[float, object]] = []
    for number, grid in enumerate(grids, start=1):
        for index, word in enumerate(words):
            cell = _cell_at(grid, word.cx, word.cy)
            if cell is not None:
                _add_word(cell, word)
                placed.add(index)
        _reread_numbers(clean, grid)
        _reread_empty_labels(clean, grid)
        corrected = 0
        for cell in grid.cells:
            if cell.text and not cell.number_cell:
                label = match_official_label(cell.text)
                if label and label != cell.text:
                    cell.text = label
                    corrected += 1
        corrected += _restore_numbered_items(grid)
        corrected += _restore_group_labels(grid)
        if corrected:
            warnings.append(warning("ocr_labels_matched", f"table {number}: {corrected} OCR'd label cell(s) matched to the official labels"))
        table = _grid_table(grid)
        for cell in grid.cells:
            if cell.number_cell and (cell.conf < DOUBT_CONFIDENCE or not _is_number(cell.text)):
                row_label = next((c.text for c in grid.cells if c.r0 <= cell.r0 <= c.r1 and c.c0 == 0 and c.text), "")
                warnings.append(
                    warning("ocr_cell_in_doubt", f"OCR cell in doubt: table {number} row {cell.r0 + 1} ({row_label[:16]}) column {cell.c0 + 1}: "
                    f"read {cell.text!r} (confidence {cell.conf:.0f})")
                )
        items.append((grid.ys[0], table))
    rest = [word for index, word in enumerate(words) if index not in placed]
    for top, line in _lines_from_words(rest):
        items.append((top, line))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items], warnings


def _prepare(image):
    from PIL import Image, ImageOps

    gray = ImageOps.exif_transpose(image) if hasattr(ImageOps, "exif_transpose") else image
    if gray.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", gray.size, "white")
        converted = gray.convert("RGBA")
        background.paste(converted, mask=converted.split()[-1])
        gray = background
    gray = gray.convert("L")
    if gray.width < TARGET_WIDTH * 0.7:
        scale = min(TARGET_WIDTH / gray.width, 3.0)
        gray = gray.resize((int(gray.width * scale), int(gray.height * scale)), Image.Resampling.BICUBIC)
    return gray


def _runs(mask, min_run: int) -> list[tuple[int, int, int]]:
    """Long dark runs per pixel row of ``mask``: (row, start, end)."""
    width = mask.width
    raw = mask.tobytes()
    pattern = re.compile(rb"\xff{%d,}" % min_run)
    runs = []
    for row in range(mask.height):
        line = raw[row * width : (row + 1) * width]
        if b"\xff" * min_run not in line:
            continue
        for match in pattern.finditer(line):
            runs.append((row, match.start(), match.end()))
    return runs


def _cluster(positions: list[int], gap: int = 4) -> list[int]:
    """Centres of runs of nearby positions (a rule several pixels thick is one rule)."""
    centres: list[int] = []
    group: list[int] = []
    for position in sorted(set(positions)):
        if group and position - group[-1] > gap:
            centres.append(sum(group) // len(group))
            group = []
        group.append(position)
    if group:
        centres.append(sum(group) // len(group))
    return centres


def _find_grids(horizontal, vertical, mask) -> list[_Grid]:
    """Ruled tables: bands of horizontal rules tied together by vertical rules."""
    if not horizontal or not vertical:
        return []
    rules = _cluster([row for row, _, _ in horizontal])
    if len(rules) < 2:
        return []
    # Vertical runs as (x, y0, y1) in image coordinates.
    columns = [(x, start, end) for x, start, end in vertical]
    grids: list[_Grid] = []
    band: list[int] = [rules[0]]

    def close_band() -> None:
        if len(band) >= 2:
            grid = _grid_in_band(band, horizontal, columns, mask)
            if grid is not None:
                grids.append(grid)

    for y in rules[1:]:
        # Two rules belong to one table when a vertical rule joins them.
        joined = any(start <= band[-1] + 3 and end >= y - 3 for _, start, end in columns)
        if joined:
            band.append(y)
        else:
            close_band()
            band = [y]
    close_band()
    return grids


def _grid_in_band(ys: list[int], horizontal, columns, mask) -> _Grid | None:
    top, bottom = ys[0], ys[-1]
    spans = [(start, end) for row, start, end in horizontal if top - 3 <= row <= bottom + 3]
    left = min(start for start, _ in spans)
    right = max(end for _, end in spans)
    xs = _cluster([x for x, start, end in columns if left - 3 <= x <= right + 3 and start < bottom and end > top])
    if len(xs) < 2:
        return None
    cells = [_cell_of_slots(slots, xs, ys) for slots in _merged_slots(xs, ys, mask)]
    cells.sort(key=lambda cell: (cell.r0, cell.c0))
    return _Grid(xs=xs, ys=ys, cells=cells)


def _has_vertical_rule(pixels, mask, x: int, y0: int, y1: int) -> bool:
    """Whether ink runs down at ``x`` (within 3 px) over 70% of the span between ``y0`` and ``y1``."""
    hits = total = 0
    for y in range(y0 + 4, y1 - 3, 2):
        total += 1
        if any(pixels[xx, y] for xx in range(max(x - 3, 0), min(x + 4, mask.width))):
            hits += 1
    return total == 0 or hits >= total * 0.7


def _has_horizontal_rule(pixels, mask, y: int, x0: int, x1: int) -> bool:
    """Whether ink runs across at ``y`` (within 3 px) over 70% of the span between ``x0`` and ``x1``."""
    hits = total = 0
    for x in range(x0 + 4, x1 - 3, 2):
        total += 1
        if any(pixels[x, yy] for yy in range(max(y - 3, 0), min(y + 4, mask.height))):
            hits += 1
    return total == 0 or hits >= total * 0.7


def _merged_slots(xs: list[int], ys: list[int], mask) -> list[list[tuple[int, int]]]:
    """The grid's slots (row, column) grouped into cells: neighbours with no rule between them are one cell."""
    width, height = len(xs) - 1, len(ys) - 1
    pixels = mask.load()
    parent = list(range(width * height))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(height):
        for c in range(width):
            if c + 1 < width and not _has_vertical_rule(pixels, mask, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * width + c + 1)] = find(r * width + c)
            if r + 1 < height and not _has_horizontal_rule(pixels, mask, ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * width + c)] = find(r * width + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(height):
        for c in range(width):
            groups.setdefault(find(r * width + c), []).append((r, c))
    return list(groups.values())


def _cell_of_slots(slots: list[tuple[int, int]], xs: list[int], ys: list[int]) -> _Cell:
    r0 = min(r for r, _ in slots)
    r1 = max(r for r, _ in slots)
    c0 = min(c for _, c in slots)
    c1 = max(c for _, c in slots)
    return _Cell(r0, c0, r1, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))


def _erase_rules(gray, horizontal, vertical):
    """A copy of the image with the long runs (table rules) painted white."""
    from PIL import ImageDraw

    clean = gray.copy()
    draw = ImageDraw.Draw(clean)
    for row, start, end in horizontal:
        draw.rectangle([start, row - 1, end, row + 1], fill=255)
    for column, start, end in vertical:
        draw.rectangle([column - 1, start, column + 1, end], fill=255)
    return clean


def _words(data: dict) -> list[_Word]:
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        words.append(
            _Word(text, conf, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]),
                  (data["block_num"][i], data["par_num"][i], data["line_num"][i]))
        )
    return words


def _cell_at(grid: _Grid, x: float, y: float) -> _Cell | None:
    x0, y0, x1, y1 = grid.box
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return None
    for cell in grid.cells:
        cx0, cy0, cx1, cy1 = cell.box
        if cx0 <= x <= cx1 and cy0 <= y <= cy1:
            return cell
    return None


def _add_word(cell: _Cell, word: _Word) -> None:
    if cell.text and not (_is_cjk(cell.text[-1]) or _is_cjk(word.text[0])):
        cell.text += " "
    cell.text += word.text
    cell.conf = min(cell.conf, word.conf if word.conf >= 0 else 100.0)


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _as_number(text: str) -> str | None:
    """The number an OCR'd cell shows, with look-alike letters mapped to digits; None if not one."""
    compact = text.replace(" ", "").strip(",，.。、'\"“”‘’`:：;；|_~")
    if not compact or not _NUMBERISH_RE.match(compact):
        return None
    digits = compact.translate(_CONFUSABLE_DIGITS).replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", digits):
        return None
    body = compact.lstrip("-+")
    if len(body) > 2 and sum(ch.isdigit() for ch in body) * 2 < len(body):
        return None
    return digits


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", text))


def _numeric_columns(grid: _Grid) -> set[int]:
    """Columns where most single-column cells read as numbers."""
    counts: dict[int, list[int]] = {}
    for cell in grid.cells:
        if cell.c0 != cell.c1 or not cell.text:
            continue
        tally = counts.setdefault(cell.c0, [0, 0])
        tally[1] += 1
        if _as_number(cell.text) is not None:
            tally[0] += 1
    return {c for c, (numbers, total) in counts.items() if total and numbers * 2 >= total}


def _reread_numbers(image, grid: _Grid) -> None:
    """Read every number cell again, cut out and digits-only; keep the first reading where that fails.

    Number cells are the single cells of number columns below the header (the first row holding a
    number); a cell without ink stays empty.
    """
    numeric = _numeric_columns(grid)
    per_row: dict[int, list[int]] = {}
    for cell in grid.cells:
        if cell.c0 in numeric and cell.r0 == cell.r1 and cell.c0 == cell.c1:
            tally = per_row.setdefault(cell.r0, [0, 0])
            tally[1] += 1
            if _as_number(cell.text) is not None:
                tally[0] += 1
    first_data_row = min(
        (row for row, (numbers, total) in per_row.items() if numbers >= max(2, (total + 1) // 2)), default=None
    )
    if first_data_row is None:
        return
    targets: list[_Cell] = []
    for cell in grid.cells:
        if cell.c0 not in numeric or cell.r0 != cell.r1 or cell.c0 != cell.c1 or cell.r0 < first_data_row:
            continue
        number = _as_number(cell.text)
        if number is not None:
            cell.text = number
        if _has_ink(image, cell.box):
            targets.append(cell)
        elif number is None:
            cell.text = ""
    if targets:
        _ocr_cells_digits(image, targets)


def _has_ink(image, box) -> bool:
    x0, y0, x1, y1 = box
    crop = image.crop((x0 + 5, y0 + 5, x1 - 5, y1 - 5))
    if crop.width <= 0 or crop.height <= 0:
        return False
    return crop.point(lambda v: 255 if v < 128 else 0).getbbox() is not None


def _ocr_cells_digits(image, cells: list[_Cell]) -> None:
    """OCR many number cells in one Tesseract run: crops pasted on a sheet, digits only."""
    crops = [_ink_crop(image, cell.box) for cell in cells]
    unsure = _take_sheet_readings(cells, _read_sheet_of_crops(crops))
    # Tesseract drops or misreads a lone digit among many lines: read those cells one by one.
    with ThreadPoolExecutor(max_workers=OCR_WORKERS) as pool:
        readings = list(pool.map(_ocr_one_number, [crops[index] for index in unsure]))
    for index, (number, conf) in zip(unsure, readings):
        if number is not None:
            _prefer_reading(cells[index], number, conf)


def _ink_crop(image, box):
    """The inside of a cell box, trimmed to its ink with a 6-pixel margin."""
    x0, y0, x1, y1 = box
    crop = image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))
    bbox = crop.point(lambda v: 255 if v < 128 else 0).getbbox()
    if bbox:
        crop = crop.crop((max(bbox[0] - 6, 0), max(bbox[1] - 6, 0), min(bbox[2] + 6, crop.width), min(bbox[3] + 6, crop.height)))
    return crop


def _read_sheet_of_crops(crops) -> dict[int, list[_Word]]:
    """The crops pasted one under another on a white sheet, OCR'd once: the words read, by crop index."""
    import pytesseract
    from PIL import Image

    gap = 40
    sheet_width = max(c.width for c in crops) + 2 * gap
    sheet_height = sum(c.height + gap for c in crops) + gap
    sheet = Image.new("L", (sheet_width, sheet_height), 255)
    slots = []
    y = gap
    for crop in crops:
        sheet.paste(crop, (gap, y))
        slots.append((y, y + crop.height))
        y += crop.height + gap
    config = "--psm 6 -c tessedit_char_whitelist=0123456789.-"
    data = pytesseract.image_to_data(sheet, lang="eng", config=config, output_type=pytesseract.Output.DICT)
    texts: dict[int, list[_Word]] = {}
    for word in _words(data):
        for index, (top, bottom) in enumerate(slots):
            if top - gap / 2 <= word.cy <= bottom + gap / 2:
                texts.setdefault(index, []).append(word)
                break
    return texts


def _take_sheet_readings(cells: list[_Cell], texts: dict[int, list[_Word]]) -> list[int]:
    """Each cell's number from the sheet run; the indexes of the cells it left unread or unsure."""
    unsure: list[int] = []
    for index, cell in enumerate(cells):
        cell.number_cell = True
        found = sorted(texts.get(index, []), key=lambda w: w.left)
        number = _as_number("".join(w.text for w in found))
        conf = min((w.conf for w in found), default=0.0)
        if number is not None:
            cell.text = number
            cell.conf = conf
        elif not _is_number(cell.text):
            cell.conf = 0.0
        if number is None or conf < SURE_CONFIDENCE:
            unsure.append(index)
    return unsure


def _prefer_reading(cell: _Cell, number: str, conf: float) -> None:
    """A second reading of a cell: confirms it, or replaces a non-number or a less confident number."""
    if number == cell.text:
        cell.conf = max(conf, cell.conf)
    elif not _is_number(cell.text) or conf > cell.conf:
        cell.text = number
        cell.conf = conf


def _ocr_one_number(crop) -> tuple[str | None, float]:
    """One number cell, OCR'd as a single line of digits: (number or None, confidence)."""
    import pytesseract
    from PIL import Image

    padded = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    padded.paste(crop, (20, 20))
    # Tesseract's page modes fail on different lone digits: try a few until one reads a number.
    for lang, psm, whitelist in (("eng", 8, True), ("eng", 13, True), ("eng", 7, True), ("chi_sim", 7, False)):
        config = f"--psm {psm}" + (" -c tessedit_char_whitelist=0123456789.-" if whitelist else "")
        data = pytesseract.image_to_data(padded, lang=lang, config=config, output_type=pytesseract.Output.DICT)
        words = sorted(_words(data), key=lambda w: w.left)
        number = _as_number("".join(w.text for w in words))
        if number is not None:
            return number, min((w.conf for w in words), default=0.0)
    return None, 0.0


def _grid_table(grid: _Grid) -> Table:
    height = len(grid.ys) - 1
    width = len(grid.xs) - 1
    cells = [["" for _ in range(width)] for _ in range(height)]
    copied = [[False] * width for _ in range(height)]
    for cell in grid.cells:
        text = normalize_space(join_cjk_gaps(cell.text))
        for r in range(cell.r0, cell.r1 + 1):
            for c in range(cell.c0, cell.c1 + 1):
                cells[r][c] = text
                copied[r][c] = (r, c) != (cell.r0, cell.c0)
    keep = [r for r in range(height) if any(cells[r])]
    return Table(cells=[cells[r] for r in keep], copied=[copied[r] for r in keep])


def _lines_from_words(words: list[_Word]) -> list[tuple[float, str]]:
    """Words outside tables as text lines; wide gaps between words become tabs."""
    rows: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.left)):
        if rows:
            last = rows[-1]
            top = min(w.top for w in last)
            bottom = max(w.top + w.height for w in last)
            if top - 2 <= word.cy <= bottom + 2:
                last.append(word)
                continue
        rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.left)
        heights = sorted(w.height for w in row)
        char = heights[len(heights) // 2] or 10
        text = ""
        end = None
        for word in row:
            if end is not None:
                gap = word.left - end
                if gap > 2.5 * char:
                    text += "\t"
                elif text and not (_is_cjk(text[-1]) or _is_cjk(word.text[0])):
                    text += " "
            text += word.text
            end = word.left + word.width
        text = "\t".join(normalize_space(join_cjk_gaps(part)) for part in text.split("\t"))
        if text.strip():
            lines.append((min(w.top for w in row), text))
    return lines
