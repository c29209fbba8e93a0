"""Write the demo portal's home pages and 信息公开 pages, for ``scrapy crawl discover``.

``python -m govreports.demo.build_fixtures`` calls ``build_homes()`` after the report pages (run
alone, ``python -m govreports.demo.build_homes`` rewrites only these files). Links to another
demo host are written as ``{{portal:SITE}}``; the server puts the running portal's address there.

* ``trs`` 演示县: home -> 政务公开 -> a 信息公开 page whose side menu links the column by its
  label (政府信息公开年报), next to two decoys (年报解读, 统计年报) whose lists hold no report;
* ``hanweb`` 演示区: the 信息公开 entry and the column are image links (``alt``/``title`` only);
* ``www`` 演示市 (127.0.0.7): a home page whose 政府信息公开 link goes to the ``ucap`` host, where a
  ``var menu = [...]`` list rendered by JavaScript links the column;
* ``gbk`` 演示镇 (GBK pages): two columns, 本级年报 (a new small list of existing report pages)
  and 部门年报 (the hand-written registry's column), and a 乡镇年报 column with no list yet
  (a candidate left unconfirmed);
* ``blocked`` 屏蔽县: every page is an anti-bot answer, so nothing is found;
* ``province`` (127.0.0.8): a directory page linking the five portals' home pages.

``EXPECTED_COLUMNS`` is what discovery must find (column name -> URL path on its host).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "site"

HOMES = [
    ("演示县人民政府网", "230124", "trs", "/"),
    ("演示区人民政府网", "230184", "hanweb", "/index.html"),
    ("演示市人民政府网", "620000", "www", "/"),
    ("演示镇人民政府网", "230521", "gbk", "/"),
    ("屏蔽县人民政府网", "110000", "blocked", "/"),
]
EXPECTED_COLUMNS = {
    "演示县人民政府网-政府信息公开年报": ("trs", "/xxgk/zfxxgknb/index.html"),
    "演示区人民政府网-政府信息公开年报": ("hanweb", "/col/col1001/index.html"),
    "演示市人民政府网-政府信息公开年报": ("ucap", "/demo/c1001/zwgklist.shtml"),
    "演示镇人民政府网-本级年报": ("gbk", "/xxgk/bj/list.asp?page=1"),
    "演示镇人民政府网-部门年报": ("gbk", "/xxgk/nb/list.asp?page=1"),
}
DECOYS = {"trs": ["/xxgk/nbjd/index.html", "/xxgk/tjnb/index.html"]}
UNCONFIRMED = {"gbk": ["/xxgk/xz/list.asp?page=1"]}
NAV = ["首页", "新闻中心", "政务服务", "互动交流", "走进本地"]


def write(site: str, path: str, text: str, charset: str = "utf-8") -> None:
    target = ROOT / site / path.lstrip("/").replace("?", "@")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("gb18030" if charset == "gbk" else charset))


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>{escape(title)}</title></head>
<body><div class="header"><h1>{escape(title)}</h1></div>
{body}
<div class="footer"><p>主办单位：{escape(title)}办公室 <a href="/sitemap/">网站地图</a></p></div></body></html>
"""


def nav(extra: str) -> str:
    items = "".join(f'<li><a href="/col/{i}/">{name}</a></li>' for i, name in enumerate(NAV))
    return f'<div class="nav"><ul>{items}{extra}</ul></div>'


def news(county: str) -> str:
    rows = "".join(f'<li><a href="/news/{n}.html">{county}召开第{n}次常务会议</a><span>2023-0{n}-12</span></li>' for n in range(1, 5))
    return f'<div class="news"><h3>要闻动态</h3><ul>{rows}</ul></div>'


def trs_list(title: str, entries: list[tuple[str, str, str]]) -> str:
    rows = "".join(f'<li><a href="{href}" title="{escape(t)}">{escape(t)}</a><span>{date}</span></li>' for href, t, date in entries)
    return page(title, f'<ul class="list">{rows}</ul><div class="page"><script>createPageHTML(1, 0, "index", "html");</script></div>')


