"""Title, organ, year and publication date of a report, and its six sections' text."""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import lru_cache

from pipelines.cleaning.lines import is_footer_line
from pipelines.cleaning.meta import dump_header, iso_date  # noqa: F401 - dump_header is part of this module's API
from pipelines.document import Block, Table, blocks_to_text, normalize_space
from pipelines.parsing.numbers import normalize

SECTION_KEYS = ("overview", "active", "requests", "review_litigation", "problems", "other")

_NUMBERED_HEADING_RE = re.compile(r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*(\S.{1,40})$")
_HEADING_KEYWORDS = (
    ("overview", re.compile(r"总体情况|概述|基本情况|概况")),
    ("active", re.compile(r"主动公开")),
    ("requests", re.compile(r"收到和处理|依申请")),
    ("review_litigation", re.compile(r"复议|诉讼")),
    ("problems", re.compile(r"问题|改进")),
    ("other", re.compile(r"其他需要报告|其他事项|其他")),
)
_RUN_IN_HEADING_RE = re.compile(
    r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*(总体情况|概述|主动公开政府信息的?情况|收到和处理政府信息公开申请的?情况"
    r"|(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议.{0,6}行政诉讼的?情况"
    r"|(?:政府信息公开工作)?存在的?主要问题(?:及|和)改进(?:情况|措施)|其他需要报告的事项)"
)
_UNNUMBERED_HEADINGS = (
    ("active", re.compile(r"主动公开政府信息的?情况$")),
    ("requests", re.compile(r"收到和处理政府信息公开申请的?情况$")),
    ("review_litigation", re.compile(r"行政复议.{0,3}行政诉讼的?情况$")),
    ("problems", re.compile(r"存在的?主要问题(?:及|和)改进(?:情况|措施)$")),
    ("other", re.compile(r"^其他需要报告的事项$")),
)
_SENTENCE_END_RE = re.compile(r"[。；;，,]$")

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_STATS_PERIOD_RE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|-|—|－|~)\s*(?:(?:19|20)\d{2}\s*年\s*)?12\s*月\s*31\s*日"
)
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE_RE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_ONLY_RE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})$"
)
_VISIBLE_DATE_RE = re.compile(r"(?:发布|发文|成文)(?:时间|日期)\s*[:：]\s*(.{6,24})")
_CN_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}

ORGAN_SUFFIX_RE = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|局|厅|委|院|署|中心|办事处|公司|集团|会|处|所|馆|站|队|部|行|社|组)$"
)
_PLACE_SUFFIX_RE = re.compile(r"(?:镇|乡|街道|县|市|区|旗|州|盟|省|自治区|村)$")
_TITLE_ORGAN_RE = re.compile(
    r"^(?:关于)?(?:(?:19|20)\d{2}年度?)?(?P<organ>.+?)(?:关于)?(?:(?:19|20)\d{2}年|政府信息公开|政务公开|信息公开|政府信息|年度报告)"
)
GENERIC_ORGANS = frozenset({"关于", "本机关", "我单位", "政府", "人民政府", "本单位", "我局", "我委"})
_SIGNATURE_ORGAN_RE = re.compile(r"^[\u4e00-\u9fff（）()]{3,30}$")
_REPORT_TITLE_RE = re.compile(r"报告|年报")
REPORT_LIKE_RE = re.compile(r"(?:信息公开|政务公开).{0,12}(?:年度报告|年报|工作报告|情况的?报告)|(?:年度报告|年报)")


@lru_cache(maxsize=4096)
def _clean(line: str) -> str:
    return normalize_space(unicodedata.normalize("NFKC", line))


def text_lines(blocks: list[Block]) -> list[str]:
    """The paragraph lines of a document, cleaned, blank lines dropped.

    Of a table only the rows holding a single text (a title or heading merged across the sheet,
    as spreadsheet reports print them) count as lines.
    """
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.cells:
                texts = {cell for cell in row if cell}
                if len(texts) == 1:
                    lines.append(_clean(texts.pop()))
        else:
            lines.append(_clean(block))
    return [line for line in lines if line]


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(text, 0)


