"""Which list entries are annual reports on government information disclosure, and of which year.

A report title names the disclosure work (政府信息公开 / 政务公开 / 信息公开) and the annual report
(年度报告 / 年报 / 情况的报告); interpretations, guides, rule-of-law reports, budgets, work plans and
notices about reports are not reports even when they quote a report's title.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_DISCLOSURE = re.compile(r"(政府信息公开|政务公开|政务信息公开|信息公开)")
_ANNUAL = re.compile(r"(年度报告|年报|年度工作报告|情况的?报告|公开工作报告)")
_EXCLUDE = re.compile(
    r"(解读|指南|法治政府|法治建设|预算|决算|工作要点|要点|通知|公告|格式|编制|方案|"
    r"目录|清单|征集|培训|会议|图解|一图读懂|答记者问|问答|考核|评估|第三方|统计表|报表|说明)"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")


def normalize_title(title: str) -> str:
    """Collapse whitespace (including U+3000 and nbsp) so labels with inner spaces match."""
    return _SPACE.sub("", title or "")


def is_annual_report(title: str) -> bool:
    """True for the title of an information-disclosure annual report."""
    text = normalize_title(title)
    if not text or _EXCLUDE.search(text):
        return False
    if not _DISCLOSURE.search(text) or not _ANNUAL.search(text):
        return False
    return text.index(_DISCLOSURE.search(text).group(0)) < max(m.end() for m in _ANNUAL.finditer(text))


def title_year(title: str) -> int | None:
    """The year a report title names (the statistics year), or None."""
    years = [int(y) for y in _YEAR.findall(normalize_title(title))]
    return years[0] if years else None
