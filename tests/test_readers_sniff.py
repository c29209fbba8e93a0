"""sniff_kind: the kind comes from the bytes, never from the name alone."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipelines.readers import read_attachment, sniff_kind
from tests.fixtures.attachments.expect import ATTACHMENTS, load_expected


@pytest.mark.parametrize("name", sorted(load_expected()))
def test_each_fixture_sniffs_as_its_kind(name):
    expected = load_expected()[name]["kind"]
    assert sniff_kind((ATTACHMENTS / name).read_bytes(), name) == expected


def test_pdf_renamed_to_doc_is_still_a_pdf():
    data = (ATTACHMENTS / "report-2019.pdf").read_bytes()
    assert sniff_kind(data, "report.doc") == "pdf"
    assert read_attachment(data, "report.doc").kind == "pdf"


def test_docx_and_xlsx_and_ofd_are_told_apart_by_zip_members():
    assert sniff_kind((ATTACHMENTS / "report-merged.docx").read_bytes(), "a.zip") == "docx"
    assert sniff_kind((ATTACHMENTS / "report.xlsx").read_bytes(), "a.docx") == "xlsx"
    assert sniff_kind((ATTACHMENTS / "report.ofd").read_bytes(), "a.pdf") == "ofd"


def test_doc_and_xls_are_told_apart_by_ole_streams():
    assert sniff_kind((ATTACHMENTS / "report.doc").read_bytes(), "a.xls") == "doc"
    assert sniff_kind((ATTACHMENTS / "report.xls").read_bytes(), "a.doc") == "xls"


def test_word_binary_named_wps_is_wps():
    assert sniff_kind((ATTACHMENTS / "report.doc").read_bytes(), "报告.wps") == "wps"


def test_html_error_page_named_pdf_is_html_with_a_warning():
    page = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>页面不存在</h1></body></html>"
    data = page.encode("utf-8")
    assert sniff_kind(data, "report.pdf") == "html"
    result = read_attachment(data, "report.pdf")
    assert result.kind == "html"
    assert any("named like a document" in w for w in result.warnings)


def test_plain_zip_and_text_and_unknown():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert sniff_kind(buffer.getvalue()) == "zip"
    assert sniff_kind("一、总体情况\n二、主动公开".encode("gbk")) == "text"
    assert sniff_kind(bytes(range(256)) * 4) == "unknown"
    assert sniff_kind(b"") == "unknown"


def test_images_by_magic():
    assert sniff_kind((ATTACHMENTS / "tables.png").read_bytes(), "tables.pdf") == "image"
    assert sniff_kind(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "image"


def test_long_utf8_text_cut_mid_character_is_text():
    text = ("本年度报告根据《中华人民共和国政府信息公开条例》编制。" * 200).encode("utf-8")
    for shift in range(3):  # the 4 KiB sample ends inside a three-byte character for some shift
        assert sniff_kind(b"#" * shift + text) == "text"
