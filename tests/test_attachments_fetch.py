"""Attachment kinds by magic bytes (real files), Content-Disposition names. The fetch itself runs
through the real engine in the end-to-end test."""

import io
import zipfile

import pytest

from pipelines.attachments import disposition_filename, sniff_kind
from tests.helpers import FIXTURES

ATTACHMENTS = FIXTURES / "attachments"


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,kind",
    [("demo-report.pdf", "pdf"), ("demo-report.docx", "docx"), ("demo-table.png", "image"),
     ("report.doc", "doc"), ("report.xls", "xls"), ("report.xlsx", "xlsx"), ("report.ofd", "ofd")],
)
def test_real_files(name, kind):
    path = ATTACHMENTS / name
    if not path.is_file():
        pytest.skip(f"{path} not there yet")
    assert sniff_kind(path.read_bytes()) == kind


def test_zip_members_tell_office_and_ofd_apart():
    assert sniff_kind(zipped("word/document.xml")) == "docx"
    assert sniff_kind(zipped("xl/workbook.xml")) == "xlsx"
    assert sniff_kind(zipped("OFD.xml", "Doc_0/Document.xml")) == "ofd"


def test_ole_trusts_a_wps_hint():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert sniff_kind(ole, "wps") == "wps"


def test_html_error_page_is_not_a_document():
    assert sniff_kind(b"<!DOCTYPE html><html>error</html>", "pdf") == "html"


def test_disposition_filenames():
    assert disposition_filename("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.docx") == "年报.docx"
    assert disposition_filename('attachment; filename="年报.pdf"'.encode("utf-8")) == "年报.pdf"
    assert disposition_filename('attachment; filename="年报.pdf"'.encode("gbk")) == "年报.pdf"
    assert disposition_filename(None) is None
