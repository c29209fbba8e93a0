"""Decode a fetched page right even when its server lies about the charset.

Scrapy decodes by the Content-Type header first, then BOM/``<meta charset>``. Old gov.cn servers
often send ``charset=ISO-8859-1`` (or the wrong one of UTF-8/GBK). The response is re-decoded with
the codec ``pipelines.cleaning.detect_encoding`` finds for its bytes and declared charset, the
same rule the offline ``python -m pipelines.parse`` uses, so a page reads the same both ways.
"""

from __future__ import annotations

import codecs

from pipelines.cleaning.encoding import detect_encoding


def _header_charset(response) -> str | None:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return None


def decoded(response):
    """The response itself, or a copy decoding with the right charset (see the module docstring)."""
    if not hasattr(response, "text"):
        return response
    encoding = detect_encoding(response.body, _header_charset(response))
    try:
        if codecs.lookup(encoding).name == codecs.lookup(response.encoding).name:
            return response
    except LookupError:
        pass
    return response.replace(encoding=encoding)
