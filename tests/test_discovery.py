"""Column discovery's pure functions: link labels, 信息公开 / 年报 recognition, host scope, budget,
confirmation by content, homes files and directory pages; on real portal pages (TRS, Hanweb,
Ucap, frozen as raw bytes) and on the demo portal's pages."""

from __future__ import annotations

import csv

import pytest

from crawler.discovery import (
    Home,
    HomesError,
    Link,
    SiteSearch,
    canonical,
    column_name,
    confirm_column,
    directory_portals,
    disclosure_rank,
    is_column_label,
    link_rank,
    load_homes,
    looks_like_platform_url,
    menu_links,
    page_links,
    portal_base,
)
from crawler.registry import load_registry
from govreports.demo.server import with_portal_urls
from tests.helpers import DEMO_SITE, FIXTURES, PROJECT, file_response

PAGES = FIXTURES / "pages"
# Real pages (tests/fixtures/pages/SOURCES.md): where each sends a reader to the 信息公开 platform.

def real_page(name: str):
    """A real page saved as raw bytes: under fixtures/pages, or the labelled copy under fixtures/cleaning."""
    path = PAGES / name
    if not path.is_file():
        path = FIXTURES / "cleaning" / f"real-{name}"
    assert path.is_file(), path
    return path


REAL_NAVIGATION = {
    "hanweb-fgw-zj-1.html": ("http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
                             "http://fgw.zj.gov.cn/col/col1599521/index.html", "政务公开"),
    "trs-shanxi-1.html": ("http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
                          "http://www.shanxi.gov.cn/zw/zfgkzl/", "政府信息公开专栏"),
    "ucap-jyt-gansu-1.html": ("http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml",
                              "http://jyt.gansu.gov.cn/jyt/c107268/zwgk.shtml", "政府信息公开"),
}


def search_for(url: str, max_depth: int = 3, max_pages: int = 30) -> SiteSearch:
    search = SiteSearch(Home("演示", None, url), max_depth, max_pages)
    search.first_step()
    return search


@pytest.mark.parametrize("name", sorted(REAL_NAVIGATION))
def test_real_page_first_step_is_its_disclosure_platform(name):
    url, platform, label = REAL_NAVIGATION[name]
    text = real_page(name).read_bytes().decode("utf-8")
    assert any(link.url == platform and link.label == label for link in page_links(text, url))
    steps = search_for(url).plan(url, text, 0)
    assert steps[0].url == platform and steps[0].kind == "nav"
    assert not [step for step in steps if step.kind == "column"]  # no 年报 column on these pages
    assert len(steps) <= 4


def test_real_page_offsite_links_not_followed():
    url, _, _ = REAL_NAVIGATION["hanweb-fgw-zj-1.html"]
    text = real_page("hanweb-fgw-zj-1.html").read_bytes().decode("utf-8")
    assert any("ndrc.gov.cn" in link.url for link in page_links(text, url))
    assert all(step.url.startswith("http://fgw.zj.gov.cn/") for step in search_for(url).plan(url, text, 0))


@pytest.mark.parametrize("name,url", [
    ("hanweb-sthjt-jiangxi-1.html", "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"),
    ("ucap-jyt-gansu-1.html", "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"),
])
def test_real_lists_without_reports_are_not_confirmed(name, url):
    family, reports, reason = confirm_column(file_response(PAGES / name, url))
    assert family is None and reports == ()
    assert "none an annual report" in reason  # the Jiangxi list holds a 年报解读, not a report


@pytest.mark.parametrize("label", ["政府信息公开年报", "部门年报", "本级年报", "乡镇（街道）年报", "年度报告",
                                   "政府信息公开工作年度报告", "【年报】", "信息公开 年报"])
def test_column_labels(label):
    assert is_column_label(label)


@pytest.mark.parametrize("label", ["年报解读", "统计年报", "政府信息公开年报解读", "2022年政府信息公开工作年度报告",
                                   "法治政府建设年度报告", "国民经济和社会发展统计年报", "决算报告", "政府信息公开", "",
                                   "企业年度报告公示", "关于做好政府信息公开工作年度报告编制工作的通知"])
def test_not_column_labels(label):
    assert not is_column_label(label)


def test_disclosure_ranks():
    assert disclosure_rank("法定主动公开内容") > disclosure_rank("政府信息公开") > disclosure_rank("政务公开") > 0
    assert disclosure_rank("政府信息公开专栏") > disclosure_rank("重点领域信息公开") > 0
    for label in ("政府信息公开指南", "依申请公开", "政府信息公开年报", "新闻中心", "重大建设项目批准和实施领域信息公开"):
        assert disclosure_rank(label) == 0, label