def build_trs() -> None:
    write("trs", "/index.html", page("演示县人民政府", nav('<li><a href="/xxgk/index.html">政务公开</a></li>') + news("演示县")))
    side = [("政府信息公开指南", "/xxgk/zn/index.html"), ("政府信息公开制度", "/xxgk/zd/index.html"),
            ("法定主动公开内容", "/xxgk/fdzdgknr/index.html"), ("政府信息公开年报", "/xxgk/zfxxgknb/index.html"),
            ("年报解读", "/xxgk/nbjd/index.html"), ("统计年报", "/xxgk/tjnb/index.html")]
    menu = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in side)
    write("trs", "/xxgk/index.html", page("演示县政府信息公开", f'<div class="left"><h3>信息公开目录</h3><ul>{menu}</ul></div>'))
    topics = "".join(f'<li><a href="/xxgk/fdzdgknr/{n}/">{label}</a></li>' for n, label in enumerate(("机构职能", "政策文件", "规划计划", "财政资金")))
    write("trs", "/xxgk/fdzdgknr/index.html", page("法定主动公开内容", f'<ul class="topics">{topics}</ul>'))
    write("trs", "/xxgk/nbjd/index.html", trs_list("年报解读", [
        (f"./2023{n}/t2023{n}01_90{n}.html", f"演示县{y}年政府信息公开工作年度报告解读", f"2023-0{n}-01")
        for n, y in ((1, 2022), (2, 2021), (3, 2020))]))
    write("trs", "/xxgk/tjnb/index.html", trs_list("统计年报", [
        (f"./2023{n}/t2023{n}05_91{n}.html", f"演示县{y}年国民经济和社会发展统计年报", f"2023-0{n}-05")
        for n, y in ((1, 2022), (2, 2021), (3, 2020))]))


def build_hanweb() -> None:
    entry = '<li><a href="/col/col1000/index.html" title="政府信息公开"><img src="/images/xxgk.png" alt=""></a></li>'
    write("hanweb", "/index.html", page("演示区人民政府", nav(entry) + news("演示区")))
    tiles = "".join(f'<a href="/col/col{col}/index.html"><img src="/images/{col}.png" alt="{label}"></a>'
                    for col, label in ((1002, "政府信息公开指南"), (1001, "政府信息公开年报"), (1003, "依申请公开")))
    write("hanweb", "/col/col1000/index.html", page("演示区政府信息公开", f'<div class="tiles">{tiles}</div>'))


def build_www_and_ucap() -> None:
    entry = '<li><a href="{{portal:ucap}}/demo/c1000/zwgk.shtml" target="_blank">政府信息公开</a></li>'
    write("www", "/index.html", page("演示市人民政府", nav(entry) + news("演示市")))
    script = """<div id="menu"></div><script>
var menu = [
  {name: "政府信息公开指南", url: "/demo/c1003/zwgklist.shtml"},
  {name: "法定主动公开内容", url: "/demo/c1004/zwgklist.shtml"},
  {name: "政府信息公开年报", url: "/demo/c1001/zwgklist.shtml"},
  {name: "通知公告", url: "/demo/c1002/zwgklist.shtml"}
];
document.getElementById("menu").innerHTML = menu.map(function (m) { return '<a href="' + m.url + '">' + m.name + '</a>'; }).join("");
</script>"""
    write("ucap", "/demo/c1000/zwgk.shtml", page("演示市政府信息公开", nav("") + script))


def gbk_list(entries: list[tuple[str, str, str]]) -> str:
    rows = "".join(f'<tr><td><a href="{href}">{escape(t)}</a></td><td>{date}</td></tr>' for href, t, date in entries)
    body = f'<table width="100%">{rows}</table>' if rows else "<p>暂无信息</p>"
    return page("政府信息公开年报", body, "gb2312")


def build_gbk() -> None:
    write("gbk", "/index.html", page("演示镇人民政府", nav('<li><a href="/xxgk/index.html">信息公开</a></li>') + news("演示镇"), "gb2312"), "gbk")
    side = [("本级年报", "/xxgk/bj/list.asp?page=1"), ("部门年报", "/xxgk/nb/list.asp?page=1"),
            ("乡镇（街道）年报", "/xxgk/xz/list.asp?page=1"), ("政府信息公开指南", "/xxgk/zn.asp")]
    menu = "".join(f'<tr><td><a href="{href}">{label}</a></td></tr>' for label, href in side)
    write("gbk", "/xxgk/index.html", page("演示镇政府信息公开", f'<table class="menu">{menu}</table>', "gb2312"), "gbk")
    write("gbk", "/xxgk/bj/list.asp?page=1", gbk_list([
        ("../nb/show.asp?id=301", "镕城镇人民政府2021年政府信息公开工作年度报告", "2022-01-25"),
        ("../nb/show.asp?id=302", "喆乡人民政府2022年政府信息公开工作年度报告", "2023-01-16"),
        ("../nb/show.asp?id=401", "镕城镇政府信息公开指南", "2022-02-08")]), "gbk")
    write("gbk", "/xxgk/xz/list.asp?page=1", gbk_list([]), "gbk")


def build_province() -> None:
    links = "".join(f'<li><a href="{{{{portal:{site}}}}}{path}" target="_blank">{escape(name.removesuffix("人民政府网"))}</a></li>'
                    for name, _, site, path in HOMES)
    body = nav("") + f'<div class="links"><h3>县（市、区）政府网站</h3><ul>{links}</ul></div>'
    write("province", "/index.html", page("演示省人民政府", body))


def build_homes() -> None:
    build_trs()
    build_hanweb()
    build_www_and_ucap()
    build_gbk()
    build_province()


if __name__ == "__main__":
    build_homes()