def parse_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` from ``2023-01-12``, ``2023年1月12日``, ``二〇二三年一月十二日``; dateparser last."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    if _DATE_RE.search(text):
        return iso_date(text)
    match = _CN_DATE_RE.search(text)
    if not match:
        return _dateparser_date(text)
    year = int("".join(str(_CN_DIGITS.get(ch, 0)) for ch in match.group(1)))
    month, day = _cn_number(match.group(2)), _cn_number(match.group(3))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _dateparser_date(text: str) -> str | None:
    if not re.search(r"\d", text) or len(text) > 40:
        return None
    import dateparser  # slow to import and to call: only for dates the regexes cannot read

    parsed = dateparser.parse(text, languages=["zh", "en"], settings={"STRICT_PARSING": True})
    return parsed.strftime("%Y-%m-%d") if parsed else None


_TYPESET_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff\d（）()])\s+(?=[\u4e00-\u9fff\d（）()])")


def _close_typeset_spaces(title: str) -> str:
    """``洪泽区人民政府2023 年…`` to ``洪泽区人民政府2023年…``: spaces that text extraction or
    typesetting left between Chinese characters and digits are not part of a title."""
    return _TYPESET_SPACE_RE.sub("", title)


def find_title(lines: list[str]) -> str | None:
    """The first heading-like line that names a report (a title split over two lines is joined,
    typesetting spaces between Chinese characters and digits closed)."""
    title = _find_title_line(lines)
    return _close_typeset_spaces(title) if title else None


def _find_title_line(lines: list[str]) -> str | None:
    for index, line in enumerate(lines[:8]):
        if _NUMBERED_HEADING_RE.match(line) and not _REPORT_TITLE_RE.search(line):
            break
        if len(line) > 60 or _SENTENCE_END_RE.search(line) or line.startswith(("本报告", "本年度报告", "根据")):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            not _REPORT_TITLE_RE.search(line)
            and len(line) <= 30
            and ":" not in line
            and (ORGAN_SUFFIX_RE.search(line) or re.search(r"(?:19|20)\d{2}|信息公开|政务公开", line))
            and re.search(r"报告$", following)
            and len(line) + len(following) <= 60
        ):
            return f"{line}{following}"
        if _REPORT_TITLE_RE.search(line) and REPORT_LIKE_RE.search(line):
            return line
    return None


def organ_from_title(title: str | None) -> str | None:
    if not title:
        return None
    match = _TITLE_ORGAN_RE.match(normalize(title))
    if not match:
        return None
    organ = match["organ"].strip("《》“”\"'")
    if len(organ) < 2 or organ in GENERIC_ORGANS:
        return None
    return organ


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """(organ, date) of the signature at the end: an organ line next to a date line."""
    tail = lines[-30:]
    for index in range(len(tail) - 1, -1, -1):
        line = tail[index]
        if is_footer_line(line):
            continue
        if _DATE_ONLY_RE.match(line.replace(" ", "")):
            date = parse_date(line)
            organ = None
            before = tail[index - 1].replace(" ", "") if index > 0 else ""
            if _SIGNATURE_ORGAN_RE.match(before) and ORGAN_SUFFIX_RE.search(before):
                organ = before
            return organ, date
        parts = line.rsplit(" ", 1)
        if len(parts) == 2 and _DATE_ONLY_RE.match(parts[1]) and _SIGNATURE_ORGAN_RE.match(parts[0]):
            organ = parts[0] if ORGAN_SUFFIX_RE.search(parts[0]) else None
            return organ, parse_date(parts[1])
    return None, None


def complete_organ(organ: str, lines: list[str]) -> str:
    """A bare place name from a title (``柏香镇``) completed as the text names the organ (``柏香镇人民政府``)."""
    if ORGAN_SUFFIX_RE.search(organ) or not _PLACE_SUFFIX_RE.search(organ):
        return organ
    pattern = re.compile(re.escape(organ) + r"(?:人民政府|街道办事处|办事处|政府(?![\u4e00-\u9fff]))")
    for line in lines:
        match = pattern.search(line.replace(" ", ""))
        if match:
            return match.group()
    return organ


def find_year(title: str | None, lines: list[str]) -> int | None:
    if title:
        match = _YEAR_RE.search(unicodedata.normalize("NFKC", title))
        if match:
            return int(match.group(1))
    for line in lines[:60]:
        match = _STATS_PERIOD_RE.search(line)
        if match:
            return int(match.group(1))
    return None


def visible_date(lines: list[str]) -> str | None:
    for line in lines[:15]:
        match = _VISIBLE_DATE_RE.search(line)
        if match:
            date = parse_date(match.group(1))
            if date:
                return date
    return None


def _heading(line: str) -> tuple[str, str] | None:
    """(section key, text after the heading on the same line) for a section heading line."""
    match = _NUMBERED_HEADING_RE.match(line)
    if match:
        rest = match.group(1)
        if not (_SENTENCE_END_RE.search(rest) or "。" in rest):
            for key, pattern in _HEADING_KEYWORDS:
                if pattern.search(rest):
                    return key, ""
            return None
    match = _RUN_IN_HEADING_RE.match(line)
    if match:
        for key, pattern in _HEADING_KEYWORDS:
            if pattern.search(match.group(1)):
                return key, line[match.end() :].lstrip("。:： ")
    if len(line) > 30 or line.startswith(("(", "（")):
        return None
    for key, pattern in _UNNUMBERED_HEADINGS:
        if pattern.search(line):
            return key, ""
    return None


def find_sections(blocks: list[Block]) -> tuple[dict[str, str | None], int]:
    """The six sections' text by heading (headings accepted in order) and how many headings were seen.

    A heading is a short numbered line (``二、主动公开政府信息的情况``), a known heading phrase that
    runs into its first paragraph on the same line, or an unnumbered official heading.
    """
    starts: list[tuple[str, int, str]] = []
    current = -1
    end = len(blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Table) or "\t" in block or "|" in block:
            continue
        line = _clean(block)
        if not line:
            continue
        if starts and is_footer_line(line):
            end = index
            break
        heading = _heading(line)
        if heading is not None and SECTION_KEYS.index(heading[0]) > current:
            current = SECTION_KEYS.index(heading[0])
            run_in = heading[1]
            if run_in:  # keep the paragraph as printed (the heading test saw it NFKC-normalized)
                raw = _RUN_IN_HEADING_RE.match(block.strip())
                run_in = block.strip()[raw.end() :].lstrip("。:： ") if raw else run_in
            starts.append((heading[0], index, run_in))
    sections: dict[str, str | None] = dict.fromkeys(SECTION_KEYS)
    for position, (key, start, run_in) in enumerate(starts):
        stop = starts[position + 1][1] if position + 1 < len(starts) else end
        body = ([run_in] if run_in else []) + list(blocks[start + 1 : stop])
        text = blocks_to_text(body).strip()
        sections[key] = text or None
    return sections, len(starts)
