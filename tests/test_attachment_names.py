"""A server's Content-Disposition file name is made harmless: last path part, no control
characters, at most 120 characters (extension kept); Chinese names stay as they are."""

import pytest

from pipelines.attachments import MAX_FILENAME, disposition_filename, safe_filename


@pytest.mark.parametrize("header,expected", [
    (b'attachment; filename="../../etc/passwd"', "passwd"),
    (b"attachment; filename=..\\..\\windows\\win.ini", "win.ini"),
    ("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
    ("attachment; filename*=UTF-8''..%2F..%2F%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
    (b'attachment; filename="a\x07b.doc"', "ab.doc"),
    (b'attachment; filename="/"', None),
])
def test_disposition_names_are_harmless(header, expected):
    assert disposition_filename(header) == expected


def test_long_name_cut_with_its_extension():
    name = safe_filename("年" * 296 + ".pdf")
    assert len(name) == MAX_FILENAME and name.endswith(".pdf")
