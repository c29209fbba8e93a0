"""The organ key: one organ across years and spellings.

``红星镇人民政府``, ``方正县红星镇人民政府`` and ``红星镇政府`` are one organ: the key drops the
generic 人民政府/政府 of a government, the 办事处 of a 街道, and the county or city in front of a
township (镇, 乡, 街道, 苏木). A department keeps its county (``方正县财政局`` stays whole) so
two counties' bureaus never meet. The portal's region code goes in front, so equal names in two
regions stay apart: ``230124:红星镇``. The region is cut to its first 6 digits (the county level
of a 行政区划代码), so a township's own portal (``230124100``) and its county's portal agree.
"""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\u3000·•,，、:：()（）\[\]【】《》“”\"']")
_UNIT = r"(?:省|自治区|市|自治州|州|盟|地区|自治县|县|区|自治旗|旗|林区|特区)"
_GOVERNMENT = re.compile(r"(?<=[镇乡道木省市州盟区县旗])政府$")
_TOWNSHIP = re.compile(rf"^(?P<prefix>(?:.{{1,10}}?{_UNIT})+?)(?P<core>[^省市县区旗州]{{2,10}}(?:镇|乡|街道|苏木))$")


def organ_core(name: str | None) -> str | None:
    """The organ's name without the spelling variants that differ between years and portals."""
    if not name:
        return None
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name))
    text = text.replace("人民政府", "政府")
    text = _GOVERNMENT.sub("", text)
    text = re.sub(r"(?<=街道)办事处$", "", text)
    township = _TOWNSHIP.match(text)
    if township:
        text = township["core"]
    return text or None


def organ_key(name: str | None, region_code: str | None) -> str | None:
    """``<region code>:<core name>`` (the core name alone when the region is unknown); None without a name."""
    core = organ_core(name)
    if core is None:
        return None
    region = (region_code or "")[:6]
    return f"{region}:{core}" if region else core
