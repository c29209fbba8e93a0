"""pipelines.cleaning.clean_page: body finding, chrome inside the body, page_meta and hints."""

from __future__ import annotations

from pipelines.cleaning import CleanPage, clean_page
from pipelines.document import Table

P1 = "本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限为2023年1月1日至12月31日。"
P2 = "六、其他需要报告的事项：本年度未收取信息处理费，无其他需要报告的事项。"
BODY = f"<p>{P1}</p><p>{P2}</p>"
FOOTER = "<div class='footer'>主办单位：某县人民政府 某ICP备05012345号 政府网站标识码：1234567890</div>"


def _doc(inner: str, head: str = "") -> str:
    return f"<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title>{head}</head><body>{inner}</body></html>"


def test_hanweb_markers_win_over_containers():
    page = clean_page(_doc(f"<div id='zoom'><p>模板里的其他文字内容不属于正文部分。</p><!--<$[信息内容]>begin-->{BODY}<!--<$[信息内容]>end--></div>{FOOTER}"))
    assert page.body_found_by == "marker:hanweb"
    assert page.text == f"{P1}\n{P2}"


def test_contentstart_meta_markers():
    page = clean_page(_doc(f"<div class='x'><meta name='ContentStart'>{BODY}<meta name='ContentEnd'><p>（责任编辑：张三）</p></div>"))
    assert page.body_found_by == "marker:contentstart"
    assert page.text == f"{P1}\n{P2}"


def test_empty_marker_pair_falls_through_to_the_container():
    page = clean_page(_doc(f"<!--<$[信息内容]>begin--><!--<$[信息内容]>end--><div class='TRS_Editor'>{BODY}</div>"))
    assert page.body_found_by == "selector:.TRS_Editor"


def test_container_selected_by_class_token_not_exact_class():
    page = clean_page(_doc(f"<div class='view TRS_UEDITOR trs_paper_default trs_word'>{BODY}</div>{FOOTER}"))
    assert page.body_found_by == "selector:.TRS_UEDITOR"
    assert page.text == f"{P1}\n{P2}"


def test_density_fallback_finds_the_text_block():
    nav = "".join(f"<li><a href='#'>栏目链接名称{i}</a></li>" for i in range(30))
    page = clean_page(_doc(f"<ul class='nav'>{nav}</ul><div class='wzcon'>{BODY}</div>{FOOTER}"))
    assert page.body_found_by == "density"
    assert page.text == f"{P1}\n{P2}"


def test_fragment_is_its_own_body():
    page = clean_page(f"<p>某县2023年政府信息公开工作年度报告</p><p>发布日期：2024-01-20</p>{BODY}")
    assert page.body_found_by == "whole"
    assert page.text.split("\n") == ["某县2023年政府信息公开工作年度报告", P1, P2]
    assert page.hints["published"] == "2024-01-20"
    assert page.hints["title"] == "某县2023年政府信息公开工作年度报告"


def test_scripts_styles_and_js_written_footer_go():
    js = "<script>document.writeln('<p>主办单位：某县 某ICP备05012345号</p>');</script>"
    page = clean_page(_doc(f"<div id='zoom'><style>.TRS_Editor P{{margin:0}}</style>{BODY}{js}<noscript>请开启脚本</noscript></div>"))
    assert page.text == f"{P1}\n{P2}"


def test_widgets_inside_the_body_go():
    widgets = (
        "<div class='bdsharebuttonbox'>分享到：</div><div id='qr_container'>扫一扫在手机打开当前页</div>"
        "<div class='prenext'><a>上一篇：某文</a><a>下一篇：某文</a></div><p class='print'>【打印本页】【关闭窗口】</p>"
    )
    page = clean_page(_doc(f"<div id='detailContent'>{BODY}{widgets}</div>"))
    assert page.text == f"{P1}\n{P2}"


def test_a_body_wrapper_with_a_widget_like_class_is_not_emptied():
    long_body = BODY * 3
    page = clean_page(_doc(f"<div id='content'><div class='print-area'>{long_body}</div></div>"))
    assert page.text.count(P1) == 3


def test_hidden_print_copy_is_read_once():
    page = clean_page(_doc(f"<div id='zoom'>{BODY}<div style='display: none'>{BODY}</div></div><div class='ng-hide'><div id='zoom'>{BODY}</div></div>"))
    assert page.text == f"{P1}\n{P2}"


def test_body_repeated_back_to_back_is_kept_once():
    page = clean_page(_doc(f"<div id='zoom'>{BODY}{BODY}</div>"))
    assert page.text == f"{P1}\n{P2}"
    assert page.warnings


