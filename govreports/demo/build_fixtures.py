"""Write the demo portal's pages (``govreports/demo/site/``) and their expected values.

Run ``python -m govreports.demo.build_fixtures`` after changing a report below; the files it writes
are committed, so the portal and the tests read plain fixture files. Each report's tables hold
known, distinct numbers that satisfy the consistency rules; ``expected.json`` records them per
report URL path (host-independent: ``site`` + ``path``).
"""

from __future__ import annotations

import json
import shutil
from html import escape
from pathlib import Path

from govreports.demo.build_homes import build_homes

ROOT = Path(__file__).resolve().parent / "site"
DOCUMENTS = json.loads((ROOT.parent / "files" / "expected.json").read_text(encoding="utf-8"))


def document_report(name: str) -> dict:
    """Organ, year, format and tables of an attachment fixture (``govreports/demo/files/``, copies of test attachments)."""
    document = DOCUMENTS[name]
    return {key: document[key] for key in ("organ", "year", "format", "active", "requests", "review_litigation")}

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
REQUEST_ROWS_2021 = [
    ("granted", "（一）予以公开", None),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("withheld_state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("withheld_security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("withheld_third_party", "4.保护第三方合法权益", "（三）不予公开"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ("withheld_process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ("withheld_enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("withheld_query_matter", "8.属于行政查询事项", "（三）不予公开"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("not_processed_petition", "1.信访举报投诉类申请", "（五）不予处理"),
    ("not_processed_repeat", "2.重复申请", "（五）不予处理"),
    ("not_processed_publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("not_processed_excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other_other", "3.其他", "（六）其他处理"),
]
REQUEST_ROWS_2019 = REQUEST_ROWS_2021[:18] + [("other", "（六）其他处理", None)]


def request_numbers(k: int, fmt: str) -> dict:
    """Consistent, distinct numbers for report number ``k``: rules 1-3 hold in every column."""
    rows = REQUEST_ROWS_2021 if fmt == "2021" else REQUEST_ROWS_2019
    table: dict[str, dict] = {key: {} for key in ["new", "carried_over"] + [r[0] for r in rows] + ["total", "carried_forward"]}
    for c, column in enumerate(APPLICANTS):
        new = 10 * k + 3 * c + 5
        carried = (k + c) % 3
        forward = 1 if c == 0 else 0
        partial, not_held, repeat = 1 + c % 2, 1, c % 2
        total = new + carried - forward
        granted = total - partial - not_held - repeat
        values = {key: 0 for key in table}
        values.update(new=new, carried_over=carried, granted=granted, partially_granted=partial,
                      unavailable_not_held=not_held, not_processed_repeat=repeat, total=total, carried_forward=forward)
        for key in table:
            table[key][column] = values[key]
    for row in table.values():
        row["total"] = sum(row[c] for c in APPLICANTS)
    return table


def active_numbers(k: int, fmt: str) -> dict:
    if fmt == "2021":
        return {
            "rules": {"issued": k, "repealed": 0, "in_force": 3 + k},
            "normative_documents": {"issued": 4 + k, "repealed": 1, "in_force": 20 + k},
            "licensing": {"decisions": 100 + 7 * k},
            "punishment": {"decisions": 30 + k},
            "enforcement": {"decisions": 2 + k},
            "fees": {"amount": round(12.5 + k, 2)},
        }
    return {
        "rules": {"new": 1, "published": 1, "total_published": 6},
        "normative_documents": {"new": 5 + k, "published": 5 + k, "total_published": 41},
        "licensing": {"previous_year_items": 88, "change": -2, "decisions": 240 + k},
        "other_services": {"previous_year_items": 12, "change": 1, "decisions": 19},
        "punishment": {"previous_year_items": 40, "change": 3, "decisions": 57},
        "enforcement": {"previous_year_items": 9, "change": 0, "decisions": 4},
        "fees": {"previous_year_items": 3, "change": -1},
        "procurement": {"items": 7, "amount": 251.5},
    }


def review_numbers(k: int) -> dict:
    return {
        "review": {"upheld": k + 1, "corrected": 1, "other": 0, "pending": 1, "total": k + 3},
        "litigation_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": k % 2, "total": 1 + k % 2},
        "litigation_after_review": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
    }


def td(value, **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<td{extra}>{escape(str(value))}</td>"


def active_table(active: dict, fmt: str) -> str:
    if fmt == "2021":
        rows = [
            "<tr>" + td("第二十条第（一）项", colspan=4) + "</tr>",
            "<tr>" + td("信息内容") + td("本年制发件数") + td("本年废止件数") + td("现行有效件数") + "</tr>",
        ]
        for key, label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
            v = active[key]
            rows.append("<tr>" + td(label) + td(v["issued"]) + td(v["repealed"]) + td(v["in_force"]) + "</tr>")
        for item, blocks in (("（五）", [("licensing", "行政许可")]), ("（六）", [("punishment", "行政处罚"), ("enforcement", "行政强制")])):
            rows.append("<tr>" + td(f"第二十条第{item}项", colspan=4) + "</tr>")
            rows.append("<tr>" + td("信息内容") + td("本年处理决定数量", colspan=3) + "</tr>")
            for key, label in blocks:
                rows.append("<tr>" + td(label) + td(active[key]["decisions"], colspan=3) + "</tr>")
        rows.append("<tr>" + td("第二十条第（八）项", colspan=4) + "</tr>")
        rows.append("<tr>" + td("信息内容") + td("本年收费金额（单位：万元）", colspan=3) + "</tr>")
        rows.append("<tr>" + td("行政事业性收费") + td(active["fees"]["amount"], colspan=3) + "</tr>")
        return "<table border=\"1\">" + "".join(rows) + "</table>"
    rows = [
        "<tr>" + td("第二十条第（一）项", colspan=4) + "</tr>",
        "<tr>" + td("信息内容") + td("本年新制作数量") + td("本年新公开数量") + td("对外公开总数量") + "</tr>",
    ]
    for key, label in (("rules", "规章"), ("normative_documents", "规范性文件")):
        v = active[key]
        rows.append("<tr>" + td(label) + td(v["new"]) + td(v["published"]) + td(v["total_published"]) + "</tr>")
    for item, blocks in (("（五）", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
                         ("（六）", [("punishment", "行政处罚"), ("enforcement", "行政强制")])):
        rows.append("<tr>" + td(f"第二十条第{item}项", colspan=4) + "</tr>")
        rows.append("<tr>" + td("信息内容") + td("上一年项目数量") + td("本年增/减") + td("处理决定数量") + "</tr>")
        for key, label in blocks:
            v = active[key]
            rows.append("<tr>" + td(label) + td(v["previous_year_items"]) + td(v["change"]) + td(v["decisions"]) + "</tr>")
    rows.append("<tr>" + td("第二十条第（八）项", colspan=4) + "</tr>")
    rows.append("<tr>" + td("信息内容") + td("上一年项目数量") + td("本年增/减", colspan=2) + "</tr>")
    fees = active["fees"]
    rows.append("<tr>" + td("行政事业性收费") + td(fees["previous_year_items"]) + td(fees["change"], colspan=2) + "</tr>")
    rows.append("<tr>" + td("第二十条第（九）项", colspan=4) + "</tr>")
    rows.append("<tr>" + td("信息内容") + td("采购项目数量") + td("采购总金额", colspan=2) + "</tr>")
    proc = active["procurement"]
    rows.append("<tr>" + td("政府集中采购") + td(proc["items"]) + td(proc["amount"], colspan=2) + "</tr>")
    return "<table border=\"1\">" + "".join(rows) + "</table>"


def requests_table(req: dict, fmt: str) -> str:
    rows_spec = REQUEST_ROWS_2021 if fmt == "2021" else REQUEST_ROWS_2019
    cols = APPLICANTS + ("total",)

    def cells(key):
        return "".join(td(req[key][c]) for c in cols)

    head = (
        "<tr>" + td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3)
        + td("申请人情况", colspan=7) + "</tr>"
        + "<tr>" + td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2) + "</tr>"
        + "<tr>" + td("商业企业") + td("科研机构") + td("社会公益组织") + td("法律服务机构") + td("其他") + "</tr>"
    )
    body = [
        "<tr>" + td("一、本年新收政府信息公开申请数量", colspan=3) + cells("new") + "</tr>",
        "<tr>" + td("二、上年结转政府信息公开申请数量", colspan=3) + cells("carried_over") + "</tr>",
    ]
    group_sizes: dict[str, int] = {}
    for _, _, group in rows_spec:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    result_rows = len(rows_spec) + 1
    seen_groups: set[str] = set()
    for index, (key, label, group) in enumerate(rows_spec):
        lead = td("三、本年度办理结果", rowspan=result_rows) if index == 0 else ""
        if group is None:
            body.append("<tr>" + lead + td(label, colspan=2) + cells(key) + "</tr>")
        else:
            group_cell = td(group, rowspan=group_sizes[group]) if group not in seen_groups else ""
            seen_groups.add(group)
            body.append("<tr>" + lead + group_cell + td(label) + cells(key) + "</tr>")
    body.append("<tr>" + td("（七）总计", colspan=2) + cells("total") + "</tr>")
    body.append("<tr>" + td("四、结转下年度继续办理", colspan=3) + cells("carried_forward") + "</tr>")
    return "<table border=\"1\">" + head + "".join(body) + "</table>"


def review_table(review: dict) -> str:
    keys = ("upheld", "corrected", "other", "pending", "total")
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    head = (
        "<tr>" + td("行政复议", colspan=5) + td("行政诉讼", colspan=10) + "</tr>"
        + "<tr>" + "".join(td(label, rowspan=2) for label in labels) + td("未经复议直接起诉", colspan=5) + td("复议后起诉", colspan=5) + "</tr>"
        + "<tr>" + "".join(td(label) for label in labels) * 2 + "</tr>"
    )
    data = "".join(td(review[g][k]) for g in ("review", "litigation_direct", "litigation_after_review") for k in keys)
    return "<table border=\"1\">" + head + "<tr>" + data + "</tr></table>"


def report_body(org: str, year: int, fmt: str, k: int) -> tuple[str, dict]:
    active, req, review = active_numbers(k, fmt), request_numbers(k, fmt), review_numbers(k)
    paragraphs = [
        f"<p>本报告根据《中华人民共和国政府信息公开条例》编制，由{escape(org)}发布。报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。</p>",
        "<p><strong>一、总体情况</strong></p>",
        f"<p>{year}年，{escape(org)}认真贯彻落实政府信息公开各项要求，主动公开政府信息{50 + k}条。</p>",
        "<p><strong>二、主动公开政府信息情况</strong></p>", active_table(active, fmt),
        "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>", requests_table(req, fmt),
        "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>", review_table(review),
        "<p><strong>五、存在的主要问题及改进情况</strong></p>",
        "<p>信息公开的及时性有待提高。下一步将加强培训，完善制度。</p>",
        "<p><strong>六、其他需要报告的事项</strong></p>",
        f"<p>本年度未收取信息处理费。</p><p style=\"text-align:right\">{escape(org)}</p><p style=\"text-align:right\">{year + 1}年1月20日</p>",
    ]
    values = {"active": active, "requests": req, "review_litigation": review}
    return "\n".join(paragraphs), values


SECTIONS = ["首页", "政务公开", "政务服务", "互动交流", "走进本地", "新闻中心", "政策文件", "政策解读",
            "通知公告", "人事信息", "财政资金", "重点领域", "统计信息", "应急管理", "建议提案", "民生实事"]
RELATED = ["关于印发政务公开工作要点的通知", "政府信息公开指南", "政府信息公开制度", "依申请公开办理流程",
           "法定主动公开内容", "政府信息公开年报", "政策解读专栏", "重大行政决策预公开", "财政预决算公开",
           "建议提案办理结果", "行政执法公示", "双随机一公开", "优化营商环境", "乡村振兴专栏"]


def portal_chrome(title: str, published: str, body_container: str, attachments: str) -> str:
    """A detail page laid out as real county portals are: header, nav, side column, metadata
    block, tools, share and QR widgets, previous/next, related links and a full footer."""
    nav = "".join(f'<li><a href="/col/{i}/index.html">{name}</a></li>' for i, name in enumerate(SECTIONS))
    side = "".join(f'<li><a href="/xxgk/{i}.html" title="{name}">{name}</a></li>' for i, name in enumerate(RELATED))
    related = "".join(f'<li><a href="/art/{i}.html">{name}</a><span>{published}</span></li>' for i, name in enumerate(RELATED[:8]))
    return f"""<div class="top-bar"><span>欢迎访问演示门户</span><a href="/wza/">无障碍</a> | <a href="/ozms/">长者模式</a> | <a href="/en/">English</a></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="演示门户"></div>
<form class="search" action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<div class="main-nav"><ul>{nav}</ul></div>
<div class="container"><div class="left-column"><h3>信息公开目录</h3><ul>{side}</ul></div>
<div class="right-column">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<table class="xxgk-meta"><tr><td>索引号：</td><td>000000000/{published[:4]}-00012</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>演示门户办公室</td><td>发文日期：</td><td>{published}</td></tr>
<tr><td>名称：</td><td colspan="3">{escape(title)}</td></tr></table>
<h1 class="article-title">{escape(title)}</h1>
<div class="article-info">发布日期：{published} 来源：演示门户 浏览次数：<span id="hits">128</span> 字号：[ <a href="#">大</a> <a href="#">中</a> <a href="#">小</a> ]</div>
{body_container}
{attachments}
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div class="qrcode"><img src="/images/qr.png" alt="">扫一扫在手机打开当前页</div>
<div class="prev-next"><p>上一篇：<a href="/art/1.html">关于开展政务公开培训的通知</a></p><p>下一篇：<a href="/art/2.html">政府信息公开指南</a></p></div>
<div class="related"><h3>相关链接</h3><ul>{related}</ul></div>
</div></div>
<div class="footer"><p><a href="/">网站首页</a> | <a href="/sitemap/">网站地图</a> | <a href="/about/">联系我们</a> | <a href="/statement/">网站声明</a></p>
<p>主办单位：演示门户人民政府办公室 承办单位：演示门户大数据中心 联系电话：0000-1234567</p>
<p><a href="https://beian.miit.gov.cn/">黑ICP备00000000号-1</a> <a href="http://www.beian.gov.cn/">黑公网安备 23000002000001号</a> 政府网站标识码：0000000000</p>
<p>建议使用1366×768分辨率 IE9.0以上版本浏览器</p>
<script>document.writeln('<span id="_ideConac"><a href="http://bszs.conac.cn/">党政机关</a></span>');</script></div>
<script src="/js/jquery.min.js"></script><script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); hm.src = "/stat.js"; }})();</script>"""


def detail_page(family: str, title: str, published: str, body: str, charset: str = "utf-8", attachments: str = "") -> str:
    container = {
        "trs": '<div class="TRS_Editor">{}</div>',
        "hanweb": '<div id="zoom"><!--<$[信息内容]>begin-->{}<!--<$[信息内容]>end--></div>',
        "ucap": '<div id="UCAP-CONTENT">{}</div>',
        "generic": '<div class="article-content">{}</div>',
    }[family]
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{escape(title)}_演示门户</title>
<meta name="SiteName" content="演示门户"><meta name="SiteIDCode" content="0000000000">
<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{published} 09:00:00">
<meta name="ContentSource" content="演示门户"><link rel="stylesheet" href="/css/style.css">
<style>.TRS_Editor P{{margin:0;font-size:16px;line-height:2}} .footer{{text-align:center}}</style>
</head><body>
{portal_chrome(title, published, container.format(body), attachments)}
</body></html>
"""


# --- the sites --------------------------------------------------------------------------------

REPORTS: list[dict] = []
NON_REPORTS = ["{y}年政府信息公开工作年度报告解读", "政府信息公开指南", "{y}年法治政府建设年度报告",
               "{y}年部门预算公开", "{y}年政务公开工作要点", "关于做好{y}年政府信息公开工作年度报告编制工作的通知"]


def add_report(site, path, org, year, fmt, family, k, published, attachment=None, charset="utf-8", extra_list_paths=(),
               document=None):
    """One report page; with ``document`` (an attachment fixture) the page only links that file,
    and the report's expected values are the document's own."""
    title = f"{org}{year}年政府信息公开工作年度报告"
    if fmt == "attachment":
        body = f"<p>{escape(org)}{year}年政府信息公开工作年度报告详见附件。</p>"
        values = {}
    else:
        body, values = report_body(org, year, fmt, k)
    links = ""
    if attachment:
        href, name = attachment
        links = f'<p class="insertfileTag">附件：<a appendix="true" href="{escape(href)}" title="{escape(name)}" OLDSRC="/protect/P0000/{escape(name)}">{escape(name)}</a></p>'
    html = detail_page(family, title, published, body, charset, links)
    write(site, path, html, charset)
    cells = {}
    if values:
        req, act, rev = values["requests"], values["active"], values["review_litigation"]
        cells = {"requests.new.total": req["new"]["total"], "requests.total.total": req["total"]["total"],
                 "requests.carried_forward.total": req["carried_forward"]["total"],
                 "requests.new.natural_person": req["new"]["natural_person"],
                 "active.licensing.decisions": act["licensing"]["decisions"],
                 "review_litigation.review.total": rev["review"]["total"]}
    if document:
        values = {key: value for key, value in document_report(document).items() if key not in ("organ", "year")}
        values["document"] = document
    REPORTS.append({"site": site, "path": path, "title": title, "year": year, "organ": org,
                    "format": fmt if fmt != "attachment" else None, "published": published,
                    "attachment": attachment, "list_paths": [path, *extra_list_paths], "cells": cells, **values})
    return title


def fixture_name(path: str) -> str:
    """The file holding a URL path (and query): ``list.asp?page=2`` is stored as ``list.asp@page=2``."""
    return path.lstrip("/").replace("?", "@")


def write(site: str, path: str, text: str, charset: str = "utf-8") -> None:
    target = ROOT / site / fixture_name(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset))


def list_li(href: str, title: str, date: str, family: str) -> str:
    short = title if len(title) <= 14 else title[:14] + "…"
    if family == "trs":
        return f"<li><a href=\"{href}\" title=\"{escape(title)}\">{escape(short)}</a><span>{date}</span></li>"
    return f"<li><a href=\"{href}\" title=\"{escape(title)}\" target=\"_blank\">{escape(title)}</a><span>{date}</span></li>"


def build_trs() -> None:
    site, col = "trs", "/xxgk/zfxxgknb/"
    pages: list[list[str]] = [[], [], []]
    t = add_report(site, col + "202203/t20220301_1001.html", "演示县人民政府", 2021, "2021", "trs", 1, "2022-03-01",
                   attachment=("./P020220301000001.pdf", "演示县2021年政府信息公开工作年度报告.pdf"))
    pages[0].append(list_li("./202203/t20220301_1001.html", t, "2022-03-01", "trs"))
    t = add_report(site, col + "202103/t20210301_1002.html", "演示县财政局", 2020, "2021", "trs", 2, "2021-03-01",
                   extra_list_paths=[col + "old/t20210301_1002.html"])
    pages[1].append(list_li("./old/t20210301_1002.html", t, "2021-03-01", "trs"))
    pages[1].append(list_li("./202103/t20210301_1002.html", t, "2021-03-01", "trs"))
    pages[1].append(list_li("./202102/t20210201_1404.html", "演示县教育局2020年政府信息公开工作年度报告", "2021-02-01", "trs"))
    t = add_report(site, col + "202001/t20200120_1003.html", "演示县人民政府办公室", 2019, "2019", "trs", 3, "2020-01-20")
    pages[2].append(list_li("./202001/t20200120_1003.html", t, "2020-01-20", "trs"))
    pdf = document_report("demo-report.pdf")
    t = add_report(site, col + "201901/t20190125_1005.html", pdf["organ"], pdf["year"], "attachment", "trs", 0, "2019-01-25",
                   attachment=("/files/demo-report.pdf", f"{pdf['organ']}{pdf['year']}年政府信息公开工作年度报告.pdf"),
                   document="demo-report.pdf")
    pages[2].append(list_li("./201901/t20190125_1005.html", t, "2019-01-25", "trs"))
    repost = col + "201901/t20190126_1006.html"
    body = f"<p>{pdf['organ']}{pdf['year']}年政府信息公开工作年度报告详见附件。</p>"
    links = f'<p class="insertfileTag">附件：<a href="/files/demo-report.pdf">{pdf["organ"]}{pdf["year"]}年政府信息公开工作年度报告.pdf</a></p>'
    write(site, repost, detail_page("trs", t, "2019-01-26", body, "utf-8", links))
    pages[2].append(list_li("./201901/t20190126_1006.html", t, "2019-01-26", "trs"))
    REPORTS[-1]["also_at"] = [repost]
    for n, text in enumerate(NON_REPORTS):
        title = "演示县" + text.format(y=2021)
        path = f"2022{n + 1:02d}/t2022{n + 1:02d}10_2{n:03d}.html"
        pages[n % 3].append(list_li("./" + path, title, f"2022-{n + 1:02d}-10", "trs"))
        write(site, col + path, detail_page("trs", title, f"2022-{n + 1:02d}-10", "<p>非年报文章。</p>"))
    for index, items in enumerate(pages):
        name = "index.html" if index == 0 else f"index_{index}.html"
        write(site, col + name, f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>
<ul class="list">{''.join(items)}</ul>
<div class="page"><script>createPageHTML(3, {index}, "index", "html");</script></div>
</body></html>
""")


def build_hanweb() -> None:
    site, col = "hanweb", "/col/col1001/"
    records: list[str] = []
    t = add_report(site, "/art/2022/2/15/art_1001_5001.html", "演示区发展和改革局", 2021, "2021", "hanweb", 4, "2022-02-15")
    records.append(list_li("/art/2022/2/15/art_1001_5001.html", t, "2022-02-15", "hanweb"))
    for n, text in enumerate(NON_REPORTS[:4]):
        title = "演示区" + text.format(y=2022)
        path = f"/art/2023/1/{n + 1}/art_1001_60{n:02d}.html"
        records.append(list_li(path, title, f"2023-01-{n + 1:02d}", "hanweb"))
        write(site, path, detail_page("hanweb", title, f"2023-01-{n + 1:02d}", "<p>非年报文章。</p>"))
    for n in range(5):
        title = f"演示区第{n + 1}号工作动态"
        records.append(list_li(f"/art/2023/2/{n + 1}/art_1001_70{n:02d}.html", title, f"2023-02-{n + 1:02d}", "hanweb"))
    t = add_report(site, "/art/2023/1/20/art_1001_5002.html", "演示区卫生健康局", 2022, "2021", "hanweb", 5, "2023-01-20")
    records.append(list_li("/art/2023/1/20/art_1001_5002.html", t, "2023-01-20", "hanweb"))
    docx = document_report("demo-report.docx")
    t = add_report(site, "/art/2021/1/28/art_1001_5003.html", docx["organ"], docx["year"], "attachment", "hanweb", 0, "2021-01-28",
                   attachment=("/module/download/downfile.jsp?classid=0&filename=2101281530.docx", "下载"),
                   document="demo-report.docx")
    records.append(list_li("/art/2021/1/28/art_1001_5003.html", t, "2021-01-28", "hanweb"))
    cdata = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in records[:3])
    write(site, col + "index.html", f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div id="2001"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=9&path=/&columnid=1001&unitid=2001&webname=demo&permissiontype=0"></a>]]></nextgroup>
<recordset>
{cdata}</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>var jpageConfig = {{perpage: 3, col: 1, unitid: "2001"}};</script></div>
</body></html>
""")
    (ROOT / site / "dataproxy.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def build_ucap() -> None:
    site, col = "ucap", "/demo/c1001/"
    pages: list[list[str]] = [[], [], []]
    t = add_report(site, col + "202202/a1b2c3d4e5f60718293a4b5c6d7e8f90.shtml", "演示市交通运输局", 2021, "2021", "ucap", 6, "2022-02-20")
    pages[0].append(list_li("./202202/a1b2c3d4e5f60718293a4b5c6d7e8f90.shtml", t, "2022-02-20", "ucap"))
    t = add_report(site, col + "202301/0f1e2d3c4b5a69788796a5b4c3d2e1f0.shtml", "演示市住房和城乡建设局", 2022, "2021", "ucap", 7, "2023-01-31")
    pages[1].append(list_li("./202301/0f1e2d3c4b5a69788796a5b4c3d2e1f0.shtml", t, "2023-01-31", "ucap"))
    image = document_report("demo-table.png")
    t = add_report(site, col + "202401/9a8b7c6d5e4f30211203f4e5d6c7b8a9.shtml", image["organ"], image["year"], "attachment", "ucap", 0,
                   "2024-01-18", attachment=("/files/demo-table.png", f"{image['organ']}{image['year']}年年报表格.png"),
                   document="demo-table.png")
    pages[2].append(list_li("./202401/9a8b7c6d5e4f30211203f4e5d6c7b8a9.shtml", t, "2024-01-18", "ucap"))
    for n, text in enumerate(NON_REPORTS):
        title = "演示市" + text.format(y=2023)
        path = f"2023{n + 1:02d}/{n:032x}.shtml"
        pages[n % 3].append(list_li("./" + path, title, f"2023-{n + 1:02d}-05", "ucap"))
        write(site, col + path, detail_page("ucap", title, f"2023-{n + 1:02d}-05", "<p>非年报文章。</p>"))
    nav = '<ul class="nav"><li><a href="/demo/c1000/zwgk.shtml">政务公开</a></li><li><a href="/demo/c1002/zwgklist.shtml">通知公告</a></li></ul>'
    for index, items in enumerate(pages):
        name = "zwgklist.shtml" if index == 0 else f"zwgklist_{index + 1}.shtml"
        call = f"<script>createPageHTML('page_div',3, {index + 1},'zwgklist','shtml',{sum(map(len, pages))});</script>"
        if index == 1:
            listing = f'<ul class="xxgklist"><!--\n{"".join(items)}\n{call}-->\n</ul>'
        else:
            listing = f"<cmspro_documents><ul>{''.join(items)}</ul></cmspro_documents><div id=\"page_div\">{call}</div>"
        write(site, col + name, f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title>
<link rel="stylesheet" href="/demo/xhtml/css/style.css"></head><body>{nav}
{listing}
</body></html>
""")


def build_generic_gbk() -> None:
    site, charset = "gbk", "gbk"
    rows: list[list[str]] = [[], [], []]

    def row(href, title, date):
        return f'<tr><td><a href="{href}">{escape(title)}</a></td><td>{date}</td></tr>'

    t = add_report(site, "/xxgk/nb/show.asp?id=301", "镕城镇人民政府", 2021, "2021", "generic", 8, "2022-01-25", charset=charset)
    rows[0].append(row("show.asp?id=301", t, "2022-01-25"))
    t = add_report(site, "/xxgk/nb/show.asp?id=302", "喆乡人民政府", 2022, "2021", "generic", 9, "2023-01-16", charset=charset)
    rows[1].append(row("show.asp?id=302", t, "2023-01-16"))
    rows[1].append(row("/private/show.asp?id=399", "镕城镇2019年政府信息公开工作年度报告", "2020-01-10"))
    listed = document_report("report-2019.pdf")
    file_title = f"{listed['organ']}{listed['year']}年政府信息公开工作年度报告"
    rows[2].append(row("/files/baisha-2019.pdf", file_title, "2020-01-29"))
    REPORTS.append({"site": site, "path": "/xxgk/nb/list.asp?page=3", "title": file_title, "year": listed["year"],
                    "organ": listed["organ"], "format": listed["format"], "published": "2020-01-29",
                    "attachment": ["/files/baisha-2019.pdf", "baisha-2019.pdf"], "list_paths": [], "cells": {},
                    "note": "listed as a file: no detail page", "document": "report-2019.pdf",
                    **{key: listed[key] for key in ("active", "requests", "review_litigation")}})
    for n, text in enumerate(NON_REPORTS):
        title = "镕城镇" + text.format(y=2022)
        rows[n % 3].append(row(f"show.asp?id={400 + n}", title, f"2022-0{n + 1}-08"))
        write(site, f"/xxgk/nb/show.asp?id={400 + n}", detail_page("generic", title, f"2022-0{n + 1}-08", "<p>非年报文章。</p>", charset), charset)
    for index, items in enumerate(rows):
        page = index + 1
        nav = " ".join(f'<a href="list.asp?page={p}">{p}</a>' for p in range(1, 4))
        nxt = f'<a href="list.asp?page={page + 1}">下一页</a>' if page < 3 else ""
        write(site, f"/xxgk/nb/list.asp?page={page}", f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>政府信息公开年报</title></head>
<body><table width="100%">{''.join(items)}</table><div class="pages">{nav} {nxt}</div></body></html>
""", charset)


def main() -> None:
    if ROOT.exists():
        for child in ROOT.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    REPORTS.clear()
    build_trs()
    build_hanweb()
    build_ucap()
    build_generic_gbk()
    build_homes()
    expected = {
        "reports": REPORTS,
        "list_pages": {"trs": 3, "hanweb": 3, "ucap": 3, "gbk": 3, "blocked": 0},
        "not_reports": NON_REPORTS,
        "broken_links": {"trs": ["/xxgk/zfxxgknb/202102/t20210201_1404.html"], "gbk": ["/private/show.asp?id=399"]},
        "flaky": {"gbk": "/xxgk/nb/show.asp?id=302"},
        "duplicates": {"trs": ["/xxgk/zfxxgknb/201901/t20190126_1006.html"]},
        "blocked_sites": ["blocked"],
    }
    (ROOT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
