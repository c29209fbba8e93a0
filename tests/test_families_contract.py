"""Every CMS family is one unit: found once, named, documented, with markers and a frozen page."""

import re
import sys

from crawler.families import FAMILIES, detect_family
from crawler.families.base import Family
from crawler.families.detect import family_scores
from tests.helpers import DEMO_SITE, FIXTURES


def test_families_are_found_from_the_package():
    assert set(FAMILIES) == {"trs", "hanweb", "ucap", "generic"}
    for name, family in FAMILIES.items():
        assert isinstance(family, Family) and family.name == name


def test_each_family_documents_itself_and_defines_entries():
    for family in FAMILIES.values():
        cls = type(family)
        assert sys.modules[cls.__module__].__doc__, cls
        assert cls.entries is not Family.entries, cls


def test_markers_are_class_attributes_and_compile():
    for family in FAMILIES.values():
        for pattern, weight in family.markers:
            re.compile(pattern)
            assert weight > 0
    marked = {name for name, family in FAMILIES.items() if family.markers}
    assert marked == {"trs", "hanweb", "ucap"}
    assert set(family_scores("")) == marked


def test_every_family_has_a_frozen_page_it_is_detected_on():
    pages = {
        "hanweb": FIXTURES / "pages" / "hanweb-sthjt-jiangxi-1.html",
        "ucap": FIXTURES / "pages" / "ucap-jyt-gansu-1.html",
        "trs": DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / "index.html",
        "generic": DEMO_SITE / "gbk" / "xxgk" / "nb" / "list.asp@page=1",
    }
    assert set(pages) == set(FAMILIES)
    for name, path in pages.items():
        assert path.is_file(), f"fixture {path} is missing"
        text = path.read_bytes().decode("gb18030", "replace")
        assert detect_family(text, "http://127.0.0.1/" + path.name)[0] == name, name
