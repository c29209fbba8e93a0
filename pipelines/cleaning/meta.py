"""Page metadata: the 索引号/分类/发布机构… block as a dict, and title/date/source hints."""

from __future__ import annotations

import datetime
import re
import unicodedata

from lxml.etree import _Element

from pipelines.document import Block, Table, normalize_space

#: Labels of the information-disclosure metadata block (spaces inside a label are ignored).
META_LABELS = (
    "索引号", "主题分类", "组配分类", "体裁分类", "服务对象分类", "分类", "发布机构", "发文机关", "发文机构",
    "发文单位", "办文部门", "信息来源", "公开方式", "公开时限", "公开范围", "公开形式", "成文日期", "发文日期",
    "生成日期", "印发日期", "发布日期", "实施日期", "废止日期", "发文字号", "发布文号", "文号", "有效性", "是否有效",
    "时效", "关键词", "主题词", "信息名称", "公文名称", "名称", "标题", "内容概述", "摘要", "来源", "责任部门", "统一编号",
)
_LABEL_ALT = "|".join(
    r"\s*".join(re.escape(ch) for ch in label) for label in sorted(META_LABELS, key=len, reverse=True)
)
_LABEL_ONLY_RE = re.compile(rf"^(?:{_LABEL_ALT})\s*[:：]?$")
_LABEL_PAIR_RE = re.compile(rf"(?:^|(?<=\s))({_LABEL_ALT})\s*[:：]\s*")
_LINE_START_RE = re.compile(rf"^({_LABEL_ALT})\s*[:：]")
_CORE_LABELS = {"索引号", "发布机构", "发文机关", "公开方式", "成文日期", "发文字号", "主题分类", "组配分类"}

_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_VISIBLE_DATE_RE = re.compile(
    r"(?:发布|更新|上传|生成)?(?:日期|时间)\s*[:：]\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
    r"|^((?:19|20)\d{2}-\d{1,2}-\d{1,2})\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:信息|文章)?来源\s*[:：]"
)
_VISIBLE_SOURCE_RE = re.compile(
    r"(?:信息|文章|稿件)?来\s*源\s*[:：]\s*(.+?)(?=\s+(?:作者|发布|时间|日期|浏览|点击|访问|阅读|编辑|字号|字体|责任)|$)"
)
_URL_DATE_RES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})-?(\d{2})/(\d{2})/"),
)
_TITLE_SPLIT_RE = re.compile(r"\s*(?:[-_|｜—–]+)\s*")
_ENP_RE = re.compile(r"<!--enpproperty(.*?)/enpproperty-->", re.S)


def _label_key(label: str) -> str:
    return re.sub(r"\s+", "", label).rstrip(":：")


