"""pipelines.cleaning.clean_text / clean_blocks: footer lines and PDF furniture go, report stays."""

from __future__ import annotations

import pytest

from pipelines.cleaning import clean_blocks, clean_text, is_chrome_line
from pipelines.document import Table

OPENING = "本报告依据《条例》编制。如有疑问请联系本机关办公室（地址：诺敏镇中央街1号，电话：0470-5946089，邮编：165474）"
BODY = [OPENING, "一、总体情况", "全年主动公开政府信息120条。", "六、其他需要报告的事项", "无。", "诺敏镇人民政府", "2023年1月12日"]


@pytest.mark.parametrize(
    "line",
    [
        "蒙ICP备05002999号-1",
        "ICP备案序号：京ICP备19014909号",
        "蒙公网安备 15072302000148号",
        "沪公安备：31010102045442号",
        "政府网站标识码:1507230001",
        "网站标识码 bm36000005",
        "主办:鄂伦春自治旗人民政府 承办:政务服务与数据管理局 联系电话:0470-5625107 邮编:165450 站点地图",
        "主办单位：天津市人民政府办公厅 承办单位：天津市信息中心",
        "承办：船山区人民政府办公室 (0825-2224737)",
        "技术支持：某某科技有限公司",
        "版权所有：某某县人民政府",
        "Copyright © 2023 All Rights Reserved",
        "*建议使用1366×768分辨率 IE9.0以上版本浏览器",
        "使用大于1366*768分辨率/IE10.0或以上浏览器",
        "网站地图",
        "ICP备案编号 公网安备编号",
        "首页 | 网站地图 | 网站声明 | 联系我们",
        "当前位置：首页 > 政务公开 > 政府信息公开年报",
        "您当前所在的位置：首页 > 年报",
        "发布日期：2023-01-17 信息来源：某某局 浏览次数：12",
        "发布时间：2021-11-02 09:08 来源：中国政府网 作者：",
        "来源：新华社",
        "（责任编辑：周雁）",
        "字号：[ 大 中 小 ]",
        "【打印本页】【关闭窗口】",
        "分享到：",
        "扫一扫在手机打开当前页",
        "上一篇：关于某某的通知",
        "下一篇：没有了",
        "返回顶部",
        "2023-12-01 14:43",
        "发布机构：某县人民政府 发布日期：2023-01-17",
        "索 引 号：002599101/2023-00012",
    ],
)
def test_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        OPENING,
        "诺敏镇人民政府",
        "2023年1月12日",
        "一、总体情况",
        "（一）主动公开",
        "联系电话：0470-5946089",
        "为方便群众获取信息，我们优化了网站地图和栏目导航，提升了检索功能。",
        "0",
        "第二十条第（一）项",
        "三、本年度办理结果\t（一）予以公开\t5\t1\t6",
        "字体、字号统一规范，版式整齐。",
        "访问量达到12万人次。",
        "全面规范网站页脚，在底部统一标注网站标识码、ICP备案编号和公网安备编号。",
        "门户网站完成适老化改造，页面适配不同分辨率的浏览器和移动终端。",
        "来源于群众的意见建议全部办结。",
    ],
)
def test_body_lines_are_not_chrome(line):
    assert not is_chrome_line(line)


def test_pasted_portal_footer_is_cut_after_the_signature():
    footer = [
        "主办:鄂伦春自治旗人民政府 承办:鄂伦春自治旗政务服务与数据管理局 联系电话:0470-5625107 邮编:165450 站点地图",
        "蒙ICP备05002999号-1 蒙公网安备 15072302000148号 政府网站标识码:1507230001",
        "*建议使用1366×768分辨率 IE9.0以上版本浏览器",
    ]
    assert clean_text("\n".join(BODY + footer)) == "\n".join(BODY)


def test_contact_lines_after_the_signature_are_footer_but_the_opening_contact_stays():
    text = clean_text("\n".join(BODY + ["地址：诺敏镇中央街1号 邮编：165474", "联系电话：0470-5625107"]))
    assert text == "\n".join(BODY)


def test_pdf_page_numbers_go():
    pages = ["一、总体情况", "- 1 -", "全年主动公开政府信息120条。", "— 2 —", "第 3 页 共 6 页", "共6页 第4页", "Page 5 of 6", "无。"]
    assert clean_text("\n".join(pages)).split("\n") == ["一、总体情况", "全年主动公开政府信息120条。", "无。"]


def test_running_header_repeated_on_every_page_goes_but_its_first_occurrence_stays():
    header = "某某县人民政府2023年政府信息公开工作年度报告"
    lines = [header]
    for page in range(4):
        lines += [f"第{page}页正文甲。", f"第{page}页正文乙。", f"第{page}页正文丙。", f"第{page}页正文丁。", "\f" + header]
    out = clean_text("\n".join(lines)).split("\n")
    assert out.count(header) == 1 and out[0] == header
    assert "第3页正文丁。" in out


def test_form_feed_splits_pages():
    assert clean_text("正文一\f- 2 -\f正文二") == "正文一\n正文二"


def test_text_tables_keep_their_tabs_and_bare_numbers():
    table = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\t\n规章\t0\t0\t0\n5\n0"
    assert clean_text(table) == table


def test_clean_blocks_keeps_data_tables_and_drops_chrome_tables():
    data = Table(cells=[["第二十条第（一）项", "第二十条第（一）项"], ["规章", "0"]], copied=[[False, True], [False, False]])
    chrome = Table(cells=[["【打印本页】", "【关闭窗口】"]])
    blocks = clean_blocks(["一、总体情况", data, "发布日期：2023-01-01", chrome, "无。"])
    assert blocks == ["一、总体情况", data, "无。"]


def test_long_line_ending_in_a_merged_footer_keeps_the_body_part():
    body = "全年主动公开政府信息120条，" * 25
    merged = body + "主办单位：某某县人民政府 某ICP备05012345号 政府网站标识码：1234567890"
    assert clean_text(merged) == body


def test_lone_punctuation_or_character_from_a_pdf_line_wrap_stays():
    text = "依申请公开\n、\n中\n政府信息管理"
    assert clean_text(text) == text


def test_repeated_lines_without_pages_are_body():
    line = "本年度未收取信息处理费，无其他需要报告的事项。"
    lines = []
    for i in range(3):
        lines += [line, f"第{i}段正文甲。", f"第{i}段正文乙。", f"第{i}段正文丙。", f"第{i}段正文丁。", f"第{i}段正文戊。"]
    assert clean_text("\n".join(lines)).count(line) == 3


def test_the_strong_footer_test_lets_go_only_lines_the_footer_pattern_cannot_match():
    import re
    import sys

    from pipelines.cleaning.lines import _STRONG_CHARS, _STRONG_RE, _strong_footer

    assert {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch("g", chr(c), re.IGNORECASE)} <= set(_STRONG_CHARS)
    lines = (
        "京ICP备05012345号", "京公网安备 11010502030143号", "网站标识码：bm01000001", "1024×768分辨率", "Copyright © 2023",
        "ALL RIGHTS RESERVED", "版权所有：某县人民政府", "bszs.conac.cn", "BEIAN.MIIT.GOV.CN", "本年度共受理申请12件，办结率100%。",
        "一、总体情况", "依法保障公民、法人和其他组织的知情权", "CoPyRiGhT 2020", "",
    )
    for line in lines:
        assert _strong_footer(line) == bool(_STRONG_RE.search(line)), line
