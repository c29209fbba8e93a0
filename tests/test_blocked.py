"""Anti-bot answers are recognised; real content pages that carry the 瑞数 script are not."""

import pytest

from crawler.blocked import block_kind
from govreports.demo.server import RS_STUB
from tests.helpers import DEMO_SITE, FIXTURES, shared_path

JSL = b"<html><script>document.cookie=('_')+('_jsl_clearance_s=1');location.href=location.pathname</script></html>"
ALIYUN = b"<html><script>var arg1='3F0B1C';</script><script src='/acw_sc__v2.js'></script></html>"
CHALLENGE_200 = "<html><head><title>安全验证</title></head><body><script src='/c.js'></script>请稍候…</body></html>".encode()


def test_rs_412_is_blocked():
    assert block_kind(412, RS_STUB) == "challenge_rs"


def test_rs_stub_with_200_is_blocked():
    assert block_kind(200, RS_STUB) == "challenge_rs"


def test_jsl_521_is_blocked():
    assert block_kind(521, JSL) == "challenge_jsl"
    assert block_kind(200, b"<script>__jsl_clearance_s</script>") == "challenge_jsl"


def test_aliyun_waf_is_blocked():
    assert block_kind(200, ALIYUN) == "waf_aliyun"


def test_challenge_page_without_list_or_body_is_blocked():
    assert block_kind(200, CHALLENGE_200) == "challenge_page"


PAGER = "<script>createPageHTML(1, 0, 'index', 'html');</script>"


@pytest.mark.parametrize("entries", [1, 2])
@pytest.mark.parametrize("container", ["<ul class='list'>{}</ul>", "<table>{}</table>", "<div>{}</div>"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_short_column_with_one_or_two_reports_and_a_pager_script_is_content(entries, container, encoding):
    """A township's column: one or two entries, a pager script, well under 2 KB: a list, not a challenge."""
    rows = "".join(f"<li><a href='./2022/t{n}.html' title='青山镇人民政府{2021 + n}年政府信息公开工作年度报告'>青山镇人民政府{2021 + n}年年报</a></li>"
                   for n in range(entries))
    page = f"<html><head><meta charset='{encoding}'><title>年报</title></head><body>{container.format(rows)}{PAGER}</body></html>"
    assert len(page.encode(encoding)) < 2048
    assert block_kind(200, page.encode(encoding)) is None


@pytest.mark.parametrize("name", ["ucap-jyt-gansu-1.html", "hanweb-sthjt-jiangxi-1.html"])
def test_real_list_pages_are_content(name):
    assert block_kind(200, (FIXTURES / "pages" / name).read_bytes()) is None


def test_real_content_page_with_rs_script_is_content():
    body = shared_path("corpus", "pages", "ucap-fzgg-gansu-1.html").read_bytes()
    assert b"$_ts" in body
    assert block_kind(200, body) is None


def test_ordinary_404_is_not_a_block():
    assert block_kind(404, b"<html><body>404 Not Found</body></html>") is None


def test_demo_detail_page_is_content():
    page = next((DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / "202203").glob("t*.html"))
    assert block_kind(200, page.read_bytes()) is None


JSL_SECOND_STAGE = (
    "<html><head><script>var _0x=" + "".join(f"'{i:06x}'," for i in range(2200)) + "0;"
    "document.cookie='__jsl_clearance_s=1669;max-age=3600';location.href=location.pathname</script></head></html>"
).encode()
WAF_DENIED = "<html><head><title>访问受限</title></head><body><h2>访问受限</h2><p>您的请求存在风险，已被拦截。</p></body></html>"


def test_jsl_second_stage_marker_after_12_kb_of_script_is_found():
    assert JSL_SECOND_STAGE.index(b"__jsl_clearance_s") > 12_000
    assert block_kind(200, JSL_SECOND_STAGE) == "challenge_jsl"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_waf_denied_page_is_blocked(encoding):
    assert block_kind(200, WAF_DENIED.encode(encoding)) == "waf_denied"


def test_acw_cookie_only_in_set_cookie_is_blocked():
    from scrapy.http import Headers

    headers = Headers({"Set-Cookie": ["acw_sc__v2=65a1b2; path=/"]})
    assert block_kind(200, b"<html><script>var arg1='3F0B';</script></html>", headers) == "waf_aliyun"


def test_report_page_mentioning_restricted_access_is_content():
    page = "<html><body><div id='zoom'><p>对访问受限的信息依法不予公开。</p><table><tr><td>1</td></tr></table></div></body></html>"
    assert block_kind(200, page.encode("utf-8")) is None
