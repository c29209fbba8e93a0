"""Recognise anti-bot answers, so a challenged page is counted and retried, never parsed as a report.

Kinds: ``challenge_rs`` (瑞数: HTTP 412, ``$_ts`` stub), ``challenge_jsl`` (加速乐: HTTP 521, or an
HTTP-200 second stage whose ``__jsl_clearance_s`` cookie script may sit after many KB of script),
``waf_aliyun`` (the ``acw_sc__v2`` cookie challenge, in the body or in ``Set-Cookie``),
``waf_denied`` (an HTTP-200 WAF page: 访问受限, 访问被拒绝, 非法请求…) and ``challenge_page``
(an HTTP-200 verification page with no list and no body: challenge words, or a short page of
script without a single link; a township's column listing one or two reports is short too). The whole body is read: markers can sit
far down. Real content pages may carry the 瑞数 script (``$_ts``, ``r='m'``): a page with links or
a body container is content, whatever else it holds.
"""

from __future__ import annotations

import re

_CONTENT = re.compile(
    rb"(<datastore|<record>|var\s+listData|cmspro_documents|UCAP-CONTENT|TRS_Editor|trs_editor_view|"
    rb"id=[\"']?zoom|<table|<article)",
    re.I,
)
_LINK = re.compile(rb"<a\s[^>]*href\s*=", re.I)
_SCRIPT = re.compile(rb"<script", re.I)
_CHALLENGE_WORDS = [w.encode("utf-8") for w in ("请稍候", "安全验证", "访问异常", "滑动验证", "验证码", "Please enable JavaScript")]
_DENIED_WORDS = [w.encode(encoding) for w in ("访问受限", "访问被拒绝", "非法请求", "您的访问被阻断", "访问已被拦截") for encoding in ("utf-8", "gb18030")]
#: a verification page is short; a script-only page longer than this is taken as content unless a marker says otherwise
_SHORT_SCRIPT_PAGE = 2048


def _has_content(body: bytes) -> bool:
    return bool(_CONTENT.search(body)) or len(_LINK.findall(body, 0, 1 << 20)) >= 3


def block_kind(status: int, body: bytes, headers: dict | None = None) -> str | None:
    """The kind of anti-bot answer this response is, or None for an ordinary response."""
    body = body or b""
    cookies = b" ".join(_header_values(headers, b"Set-Cookie"))
    if status == 412:
        return "challenge_rs"
    if status == 521:
        return "challenge_jsl"
    if _has_content(body):
        return None
    if b"$_ts" in body:
        return "challenge_rs"
    if b"__jsl_clearance" in body or b"__jsl_clearance" in cookies:
        return "challenge_jsl"
    if b"acw_sc__v2" in body or b"acw_sc__v2" in cookies:
        return "waf_aliyun"
    if status in (200, 403, 405) and any(w in body for w in _DENIED_WORDS):
        return "waf_denied"
    if status == 200:
        if any(w in body for w in _CHALLENGE_WORDS) or (_SCRIPT.search(body) and len(body) < _SHORT_SCRIPT_PAGE and not _LINK.search(body)):
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
