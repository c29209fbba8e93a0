"""Line-level cleaning: what survives in the body as text lines after the DOM work, and what
arrives as text (pasted pages, PDF or Word text layers).

Every rule looks at one normalized line and decides "chrome" or "body". Rules are anchored (a
label at the start of a short line) or keyed on footer numbers (``ICP备…号``, ``公网安备…``,
``网站标识码…``) that report prose never carries, so a report's own contact paragraph
(地址/邮编/联系电话) and its signature (organ + date) are never taken for chrome.
"""

from __future__ import annotations

import re

from pipelines.cleaning.meta import dump_header
from pipelines.document import Block, Table, normalize_space

#: Strings that must never reach ``text`` (the acceptance list of issue 4).
CHROME_STRINGS = (
    "ICP备", "公网安备", "网站标识码", "主办单位", "网站地图", "分辨率", "打印本页", "关闭窗口",
    "当前位置", "字号", "分享到", "扫一扫", "上一篇", "下一篇", "发布日期", "来源：", "责任编辑",
)

SHORT = 120
_LEAD = r"^[\s\(\)（）【】\[\]<>《》·•*※>＞|｜:：,，.。-]*"

# Footer tokens carrying a registration number: never part of report prose.
_STRONG_RE = re.compile(
    r"ICP\s*备\s*(?:案\s*(?:序\s*号|编\s*号)?\s*[:：]?)?\s*[\u4e00-\u9fa5]?\s*\d"
    r"|[\u4e00-\u9fa5]{1,2}\s*公\s*网?\s*安\s*备\s*[:：]?\s*\d"
    r"|网站标识码\s*[:：]?\s*(?:bm)?\s*\d"
    r"|\d{3,4}\s*[×xX*＊]\s*\d{3,4}\s*分辨率"
    r"|Copyright\s*(?:©|\(c\)|\d)|All\s+Rights\s+Reserved|版权所有\s*[:：©]"
    r"|bszs\.conac\.cn|beian\.miit\.gov\.cn|beian\.gov\.cn",
    re.IGNORECASE,
)
#: Each alternative of ``_STRONG_RE`` holds one of these (``g`` of Copyright and Rights has no other case form).
_STRONG_CHARS = ("备", "码", "率", "权", ".", "g", "G")


def _strong_footer(line: str) -> bool:
    """``_STRONG_RE`` found in ``line``; most prose lines are let go by the characters every match needs."""
    for ch in _STRONG_CHARS:
        if ch in line:
            return bool(_STRONG_RE.search(line))
    return False


