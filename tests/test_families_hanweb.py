"""Hanweb family: datastore records, dataproxy.jsp POST pagination, safe XML, JPaaS inline JSON."""

import re
from urllib.parse import parse_qs

from scrapy.http import HtmlResponse, Request, XmlResponse

from crawler.families.detect import detect_family
from crawler.families.hanweb import HanwebFamily, parse_dataproxy
from tests.helpers import DEMO_SITE, FIXTURES, file_response

HOST = "http://127.0.0.3:8765"
hanweb = HanwebFamily()


def column_page():
    return file_response(DEMO_SITE / "hanweb" / "col" / "col1001" / "index.html", url=HOST + "/col/col1001/index.html")


def dataproxy_reply(start=1, end=9):
    url = f"{HOST}/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage=3"
    request = Request(url, method="POST", body=b"col=1&appid=1&webid=9&path=%2F&columnid=1001&sourceContentType=1&unitid=2001&webname=demo&permissiontype=0")
    return XmlResponse(url, body=(FIXTURES / "pages" / "hanweb-dataproxy.xml").read_bytes(), request=request)


def test_first_records_come_from_the_datastore_island():
    entries = hanweb.entries(column_page())
    assert len(entries) == 3
    assert entries[0].url == HOST + "/art/2022/2/15/art_1001_5001.html"
    assert entries[0].published == "2022-02-15"


def test_column_page_asks_dataproxy_for_the_first_group():
    (request,) = hanweb.next_pages(column_page())
    assert request.method == "POST"
    assert request.url == HOST + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=9&perpage=3"
    assert request.formdata["columnid"] == "1001" and request.formdata["unitid"] == "2001" and request.formdata["webid"] == "9"


def test_dataproxy_reply_gives_records_and_the_remaining_groups():
    response = dataproxy_reply()
    assert [e.title for e in hanweb.entries(response)][0] == "演示区发展和改革局2021年政府信息公开工作年度报告"
    (later,) = hanweb.next_pages(response)
    assert "startrecord=10&endrecord=13" in later.url
    assert later.formdata["columnid"] == "1001"


def test_later_group_asks_for_nothing_more():
    assert hanweb.next_pages(dataproxy_reply(10, 13)) == []


def test_dataproxy_xml_entities_are_not_resolved():
    total, records = parse_dataproxy((FIXTURES / "pages" / "hanweb-dataproxy.xml").read_bytes())
    assert total == 13
    assert len(records) == 3 and records[2].strip() == ""


def test_jpaas_inline_json_list_every_article_found():
    path = FIXTURES / "pages" / "hanweb-sthjt-jiangxi-1.html"
    url = "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"
    response = file_response(path, url=url)
    expected = set(re.findall(r"/jxssthjt/col/col42150/content/content_\d+\.html", path.read_text(encoding="utf-8")))
    found = {e.url.replace("https://sthjt.jiangxi.gov.cn", "") for e in hanweb.entries(response)}
    assert len(expected) == 50 and found == expected
    assert "江西省生态环境厅2024年政府信息公开工作年度报告解读" in {e.title for e in hanweb.entries(response)}
    assert detect_family(response.text, url)[0] == "hanweb"


def test_dataproxy_form_survives_in_the_query():
    (request,) = hanweb.next_pages(column_page())
    assert parse_qs(request.url.split("?")[1]) == {"startrecord": ["1"], "endrecord": ["9"], "perpage": ["3"]}


def test_each_jpage_unit_is_paged():
    island = '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=9&columnid={c}&unitid={u}"></a>]]></nextgroup></datastore></script>'
    body = (island.format(c=1, u=11) + island.format(c=2, u=22)).encode()
    response = HtmlResponse(HOST + "/col/col1/index.html", body=body, encoding="utf-8")
    assert [(r.formdata["columnid"], r.formdata["unitid"]) for r in hanweb.next_pages(response)] == [("1", "11"), ("2", "22")]
