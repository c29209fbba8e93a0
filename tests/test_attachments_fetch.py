"""Content-Disposition names of downloaded attachments. Kinds by magic bytes are the readers'
``sniff_kind`` (tests/test_readers_sniff.py); the fetch itself runs through the real engine in the
end-to-end test."""

from pipelines.attachments import disposition_filename


def test_disposition_filenames():
    assert disposition_filename("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.docx") == "年报.docx"
    assert disposition_filename('attachment; filename="年报.pdf"'.encode("utf-8")) == "年报.pdf"
    assert disposition_filename('attachment; filename="年报.pdf"'.encode("gbk")) == "年报.pdf"
    assert disposition_filename(None) is None
