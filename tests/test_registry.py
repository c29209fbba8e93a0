"""The site registry loader: good rows load, a bad registry stops with the line named."""

import csv

import pytest

from crawler.registry import FAMILIES, RegistryError, load_registry
from tests.helpers import PROJECT


def write(tmp_path, text):
    path = tmp_path / "sites.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_rows_and_empty_family(tmp_path):
    path = write(tmp_path, "name,region_code,url,family\na,230124,https://a.gov.cn/col/col1/index.html,hanweb\nb,,http://b.gov.cn/nb/,\n")
    sites = load_registry(path)
    assert [(s.name, s.region_code, s.family, s.host) for s in sites] == [
        ("a", "230124", "hanweb", "a.gov.cn"),
        ("b", None, None, "b.gov.cn"),
    ]


def test_region_prefix_keeps_matching_rows(tmp_path):
    path = write(tmp_path, "name,region_code,url,family\na,230124,https://a.gov.cn/,\nb,610403,https://b.gov.cn/,\n")
    assert [s.name for s in load_registry(path, region="23")] == ["a"]


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, "name,url,family\na,https://a.gov.cn/,trs\n")
    with pytest.raises(RegistryError, match=r":1: missing column\(s\) region_code"):
        load_registry(path)


def test_malformed_url_names_the_line(tmp_path):
    path = write(tmp_path, "name,region_code,url,family\na,230124,https://a.gov.cn/,\nb,230125,a.gov.cn/nb,\n")
    with pytest.raises(RegistryError, match=r"sites\.csv:3: malformed url"):
        load_registry(path)


def test_unknown_family_names_the_line(tmp_path):
    path = write(tmp_path, "name,region_code,url,family\na,230124,https://a.gov.cn/,wordpress\n")
    with pytest.raises(RegistryError, match=r"sites\.csv:2: unknown family 'wordpress'"):
        load_registry(path)


def test_duplicate_name_is_refused(tmp_path):
    path = write(tmp_path, "name,region_code,url,family\na,11,https://a.gov.cn/,\na,12,https://b.gov.cn/,\n")
    with pytest.raises(RegistryError, match=r":3: duplicate name"):
        load_registry(path)


@pytest.mark.parametrize("registry", sorted(p for p in (PROJECT / "sites").glob("*.csv") if not p.name.endswith("-homes.csv")), ids=lambda p: p.name)
def test_shipped_registries_are_valid(registry):
    sites = load_registry(registry)
    assert sites
    header = next(csv.reader(registry.open(encoding="utf-8")))
    assert header == ["name", "region_code", "url", "family"]
    for site in sites:
        assert site.family is None or site.family in FAMILIES


def test_real_registry_lists_gov_report_columns():
    sites = load_registry(PROJECT / "sites" / "real.csv")
    assert len(sites) >= 3  # seeds and domain notes: 方正县 (Hanweb), 五常市 (Hanweb), 杨凌区
    for site in sites:
        assert site.host.endswith(".gov.cn") and site.url.startswith("http")
        assert site.region_code and len(site.region_code) == 6


# --- any printable name; optional override columns -------------------------------------------------

def test_a_chinese_site_name_is_accepted_and_stays_safe_in_keys_and_file_names(tmp_path):
    from crawler.stats_keys import site_key

    path = write(tmp_path, "name,region_code,url,family\n方正县人民政府网,230124,https://fz.gov.cn/nb/,\n哈尔滨/道里区 政务公开,230102,https://dl.gov.cn/nb/,\n")
    sites = load_registry(path)
    assert [s.name for s in sites] == ["方正县人民政府网", "哈尔滨/道里区 政务公开"]
    assert site_key(sites[0].name, "pages") == "site/方正县人民政府网/pages"
    assert site_key(sites[1].name, "pages") == "site/哈尔滨_道里区 政务公开/pages"
    assert sites[0].file_stem == "方正县人民政府网"
    assert sites[1].file_stem == "哈尔滨_道里区_政务公开"


@pytest.mark.parametrize(
    "name, message",
    [("", r":2: empty site name"), ("a\tb", r":2: bad site name 'a\\tb' \(printable text"), ("名" * 101, r":2: bad site name")],
)
def test_a_bad_name_gives_one_clear_line(tmp_path, name, message):
    path = tmp_path / "sites.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name", "region_code", "url", "family"], [name, "230124", "https://a.gov.cn/", ""]])
    with pytest.raises(RegistryError, match=message) as problem:
        load_registry(path)
    assert "\n" not in str(problem.value)


def test_override_columns_are_optional_and_read(tmp_path):
    path = write(
        tmp_path,
        "name,region_code,url,family,list_selector,body_selector,encoding\n"
        "a,230124,https://a.gov.cn/,generic,#list li,//div[@id='txt'],gbk\nb,230125,https://b.gov.cn/,,,,\n",
    )
    a, b = load_registry(path)
    assert (a.list_selector, a.body_selector, a.encoding) == ("#list li", "//div[@id='txt']", "gbk")
    assert (b.list_selector, b.body_selector, b.encoding) == (None, None, None)


@pytest.mark.parametrize(
    "columns, message",
    [("a[,,", r":2: bad list_selector 'a\['"), (",//div[,", r":2: bad body_selector '//div\['"), (",,big-5x", r":2: unknown encoding 'big-5x'")],
)
def test_a_bad_override_names_the_line(tmp_path, columns, message):
    path = write(tmp_path, f"name,region_code,url,family,list_selector,body_selector,encoding\na,230124,https://a.gov.cn/,,{columns}\n")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)