def test_unlabelled_image_link_to_a_disclosure_host_is_followed():
    home = '<a href="http://xxgk.x.gov.cn/"><img src="xxgk.png"></a><a href="/news/"><img src="n.png"></a><a href="/zfxxgk/"></a>'
    steps = search_for("http://www.x.gov.cn/").plan("http://www.x.gov.cn/", home, 0)
    assert [step.url for step in steps] == ["http://xxgk.x.gov.cn/", "http://www.x.gov.cn/zfxxgk/"]
    assert link_rank(Link("http://xxgk.x.gov.cn/", "新闻中心")) == 0  # a label says where a link goes
    assert looks_like_platform_url("http://fzxxxgk.harbin.gov.cn/index.html")


def test_labels_from_title_image_alt_and_area():
    text = """<a href="/a/"><img src="x.png" alt="政府信息公开"></a>
    <a href="/b/" title="部门年报"><span></span></a><a href="/c/">更多</a>
    <map><area href="/d/" alt="本级年报"></map><a href="javascript:void(0)">政务公开</a>"""
    links = {link.url: link.label for link in page_links(text, "http://www.x.gov.cn/") if link.label}
    assert links == {"http://www.x.gov.cn/a/": "政府信息公开", "http://www.x.gov.cn/b/": "部门年报",
                     "http://www.x.gov.cn/c/": "更多", "http://www.x.gov.cn/d/": "本级年报"}


def test_javascript_menu_entries():
    text = """<script>var menu = [{name: "政府信息公开指南", url: "/zn/"}, {"title": "政府信息公开年报", "href": "nb\\/index.html"},
    {text: '乡镇年报', link: 'https://xxgk.x.gov.cn/xz/'}, {name: "空"}];
    const nav = [{label: "部门年报", path: "/bm/"}];</script>"""
    links = [(link.label, link.url) for link in menu_links(text, "http://www.x.gov.cn/xxgk/")]
    assert links == [("政府信息公开指南", "http://www.x.gov.cn/zn/"), ("政府信息公开年报", "http://www.x.gov.cn/xxgk/nb/index.html"),
                     ("乡镇年报", "https://xxgk.x.gov.cn/xz/"), ("部门年报", "http://www.x.gov.cn/bm/")]


def test_scope_is_the_portal_domain_and_its_platform_hosts():
    search = search_for("http://www.fangzheng.gov.cn/")
    assert portal_base("www.fangzheng.gov.cn") == "fangzheng.gov.cn"
    assert search.in_scope("http://xxgk.fangzheng.gov.cn/col/col1/index.html")
    assert not search.in_scope("http://www.harbin.gov.cn/") and not search.in_scope("http://evilfangzheng.gov.cn/")
    home = '<a href="http://fzxxxgk.harbin.gov.cn/index.html">政府信息公开</a><a href="http://www.gov.cn/">中国政府网</a>'
    steps = search.plan("http://www.fangzheng.gov.cn/", home, 0)
    assert [step.url for step in steps] == ["http://fzxxxgk.harbin.gov.cn/index.html"]
    assert search.in_scope("http://fzxxxgk.harbin.gov.cn/col/col13046/index.html")
    deeper = '<a href="http://other.harbin.gov.cn/">信息公开</a>'
    assert search.plan("http://fzxxxgk.harbin.gov.cn/index.html", deeper, 1) == []  # only the home page adds hosts
    moved = search_for("http://fangzheng.gov.cn/")
    moved.plan("http://www.hljfangzheng.gov.cn/portal/", "", 0)  # the home page redirected to another domain
    assert moved.in_scope("http://xxgk.hljfangzheng.gov.cn/")


def test_budget_depth_and_column_pages():
    links = "".join(f'<a href="/xxgk/{n}/">信息公开{n}</a><a href="/nb/{n}/">部门年报</a>' for n in range(10))
    search = search_for("http://www.x.gov.cn/", max_depth=2, max_pages=5)
    steps = search.plan("http://www.x.gov.cn/", links, 0)
    assert len(steps) == 4 and len(search.asked) == 5 and search.over_budget > 0
    assert steps[0].kind == "column"
    assert search.plan("http://www.x.gov.cn/", links, 0) == []  # nothing asked twice
    deep = search_for("http://www.x.gov.cn/", max_depth=2)
    assert deep.plan("http://www.x.gov.cn/a/", links, 2) == []
    column_page = search_for("http://www.x.gov.cn/").plan("http://www.x.gov.cn/nb/", links, 1, kind="column")
    assert {step.kind for step in column_page} == {"column"}  # a column page leads only to sub-columns


def test_summary_statuses():
    search = search_for("http://www.x.gov.cn/")
    assert search.summary()["status"] == "not found"
    search.unconfirmed.append({"label": "年报", "url": "http://www.x.gov.cn/nb/", "reason": "not a list page"})
    assert search.summary()["status"] == "unconfirmed"
    search.add_column("x-年报", "年报", "http://www.x.gov.cn/nb/index.html#top", "trs", ("http://www.x.gov.cn/nb/1.html",))
    assert search.summary()["status"] == "found" and search.summary()["columns"][0]["reports"] == 1
    assert search.same_column("http://www.x.gov.cn/nb/index.html", ()) == "x-年报"
    assert search.same_column("http://www.x.gov.cn/nb/", ("http://www.x.gov.cn/nb/1.html",)) == "x-年报"
    assert search.same_column("http://www.x.gov.cn/bm/", ("http://www.x.gov.cn/bm/1.html",)) is None
    assert canonical("http://WWW.x.gov.cn") == "http://www.x.gov.cn/"