def iso_date(text: str | None) -> str | None:
    """The first Y-M-D date in ``text`` (``2023-01-12``, ``2023/1/12``, ``2023年1月12日``, full-width
    digits too) as ``YYYY-MM-DD``; None when there is none or it is no real day. The one reader of
    such dates for the crawler, the cleaning stage and the parser."""
    if not text:
        return None
    match = _DATE_RE.search(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def _pairs_in_line(line: str) -> list[tuple[str, str]]:
    """``索引号：X 分类：Y`` → [(索引号, X), (分类, Y)]; values run to the next label."""
    matches = list(_LABEL_PAIR_RE.finditer(line))
    pairs = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        pairs.append((_label_key(match.group(1)), line[match.end():end].strip()))
    return pairs


def _pairs_in_table(table: Table) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for row, copies in zip(table.cells, table.copied):
        cells = [(normalize_space(text), copy) for text, copy in zip(row, copies)]
        c = 0
        while c < len(cells):
            text, copy = cells[c]
            if copy or not text:
                c += 1
                continue
            if _LABEL_ONLY_RE.match(text):
                value = ""
                nxt = c + 1
                while nxt < len(cells) and cells[nxt][1]:
                    nxt += 1
                if nxt < len(cells) and not _LABEL_ONLY_RE.match(cells[nxt][0]):
                    value = cells[nxt][0]
                    nxt += 1
                pairs.append((_label_key(text), value))
                c = nxt
                continue
            if _LINE_START_RE.match(text):
                pairs.extend(_pairs_in_line(text))
            c += 1
    return pairs


def _is_meta(pairs: list[tuple[str, str]]) -> bool:
    labels = {label for label, _ in pairs}
    return "索引号" in labels or len(labels & _CORE_LABELS) >= 2 or len(labels) >= 4


def find_meta_blocks(blocks: list[Block]) -> tuple[dict, set[int]]:
    """Find the metadata block among ``blocks``: a label/value table or a run of ``label：value``
    lines holding 索引号 (or several core labels). Returns ``({label: value}, indexes)``; empty
    values are left out of the dict."""
    meta: dict[str, str] = {}
    used: set[int] = set()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            if len(block.cells) <= 12:
                pairs = _pairs_in_table(block)
                if pairs and _is_meta(pairs):
                    _merge(meta, pairs)
                    used.add(i)
            i += 1
            continue
        if block and _LINE_START_RE.match(block):
            run = [i]
            j = i + 1
            while j < len(blocks) and isinstance(blocks[j], str) and (
                not blocks[j] or _LINE_START_RE.match(blocks[j]) or _LABEL_ONLY_RE.match(blocks[j])
                or (j > 0 and isinstance(blocks[j - 1], str) and _LABEL_ONLY_RE.match(blocks[j - 1]))
            ):
                run.append(j)
                j += 1
            pairs = _pairs_from_run([blocks[k] for k in run])
            if _is_meta(pairs) and len(run) <= 30:
                _merge(meta, pairs)
                used.update(run)
            i = j
            continue
        i += 1
    return meta, used


def _pairs_from_run(lines: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for line in lines:
        if not line:
            continue
        if _LABEL_ONLY_RE.match(line):
            pending = _label_key(line)
            pairs.append((pending, ""))
            continue
        if _LINE_START_RE.match(line):
            pairs.extend(_pairs_in_line(line))
            pending = None
        elif pending is not None:
            pairs[-1] = (pending, line)
            pending = None
    return pairs


def _merge(meta: dict, pairs: list[tuple[str, str]]) -> None:
    for label, value in pairs:
        if value and label not in meta:
            meta[label] = value


def meta_content(root: _Element, *names: str) -> str | None:
    """The content of the first ``<meta name=…>`` among ``names`` (case-insensitive)."""
    wanted = {n.lower() for n in names}
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or "").strip().lower()
        if name in wanted and name not in found:
            content = normalize_space(el.get("content") or "")
            if content:
                found[name] = content
    for name in names:
        if name.lower() in found:
            return found[name.lower()]
    return None


def enp_property(markup: str, field: str) -> str | None:
    """A field of a Founder ENP ``<!--enpproperty <title>…</title>…/enpproperty-->`` comment."""
    match = _ENP_RE.search(markup)
    if not match:
        return None
    value = re.search(rf"<{field}>(.*?)</{field}>", match.group(1), re.S)
    return normalize_space(value.group(1)) if value and value.group(1).strip() else None


def visible_published(lines: list[str]) -> str | None:
    for line in lines:
        match = _VISIBLE_DATE_RE.search(line)
        if match and len(line) <= 200:
            return iso_date(match.group(1) or match.group(2))
    return None


def visible_source(lines: list[str]) -> str | None:
    for line in lines:
        if len(line) > 200:
            continue
        match = _VISIBLE_SOURCE_RE.search(line)
        if match:
            value = match.group(1).strip(" ：:")
            if value:
                return value
    return None


def url_date(url: str | None) -> str | None:
    if not url:
        return None
    for regex in _URL_DATE_RES:
        match = regex.search(url)
        if match:
            return iso_date("-".join(match.groups()))
    return None


def page_title(root: _Element) -> str | None:
    """``<h1>`` text, else ``<title>`` with its " - 站点名" / "_栏目" suffixes removed."""
    for h1 in root.iter("h1"):
        text = normalize_space("".join(h1.itertext()))
        if len(text) >= 4:
            return text
    for title in root.iter("title"):
        text = normalize_space("".join(title.itertext()))
        if text:
            parts = [p for p in _TITLE_SPLIT_RE.split(text) if p]
            return max(parts, key=len) if parts else text
    return None


DUMP_LABELS = ("标题", "发布时间", "发布日期", "文号", "发布机构", "栏目", "原文链接", "来源", "本地目录", "索引号")
_DUMP_LABEL_RE = re.compile(rf"^\s*({'|'.join(DUMP_LABELS)})\s*[:：]\s*(.*)$")
_DUMP_RULE_RE = re.compile(r"^\s*[=＝\-—*#]{3,}.{0,10}[=＝\-—*#]{3,}\s*$|^\s*[=＝\-—*#]{3,}\s*$")
MAX_DUMP_HEADER = 14


def dump_header(blocks: list) -> tuple[dict[str, str], list]:
    """The header of a crawler's text dump (``标题: …``, ``发布时间: …``, ``原文链接: …`` lines at the
    top, up to a ``==== 正文 ====`` rule when there is one) as metadata, and the blocks after it.

    A document that does not open with such label lines is returned as it is.
    """
    fields: dict[str, str] = {}
    end = 0
    for index, block in enumerate(blocks[:MAX_DUMP_HEADER]):
        if not isinstance(block, str):
            break
        match = _DUMP_LABEL_RE.match(block)
        if match:
            fields.setdefault(match.group(1), match.group(2).strip())
            end = index + 1
        elif _DUMP_RULE_RE.match(block) and fields:
            return _filled_fields(fields), blocks[index + 1 :]
        elif block.strip() and not fields:
            return {}, blocks
    if len(fields) < 2:
        return {}, blocks
    return _filled_fields(fields), blocks[end:]


def _filled_fields(fields: dict[str, str]) -> dict[str, str]:
    return {label: value for label, value in fields.items() if value}
