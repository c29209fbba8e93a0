"""The real corpus in ../shared: report pages, seed 004's pasted footer, real portal pages.

Skips when ../shared is absent; the copies under tests/fixtures/cleaning keep the labelled
suite meaningful without it.
"""

from __future__ import annotations

import json
import re

import pytest

from pipelines.cleaning import CHROME_STRINGS, clean_page, clean_text
from tests.helpers import FIXTURES, SHARED, requires_shared, shared_path

pytestmark = requires_shared

FOOTER_STRINGS = (
    "ICP备", "公网安备", "网站标识码", "主办单位", "网站地图", "分辨率", "打印本页", "关闭窗口", "当前位置",
    "字号", "分享到", "扫一扫", "上一篇", "下一篇",
)
LIST_PAGES = {"hanweb-sthjt-jiangxi-1", "ucap-jyt-gansu-1"}
DETAIL_PAGES = sorted(
    p.stem for p in (SHARED / "corpus" / "pages").glob("*.html") if p.stem not in LIST_PAGES
) if SHARED.is_dir() else []
REPORT_PAGES = sorted(p.name for p in (SHARED / "corpus").glob("*.html")) if SHARED.is_dir() else []


def _norm(text: str) -> str:
    return re.sub(r"[ \u3000\xa0]+", " ", text).strip()


def _label(name: str) -> dict:
    return json.loads((FIXTURES / "cleaning" / f"real-{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_report_page_has_no_footer_and_keeps_first_and_last_paragraph(name):
    page = clean_page(shared_path("corpus", name).read_bytes())
    assert not [s for s in FOOTER_STRINGS if s in page.text]
    label = _label(name.removesuffix(".html"))
    lines = page.text.split("\n")
    assert _norm(lines[0]) == _norm(label["first"])
    assert _norm(lines[-1]) == _norm(label["last"])


def test_shanghai_date_line_becomes_a_hint_not_text():
    page = clean_page(shared_path("corpus", "shanghai-office-2019.html").read_bytes())
    assert page.hints["published"] == "2020-01-31"
    assert "发布日期" not in page.text
    assert len([b for b in page.blocks if not isinstance(b, str)]) == 3


def test_seed_004_pasted_footer_is_removed_and_report_kept():
    path = next(shared_path("seeds").glob("004_*.txt"))
    raw = path.read_text(encoding="utf-8")
    text = clean_text(raw)
    assert not [s for s in FOOTER_STRINGS + ("主办", "承办", "站点地图") if s in text]
    raw_lines = [line for line in raw.split("\n") if line.strip()]
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[0] == raw_lines[0]
    assert lines[-2:] == ["鄂伦春自治旗诺敏镇人民政府", "2023年1月12日"]
    assert "地址:鄂伦春自治旗诺敏镇中央街1号,电话:0470-5946089,邮编:165474" in text
    assert len(raw_lines) - len(lines) == 3


@pytest.mark.parametrize("path", sorted(p.name for p in (SHARED / "seeds").glob("*.txt")) if SHARED.is_dir() else [])
def test_seed_texts_without_footer_are_unchanged(path):
    if path.startswith("004_"):
        pytest.skip("seed 004 carries a footer")
    raw = shared_path("seeds", path).read_text(encoding="utf-8")
    assert clean_text(raw) == raw.rstrip("\n").rstrip()


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_detail_page_whole_body_kept_without_chrome(name):
    page = clean_page(shared_path("corpus", "pages", f"{name}.html").read_bytes())
    label = _label(name)
    text = _norm(page.text)
    assert not [s for s in CHROME_STRINGS if s in page.text]
    assert text.startswith(_norm(label["first"]))
    assert text.endswith(_norm(label["last"]))
    assert not [p for p in label["paragraphs"] if _norm(p) not in text]


def test_stray_html_end_tag_does_not_lose_the_gov_cn_body():
    page = clean_page(shared_path("corpus", "pages", "ucap-www-gov-cn-1.html").read_bytes())
    assert page.body_found_by == "selector:#UCAP-CONTENT"
    assert "会议决定：批准发行15500亿元特别国债购买外汇" in page.text


def test_cross_family_markers_bound_the_trs_body():
    page = clean_page(shared_path("corpus", "pages", "trs-cmse-1.html").read_bytes())
    assert page.body_found_by.startswith("marker:")
    assert "系统管理员" not in page.text


def test_nested_word_document_and_hidden_copy_read_once():
    page = clean_page(shared_path("corpus", "pages", "unknown-nfra-2.html").read_bytes())
    assert page.text.count("复星联合健康保险股份有限公司及其责任人员") == 1
    assert "Word.Document" not in page.text and "mso-" not in page.text
    assert page.hints["published"] == "2024-07-12"


@pytest.mark.parametrize("name", sorted(p.name for p in (SHARED / "corpus").glob("*.pdf")) if SHARED.is_dir() else [])
def test_pdf_text_loses_only_its_page_numbers(name):
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(shared_path("corpus", name)) as pdf:
        raw = "\f".join(page.extract_text() or "" for page in pdf.pages)
    text = clean_text(raw)
    raw_lines = raw.replace("\f", "\n").split("\n")
    kept = set(text.split("\n"))
    removed = [line for line in raw_lines if line not in kept]
    assert removed and all(re.fullmatch(r"- \d+ -", line) for line in removed)
    assert text.split("\n")[0] == raw_lines[0]