def demo_page(site: str, path: str, host: str):
    return file_response(DEMO_SITE / site / path.lstrip("/").replace("?", "@"), f"http://{host}{path}")


def test_demo_columns_confirmed_and_decoys_not():
    family, reports, _ = confirm_column(demo_page("trs", "/xxgk/zfxxgknb/index.html", "127.0.0.2"))
    assert (family, reports) == ("trs", ("http://127.0.0.2/xxgk/zfxxgknb/202203/t20220301_1001.html",))
    family, _, _ = confirm_column(demo_page("gbk", "/xxgk/bj/list.asp?page=1", "127.0.0.5"))
    assert family == "generic"
    for path in ("/xxgk/nbjd/index.html", "/xxgk/tjnb/index.html"):
        family, reports, reason = confirm_column(demo_page("trs", path, "127.0.0.2"))
        assert family is None and "none an annual report" in reason
    family, _, reason = confirm_column(demo_page("gbk", "/xxgk/xz/list.asp?page=1", "127.0.0.5"))
    assert family is None and reason.startswith("not a list page")


def test_demo_gbk_disclosure_page_read_in_its_encoding():
    response = demo_page("gbk", "/xxgk/index.html", "127.0.0.5")
    columns = [link.label for link in page_links(response.text, response.url) if is_column_label(link.label)]
    assert columns == ["本级年报", "部门年报", "乡镇（街道）年报"]


def test_directory_portals_of_the_demo_province():
    body = with_portal_urls((DEMO_SITE / "province" / "index.html").read_bytes(), 8765).decode("utf-8")
    homes = directory_portals(body, "http://127.0.0.8:8765/index.html")
    assert [(h.name, h.url) for h in homes] == [
        ("演示县", "http://127.0.0.2:8765/"), ("演示区", "http://127.0.0.3:8765/index.html"),
        ("演示市", "http://127.0.0.7:8765/"), ("演示镇", "http://127.0.0.5:8765/"), ("屏蔽县", "http://127.0.0.6:8765/")]


def test_directory_keeps_portal_home_links_only():
    body = """<a href="http://www.fangzheng.gov.cn/">方正县</a><a href="http://www.wuchang.gov.cn/index.html">五常市人民政府</a>
    <a href="http://www.gov.cn/">中国政府网</a><a href="/news/1.html">依兰县召开会议</a>
    <a href="http://www.yilan.gov.cn/art/2023/1/1/art_1_1.html">依兰县</a><a href="http://www.fangzheng.gov.cn/">方正县</a>"""
    homes = directory_portals(body, "http://www.harbin.gov.cn/zwgk/xq/")
    assert [h.name for h in homes] == ["方正县", "五常市人民政府"]


def write(tmp_path, text: str):
    path = tmp_path / "homes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_homes_file_loads_chinese_names(tmp_path):
    path = write(tmp_path, "name,region_code,url\n方正县人民政府网,230124,http://www.fangzheng.gov.cn/\n杨凌区,,https://www.ylq.gov.cn/\n")
    assert load_homes(path) == [Home("方正县人民政府网", "230124", "http://www.fangzheng.gov.cn/"), Home("杨凌区", None, "https://www.ylq.gov.cn/")]


@pytest.mark.parametrize("text,message", [
    ("name,url\na,http://a.gov.cn/\n", r":1: missing column\(s\) region_code"),
    ("name,region_code,url\na,23,a.gov.cn\n", r":2: malformed url"),
    ("name,region_code,url\na,2301x,http://a.gov.cn/\n", r":2: bad region_code"),
    ("name,region_code,url\n,23,http://a.gov.cn/\n", r":2: bad name"),
    ("name,region_code,url\n甲,23,http://a.gov.cn/\n甲,24,http://b.gov.cn/\n", r":3: duplicate name"),
])
def test_bad_homes_file_names_the_line(tmp_path, text, message):
    with pytest.raises(HomesError, match=message):
        load_homes(write(tmp_path, text))


def test_shipped_homes_files_load():
    for path in sorted((PROJECT / "sites").glob("*-homes.csv")):
        assert load_homes(path), path


def test_derived_names_round_trip_through_the_registry(tmp_path):
    name = column_name("方正县人民政府网", " 部门年报 ")
    assert name == "方正县人民政府网-部门年报"
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "region_code", "url", "family"])
        writer.writerow([name, "230124", "https://fzxxxgk.harbin.gov.cn/col/col13046/index.html", "hanweb"])
        writer.writerow([column_name("乡, 镇", "年报"), "", "http://x.gov.cn/nb/", "generic"])
    assert [site.name for site in load_registry(path)] == [name, "乡, 镇-年报"]