# Where a footer starts inside a long merged line (cut there, keep what precedes).
_FOOTER_START_RE = re.compile(
    r"(?:主\s*办|承\s*办|协\s*办)(?:\s*单\s*位)?\s*[:：]"
    r"|技术支持\s*[:：]|版权所有|Copyright|网站标识码|[\u4e00-\u9fa5]ICP\s*备|[\u4e00-\u9fa5]{1,2}公网?安备"
    r"|\*?建议使用.{0,20}分辨率",
    re.IGNORECASE,
)
# A label that opens a chrome line (only short lines are judged by it).
_LABEL_LINE_RE = re.compile(
    _LEAD
    + r"(?:主\s*办|承\s*办|协\s*办|技术支持|技术服务|运行维护|运维保障|网站维护|维护)(?:\s*单\s*位)?\s*[:：]"
    r"|" + _LEAD + r"(?:您?当前(?:所在)?的?位置|您的位置|所在位置|当前栏目)\s*(?:[:：>＞»]|$)"
    r"|" + _LEAD + r"(?:发布|更新|上传|生成|录入|印发)(?:日期|时间)\s*[:：]"
    r"|" + _LEAD + r"(?:信息|文章|稿件|内容|新闻)?来\s*源\s*[:：]"
    r"|" + _LEAD + r"(?:责任)?编\s*辑\s*[:：]|" + _LEAD + r"(?:审核|校对|作者|撰稿|摄影|录入|供稿|签发)\s*[:：]"
    r"|" + _LEAD + r"(?:浏览|点击|访问|阅读|累计)(?:次数|量|数|率)\s*(?:[:：]|$)"
    r"|" + _LEAD + r"(?:字号|字体|字体大小|视力保护色|阅读模式)\s*(?:[:：【\[]|$)"
    r"|" + _LEAD + r"(?:日\s*期|时\s*间)\s*[:：]\s*\d{4}"
    r"|" + _LEAD + r"(?:索\s*引\s*号|发布机构|发文机关|发文机构|公开方式|公开时限|公开范围|成文日期|发文字号|主题分类|"
    r"组配分类|有\s*效\s*性)\s*[:：]"
    r"|" + _LEAD + r"(?:分享|分享到|打印|关闭|收藏|下载)\s*[:：]",
    re.IGNORECASE,
)
# Tool words and widget captions that only chrome lines carry.
_TOOL_RE = re.compile(
    r"打印本页|打印此页|打印此文|打印该页|打印文章|关闭窗口|关闭本页|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]"
    r"|\[\s*关闭\s*\]|【\s*收藏\s*】|【\s*大\s*】|\[\s*大\s*\]|【\s*大\s*中\s*小\s*】|\[\s*大\s*中\s*小\s*\]"
    r"|分享到|上一篇|下一篇|上一条|下一条|返回顶部|回到顶部|责任编辑|无障碍浏览|当前位置"
    r"|javascript:|window\.print|window\.close",
    re.IGNORECASE,
)
# Widget words that a report sentence could also use ("优化网站地图"): chrome only in a caption,
# i.e. a short line that is not a sentence.
_CAPTION_RE = re.compile(
    r"网站地图|站点地图|扫一扫|扫描二维码|手机扫|加入收藏|设为首页|网站纠错|我要纠错|ICP\s*备|公网安备|网站标识码"
    r"|分辨率.{0,30}浏览器|浏览器.{0,30}分辨率|违法和不良信息举报"
)
_SENTENCE_RE = re.compile(r"[。；;，,]")
_NAV_WORDS = frozenset(
    "首页 网站首页 网站地图 站点地图 网站声明 联系我们 关于我们 关于本网 网站导航 设为首页 加入收藏 无障碍 关怀版 长者模式 "
    "English EN 简 繁 简体 繁体 登录 注册 退出 个人中心 邮箱 相关链接 相关稿件 相关文件 相关附件 相关新闻 相关阅读 "
    "分享 打印 关闭 收藏 大 中 小 默认 超大 [大] [中] [小] 返回 返回顶部 顶部 纠错 网站纠错 手机版 电脑版 客户端 "
    "小程序 微博 微信 官方微信 官方微博 新媒体矩阵 X 政府网站 部门网站 | > ＞ »".split()
)
_DATETIME_RE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?$")
_PAGE_NUMBER_RES = (
    re.compile(r"^[-—–－−]{1,2}\s*\d{1,4}\s*[-—–－−]{1,2}$"),
    re.compile(r"^第\s*\d{1,4}\s*页\s*[,，/、]?\s*(?:共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
)
_SIGNATURE_DATE_RE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九○Ｏ0]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日$")
_CONTACT_RE = re.compile(r"地\s*址|邮\s*编|邮政编码|电\s*话|传\s*真|E-?mail|网\s*址|热线", re.IGNORECASE)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def is_page_furniture(line: str) -> bool:
    """A PDF page number line: ``- 3 -``, ``第 3 页 共 6 页``, ``Page 3 of 6``."""
    return any(regex.match(line) for regex in _PAGE_NUMBER_RES)


def _is_nav_line(line: str) -> bool:
    tokens = [t for t in re.split(r"[\s|｜/]+", line) if t]
    if not tokens or not all(t in _NAV_WORDS for t in tokens):
        return False
    # A lone one-character line ("中") can be a wrapped table cell from a PDF, not a toolbar.
    return len(tokens) >= 2 or len(tokens[0]) >= 2


def is_chrome_line(line: str) -> bool:
    """True when a (normalized) line is site chrome: footer, breadcrumb, tools, date/source."""
    if not line:
        return False
    if len(line) > 300:
        return False  # a long line is prose; a footer merged into it is cut by cut_footer
    if _strong_footer(line):
        return True
    if len(line) <= SHORT:
        if _LABEL_LINE_RE.match(line) or _TOOL_RE.search(line):
            return True
        if _DATETIME_RE.match(line) or _is_nav_line(line):
            return True
        if _CAPTION_RE.search(line) and not _SENTENCE_RE.search(line):
            return True
    return False