def test_word_paste_head_inside_the_body_gives_no_text():
    paste = ("<meta http-equiv='Content-Type' content='text/html; charset=gb2312'><meta name='ProgId' content='Word.Document'>"
             "<title>文档标题</title><style>p.MsoNormal{font-size:10pt}</style>")
    page = clean_page(_doc(f"<div class='TRS_Editor'>{paste}<p class='MsoNormal'>{P1}</p><p class='MsoNormal'>{P2}</p></div>"))
    assert page.text == f"{P1}\n{P2}"


def test_stray_html_end_tag_in_the_header_keeps_the_body():
    page = clean_page(f"<html><head></head><body><div class='header'>首页</div></html><div id='UCAP-CONTENT'>{BODY}</div>{FOOTER}</body></html>")
    assert page.text == f"{P1}\n{P2}"


def test_tables_stay_as_grids():
    table = "<table><tr><td colspan='2'>第二十条第（一）项</td></tr><tr><td>规章</td><td>0</td></tr></table>"
    page = clean_page(_doc(f"<div id='zoom'>{BODY}{table}</div>"))
    grids = [b for b in page.blocks if isinstance(b, Table)]
    assert grids[0].cells == [["第二十条第（一）项", "第二十条第（一）项"], ["规章", "0"]]
    assert page.text.endswith("第二十条第（一）项\n规章\t0")


def test_page_meta_from_a_label_value_table():
    meta = ("<table><tr><td>索 引 号：</td><td>002599101/2023-00012</td><td>分 类：</td><td>政府信息公开年报</td></tr>"
            "<tr><td>发布机构：</td><td>某县人民政府</td><td>公开方式：</td><td>主动公开</td></tr></table>")
    page = clean_page(_doc(f"{meta}<div id='zoom'>{BODY}</div>"))
    assert page.page_meta == {"索引号": "002599101/2023-00012", "分类": "政府信息公开年报", "发布机构": "某县人民政府", "公开方式": "主动公开"}


def test_page_meta_inside_the_body_is_taken_out_of_the_text():
    meta = "<ul><li>索引号：11370303/2024-00031</li><li>主题分类：综合政务</li><li>发文机构：某县人民政府</li></ul>"
    page = clean_page(_doc(f"<div id='zoom'>{meta}{BODY}</div>"))
    assert page.page_meta == {"索引号": "11370303/2024-00031", "主题分类": "综合政务", "发文机构": "某县人民政府"}
    assert page.text == f"{P1}\n{P2}"


def test_page_meta_on_one_line():
    page = clean_page(_doc(f"<p>索引号：014416330/2018-04736 分类：政府信息公开年报 发布机构：某县</p><div id='zoom'>{BODY}</div>"))
    assert page.page_meta == {"索引号": "014416330/2018-04736", "分类": "政府信息公开年报", "发布机构": "某县"}


def test_no_meta_block_gives_an_empty_dict():
    assert clean_page(_doc(f"<div id='zoom'>{BODY}</div>")).page_meta == {}


def test_hints_prefer_meta_tags():
    head = "<meta name='ArticleTitle' content='标签标题'><meta name='PubDate' content='2024-01-18 10:21'><meta name='ContentSource' content='某县办公室'>"
    page = clean_page(_doc(f"<div class='info'>发布日期：2024-01-01 来源：别处</div><div id='zoom'>{BODY}</div>", head))
    assert page.hints == {"title": "标签标题", "published": "2024-01-18", "source": "某县办公室"}


def test_hints_from_visible_lines_then_url():
    page = clean_page(_doc(f"<h1>某县2023年政府信息公开工作年度报告</h1><div class='info'>发布时间：2024-1-5 09:08 来源：某县政府办 作者：</div><div id='zoom'>{BODY}</div>"))
    assert page.hints == {"title": "某县2023年政府信息公开工作年度报告", "published": "2024-01-05", "source": "某县政府办"}
    bare = clean_page(_doc(f"<div id='zoom'>{BODY}</div>"), url="http://x.gov.cn/zfxxgknb/202301/t20230117_3105437.html")
    assert bare.hints["published"] == "2023-01-17"
    assert bare.hints["title"] == "某县2023年政府信息公开工作年度报告"


def test_bad_input_gives_an_empty_page_with_a_warning():
    for markup in (b"", "   ", "<html><body><div></div></body></html>", b"\x00\x01\x02"):
        page = clean_page(markup)
        assert isinstance(page, CleanPage)
        assert page.text == "" and page.blocks == []
        assert "body_missing: no body text found" in page.warnings


def test_gbk_bytes_are_decoded():
    data = _doc(f"<meta charset='gbk'><div id='zoom'>{BODY}</div>").encode("gb18030")
    assert clean_page(data).text == f"{P1}\n{P2}"


