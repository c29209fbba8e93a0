"""Anti-bot answers are recognised; real content pages that carry the 瑞数 script are not."""

import pytest

from crawler.blocked import block_kind
from tests.helpers import DEMO_SITE, FIXTURES, shared_path
from govreports.demo.server import RS_STUB

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