def is_footer_line(line: str) -> bool:
    """A site footer line (ICP/公安 registration, 主办单位:, 版权所有, 技术支持:, resolution advice):
    the one footer vocabulary of cleaning and parsing (the parser stops a document's text there)."""
    return bool(_strong_footer(line) or _FOOTER_START_RE.match(line))


def cut_footer(line: str) -> str:
    """A long line that ends in a merged footer keeps only what precedes the footer."""
    if len(line) > 300 and _strong_footer(line):
        match = _FOOTER_START_RE.search(line)
        if match and match.start() > 0:
            return line[: match.start()].rstrip()
    return line


def _running_headers(lines: list[str]) -> set[int]:
    """Indexes of repeated page headers: a line of 8+ characters seen 3+ times, far apart.

    Only looked for in paged text (page numbers or form feeds seen). The first occurrence stays
    (it is the document's own title when the header repeats it).
    """
    positions: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line) >= 8 and _CJK_RE.search(line) and len(line) <= 60:
            positions.setdefault(line, []).append(i)
    drop: set[int] = set()
    for where in positions.values():
        if len(where) >= 3 and all(b - a >= 5 for a, b in zip(where, where[1:])):
            drop.update(where[1:])
    return drop


def _tail_footer(lines: list[str], keep: list[bool]) -> None:
    """After the signature date, short contact lines (地址/邮编/电话) belong to the site footer."""
    last_date = None
    for i, line in enumerate(lines):
        if keep[i] and _SIGNATURE_DATE_RE.match(line):
            last_date = i
    if last_date is None:
        return
    tail = [i for i in range(last_date + 1, len(lines)) if keep[i] and lines[i]]
    if tail and len(tail) <= 8 and all(len(lines[i]) <= SHORT for i in tail):
        for i in tail:
            if _CONTACT_RE.search(lines[i]) or _is_nav_line(lines[i]):
                keep[i] = False


def _table_is_chrome(table: Table) -> bool:
    """A table all of whose cells are chrome (a footer or nav laid out as a table)."""
    seen = False
    for row in table.own_rows():
        for cell in row:
            cell = normalize_space(cell)
            if not cell:
                continue
            if not (is_chrome_line(cell) or _is_nav_line(cell)):
                return False
            seen = True
    return seen


def _keep_mask(blocks: list[Block], paged: bool = False) -> list[bool]:
    lines = [normalize_space(b) if isinstance(b, str) else "" for b in blocks]
    keep = [True] * len(blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            keep[i] = not _table_is_chrome(block)
        elif lines[i] and is_page_furniture(lines[i]):
            keep[i] = False
            paged = True
        elif lines[i] and is_chrome_line(lines[i]):
            keep[i] = False
    paged = paged or any(isinstance(b, str) and "\f" in b for b in blocks)
    if paged:  # running headers exist only where there are pages (PDF/Word text)
        for i in _running_headers(lines):
            keep[i] = False
    _tail_footer(lines, keep)
    return keep


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Drop chrome paragraphs (and all-chrome tables) from blocks; data tables stay intact.

    A text dump's header (``标题: …``/``发布时间: …`` lines at the top) is metadata, not chrome: it
    is kept for the parser to read.
    """
    header = len(blocks) - len(dump_header(blocks)[1])
    if header:
        return blocks[:header] + clean_blocks(blocks[header:])
    keep = _keep_mask(blocks)
    out: list[Block] = []
    for block, kept in zip(blocks, keep):
        if kept:
            out.append(cut_footer(block) if isinstance(block, str) else block)
    return out


def clean_text(text: str) -> str:
    """Text-level cleaner for text sources: drop footer/chrome lines and PDF page furniture.

    Form feeds count as line breaks. Kept lines come back unchanged (tabs and indentation stay,
    so text tables survive); trailing blank lines go.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    keep = _keep_mask(raw, paged="\f" in text)
    lines = [cut_footer(line) for line, kept in zip(raw, keep) if kept]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
