"""Pages decode right: GB2312/GBK read as GB18030, a lying Latin-1 header overruled by the page."""

from scrapy.http import HtmlResponse

from crawler.encoding import decoded
from tests.helpers import DEMO_SITE, file_response

PAGE = DEMO_SITE / "gbk" / "xxgk" / "nb" / "show.asp@id=301"


def test_gbk_meta_page_decodes_with_rare_characters():
    response = decoded(file_response(PAGE, url="http://127.0.0.5/xxgk/nb/show.asp?id=301"))
    assert "镕城镇人民政府" in response.text


def test_lying_latin1_header_is_overruled():
    raw = file_response(PAGE, url="http://127.0.0.5/a", headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "镕城镇" not in raw.text
    assert "镕城镇人民政府" in decoded(raw).text


def test_utf8_page_with_wrong_gbk_header_is_overruled():
    body = "<html><body>集贤镇人民政府2022年度信息公开工作年度报告</body></html>".encode("utf-8")
    response = HtmlResponse("http://x/a", body=body, headers={"Content-Type": "text/html; charset=gbk"})
    assert "集贤镇" in decoded(response).text


def test_right_page_is_left_alone():
    response = HtmlResponse("http://x/a", body="<p>报告</p>".encode(), encoding="utf-8")
    assert decoded(response) is response
