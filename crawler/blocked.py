"""Recognise anti-bot answers so a blocked site is counted and skipped, never parsed or looped on.

Kinds: ``challenge_rs`` (瑞数: HTTP 412, ``$_ts`` stub), ``challenge_jsl`` (加速乐: HTTP 521,
``__jsl_clearance``), ``waf_aliyun`` (``acw_sc__v2`` challenge), ``challenge_page`` (an HTTP-200
verification page with no list and no body). Real content pages may carry the 瑞数 script
(``$_ts``, ``r='m'``): a page with links or a body container is content, whatever else it holds.
"""

from __future__ import annotations

import re

_CONTENT = re.compile(
    rb"(<datastore|<record>|var\s+listData|cmspro_documents|UCAP-CONTENT|TRS_Editor|trs_editor_view|"
    rb"id=[\"']?zoom|<table|<article)",
    re.I,
)
_LINK = re.compile(rb"<a\s[^>]*href\s*=", re.I)
_CHALLENGE_WORDS = [w.encode("utf-8") for w in ("请稍候", "安全验证", "访问异常", "滑动验证", "验证码", "Please enable JavaScript")]


def _has_content(body: bytes) -> bool:
    return bool(_CONTENT.search(body)) or len(_LINK.findall(body)) >= 3


def block_kind(status: int, body: bytes, headers: dict | None = None) -> str | None:
    """The kind of anti-bot answer this response is, or None for an ordinary response."""
    head = body[:8192]
    cookies = b" ".join(_header_values(headers, b"Set-Cookie"))
    if status == 412 or (b"$_ts" in head and not _has_content(body)):
        return "challenge_rs"
    if status == 521 or (b"__jsl_clearance" in head and not _has_content(body)):
        return "challenge_jsl"
    if b"acw_sc__v2" in head or b"acw_sc__v2" in cookies:
        if not _has_content(body):
            return "waf_aliyun"
    if status == 200 and not _has_content(body):
        if any(w in head for w in _CHALLENGE_WORDS) or (b"<script" in head.lower() and len(body) < 2048):
            return "challenge_page"
    return None


def _header_values(headers, name: bytes) -> list[bytes]:
    if not headers:
        return []
    if hasattr(headers, "getlist"):
        return [v if isinstance(v, bytes) else str(v).encode() for v in headers.getlist(name)]
    value = headers.get(name) or headers.get(name.decode())
    if value is None:
        return []
    return [value if isinstance(value, bytes) else str(value).encode()]