def test_truncated_pages_never_raise():
    from tests.helpers import FIXTURES

    for path in sorted((FIXTURES / "cleaning").glob("*.html"))[:12]:
        data = path.read_bytes()
        for cut in (1, len(data) // 3, len(data) // 2, len(data) - 7):
            page = clean_page(data[:cut])
            assert isinstance(page.text, str)


def test_density_fallback_takes_a_br_separated_text_cell_without_the_side_column():
    cell = f"{P1}<br>{P2}<br>二、主动公开政府信息情况，全年公开信息一百二十条，其中规范性文件三件。"
    side = "".join(f"<p><a href='#'>相关栏目链接{i}</a></p>" for i in range(8))
    page = clean_page(_doc(f"<table><tr><td class='side'>{side}</td><td><div class='ti'>标题</div><div>{cell}</div><div>某县文章相关信息提示文字</div></td></tr></table>"))
    assert page.body_found_by == "density"
    assert [P1, P2] == page.text.split("\n")[1:3]
    assert "相关栏目链接" not in page.text


def test_a_page_wide_content_wrapper_is_not_taken_for_the_body():
    nav = "".join(f"<li><a href='#'>政府信息公开栏目链接{i}</a></li>" for i in range(20))
    page = clean_page(_doc(f"<div id='content'><ul class='menu'>{nav}</ul><div class='wzcon'>{BODY}</div></div>"))
    assert page.body_found_by == "density"
    assert page.text == f"{P1}\n{P2}"


def test_html5lib_reparse_keeps_the_text_and_says_so():
    from pipelines.cleaning.body import _html5_parse, text_of

    warnings: list[str] = []
    root = _html5_parse(f"<html><body><div class='header'>首页</div></html><div id='zoom'>{BODY}</div>", warnings)
    assert P2 in text_of(root)
    assert warnings == ["html_reparsed: lxml lost the page text; re-parsed with html5lib"]


def test_visible_text_and_its_chinese_count_leave_out_scripts_styles_and_what_they_hold():
    from lxml import etree

    from pipelines.cleaning.body import _parse, cjk_count, visible_text

    markup = (
        "<html><head><title>标题不算</title></head><body><div id='a'>正文<!--注释不算--><script>脚本不算</script>一"
        "<noscript><p id='in'>无脚本不算<style>样式</style>也不</p></noscript>二<b>粗体<template>模板</template>算</b>尾</div>"
        "<div id='plain'>只有<i>文字</i>的块</div></body></html>"
    )
    root = _parse(markup)
    by_xpath = etree.XPath(
        "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
        " or ancestor::template or ancestor::title or ancestor::xml)]"
    )
    for el in root.iter():
        expected = "".join(by_xpath(el)) if isinstance(el.tag, str) else ""
        assert visible_text(el) == expected
        assert cjk_count(el) == sum(1 for ch in expected if "\u4e00" <= ch <= "\u9fff")
    assert visible_text(root.find(".//div[@id='a']")) == "正文一二粗体算尾"
    assert cjk_count(root.find(".//p[@id='in']")) == 0


def test_container_tokens_are_looked_for_as_in_the_lowered_markup():
    import sys

    from pipelines.cleaning.body import _LOWER_TO_ASCII, _lowered, _token_in

    lowers_to_ascii = {chr(c) for c in range(128, sys.maxunicode + 1) if any(ord(x) < 128 for x in chr(c).lower())}
    assert lowers_to_ascii == set(_LOWER_TO_ASCII)
    for markup in ("<div id='ZOOM'>正文</div>", "<div class='\u212aZoom'>", "<p>zo\u0130om</p>", "<p>z\ud800oom</p>"):
        for token in ("zoom", "kzoom", "<div"):
            assert _token_in(token, _lowered(markup)) == (token in markup.lower()), (markup, token)


def test_container_selectors_match_as_the_token_xpaths_do():
    from lxml import etree

    from pipelines.cleaning.body import _container_xpath, _parse

    classes = ("TRS_Editor", " x\tTRS_Editor\n", "TRS_EditorX", "a TRS_Editor\u00a0", "trs_editor", "xTRS_Editor y", "TRS_Editor\rz")
    markup = "".join(f"<div class='{c}' id='{c.strip()}'>正文</div>" for c in classes) + "<p class='TRS_Editor'><span id='zoom'>甲</span></p>"
    root = _parse(f"<html><body>{markup}</body></html>")
    by_class = etree.XPath('//*[contains(concat(" ", normalize-space(@class), " "), " TRS_Editor ")]')
    assert _container_xpath("class", "TRS_Editor")(root) == by_class(root)
    assert _container_xpath("id", "zoom")(root) == etree.XPath('//*[@id="zoom"]')(root)
    assert _container_xpath("id", "TRS_Editor")(root) == etree.XPath('//*[@id="TRS_Editor"]')(root)
