"""What the crawler reads off detail pages: attachment links (href not OLDSRC, downfile.jsp,
file_appendix scripts, marked images), titles and dates."""

import pytest

from crawler.detail import find_attachments
from pipelines.cleaning import clean_page
from tests.helpers import DEMO_SITE

BASE = "http://127.0.0.2/xxgk/zfxxgknb/202203/t20220301_1001.html"


def test_trs_attachment_uses_href_not_oldsrc():
    html = '<p class="insertfileTag"><a appendix="true" href="./P020260615382295081505.pdf" OLDSRC="/protect/P0202606/P020260615382295081505.pdf">年报.pdf</a></p>'
    (attachment,) = find_attachments(html, BASE)
    assert attachment == {"url": "http://127.0.0.2/xxgk/zfxxgknb/202203/P020260615382295081505.pdf", "filename": "年报.pdf", "kind": "pdf", "sha256": None}


def test_hanweb_downfile_kind_from_filename_parameter():
    (attachment,) = find_attachments('<a href="/module/download/downfile.jsp?classid=0&filename=2101281530.docx">下载</a>', BASE)
    assert attachment["kind"] == "docx" and attachment["filename"] == "2101281530.docx"


def test_links_inside_file_appendix_script():
    html = "<script>var file_appendix='<a href=\"./P1.xls\">表</a><a href=\"./P2.wps\">文</a>';</script>"
    assert [a["kind"] for a in find_attachments(html, BASE)] == ["xls", "wps"]


def test_pages_and_plain_images_are_not_attachments():
    html = '<a href="./t1.html">上一篇</a><a href="/img/banner.png">图</a><img src="/logo.png">'
    assert find_attachments(html, BASE) == []


def test_image_counts_on_an_attachment_only_page():
    html = '<p>详见附件。</p><a href="/files/demo-table.png">表格</a>'
    assert [a["kind"] for a in find_attachments(html, BASE)] == ["image"]


def test_all_listed_kinds():
    kinds = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd"]
    html = "".join(f'<a href="/f/a.{k}">a</a>' for k in kinds)
    assert [a["kind"] for a in find_attachments(html, BASE)] == kinds


def test_title_and_date_from_page_metadata():
    page = (DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / "202203" / "t20220301_1001.html").read_text(encoding="utf-8")
    hints = clean_page(page).hints  # the strip stage reads them; the spider keeps the list's own
    assert hints["title"] == "演示县人民政府2021年政府信息公开工作年度报告"
    assert hints["published"] == "2022-03-01"


@pytest.mark.parametrize(
    "link",
    [
        '<a href="/files/年报.pdf">附件</a>',
        "<a href=/files/nb.docx>附件</a>",
        "<A HREF='/files/NB.XLSX'>附件</A>",
        '<a href="/files/nb%2Epdf">附件</a>',
        '<a href="/files/nb%2epdf">附件</a>',
        '<a href="/files/nb&#46;pdf">附件</a>',
        '<a href="/files/%E5%B9%B4%E6%8A%A5.pdf">附件</a>',
        '<a href="/downfile.jsp?filename=nb.pdf&fileid=1">附件</a>',
    ],
)
@pytest.mark.parametrize("chrome", ["", '<img src="/images/logo.png"><link href="/css/a.css" rel="stylesheet">'])
def test_every_way_of_writing_a_file_link_is_found(link, chrome):
    page = f"<html><body>{chrome}<div class='TRS_Editor'><p>详见附件</p>{link}</div></body></html>"
    found = find_attachments(page, "http://www.example.gov.cn/xxgk/nb/t1.html")
    assert [a["kind"] for a in found] == ["pdf" if "pdf" in link.lower() else "docx" if "docx" in link else "xlsx"]


def test_a_page_whose_only_images_are_img_tags_has_no_attachment():
    page = '<html><body><img src="/images/logo.png"><a href="/index.html">首页</a><div class="TRS_Editor"><p>正文</p></div></body></html>'
    assert find_attachments(page, "http://www.example.gov.cn/") == []
