"""pipelines.cleaning.decode_html: BOM, declared charset, meta charset, GB fallbacks."""

from __future__ import annotations

import codecs

from pipelines.cleaning import decode_html

TEXT = "朱镕基路 政府信息公开工作年度报告"  # 镕 is in GBK/GB18030 but not in GB2312


def _page(charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}</head><body><p>{TEXT}</p></body></html>"


def test_utf8_bom_wins():
    data = codecs.BOM_UTF8 + _page("gbk").encode("utf-8")
    assert TEXT in decode_html(data)


def test_declared_header_charset_is_used():
    assert TEXT in decode_html(_page(None).encode("gb18030"), declared_encoding="GBK")


def test_meta_gb2312_is_read_as_gb18030():
    assert TEXT in decode_html(_page("gb2312").encode("gb18030"))


def test_meta_charset_short_form():
    data = f'<html><head><meta charset="gbk"></head><body>{TEXT}</body></html>'.encode("gb18030")
    assert TEXT in decode_html(data)


def test_gbk_without_any_charset_is_sniffed():
    assert TEXT in decode_html(_page(None).encode("gb18030"))


def test_utf8_page_mislabelled_gb2312_stays_utf8():
    assert TEXT in decode_html(_page("gb2312").encode("utf-8"))


def test_word_paste_meta_deep_in_a_utf8_body_is_ignored():
    paste = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page = f'<html><head><meta charset="utf-8"></head><body>{"<p>填充</p>" * 2000}{paste}<p>{TEXT}</p></body></html>'
    assert TEXT in decode_html(page.encode("utf-8"))


def test_undecodable_bytes_give_the_fewest_replacement_characters():
    data = _page("utf-8").encode("gb18030") + b"\xff\xff"
    text = decode_html(data)
    assert TEXT in text
    assert text.count("\ufffd") <= 2


def test_str_input_is_returned_unchanged():
    assert decode_html("<p>已解码</p>") == "<p>已解码</p>"


def test_a_lying_latin1_header_loses_to_the_gbk_page():
    from pipelines.cleaning import decode_html, detect_encoding

    data = '<html><head><meta charset="gb2312"></head><body>镕城镇人民政府</body></html>'.encode("gb18030")
    assert detect_encoding(data, "ISO-8859-1") == "gb18030"
    assert "镕城镇人民政府" in decode_html(data, "ISO-8859-1")
