"""Property-based tests (hypothesis) over the pure functions that take outside text.

Each property says: no exception other than the documented ones, and no number invented (a cell
with no digit never becomes a number). ``CASES`` counts the generated cases; the last test checks
the total (at least 10,000 when the module runs whole).
"""

from __future__ import annotations

import datetime
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.registry import RegistryError, load_registry
from crawler.titles import is_annual_report, title_year
from pipelines.cleaning.encoding import decode_html, detect_encoding
from pipelines.document import MAX_SPAN, Table, html_to_blocks
from pipelines.parsing import parse_report
from pipelines.parsing.metadata import parse_date
from pipelines.parsing.numbers import parse_number
from pipelines.parsing.rows import blocks_to_rows
from pipelines.parsing.tables import active_key, request_key

CASES: dict[str, int] = {}


def cases(n: int):
    """``n`` generated cases, no per-case deadline (a loaded machine), no example database on disk.

    Under CI (``CI`` set) the cases are derandomized, so a CI run is reproducible; elsewhere every
    run explores new cases (and a failure prints the case to turn into a unit test)."""
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=bool(os.environ.get("CI")))

# Text the portals print: Chinese, digits of every width, separators, placeholders, noise.
CN = "政府信息公开年度报告本年新收申请件数万元〇一二三四五六七八九十年月日县市区局委办（）()、，。：:"
PIECES = st.sampled_from(["/", "-", "—", "－", "　", " ", "\t", ",", ".", "元", "万元", "%", "+", "e5", "０", "１２", "3", "45,678", "1e309", "NaN", "inf", "²", "٣", "①"])
OUTSIDE_TEXT = st.lists(st.one_of(st.text(alphabet=CN, max_size=6), st.text(max_size=4), PIECES), max_size=8).map("".join)


def _count(name: str) -> None:
    CASES[name] = CASES.get(name, 0) + 1


def _has_digit(text: str) -> bool:
    return any(unicodedata.digit(ch, None) is not None for ch in unicodedata.normalize("NFKC", text))


@cases(3000)
@given(OUTSIDE_TEXT, st.booleans())
def test_number_reading(cell, ten_thousands):
    _count("number reading")
    value = parse_number(cell, ten_thousands=ten_thousands)
    assert value is None or isinstance(value, (int, float))
    if not _has_digit(cell):
        assert value is None, (cell, value)


@cases(700)
@given(st.one_of(OUTSIDE_TEXT, st.builds(lambda y, m, d, sep: f"{y}{sep[0]}{m}{sep[1]}{d}{sep[2]}", st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99),
                                          st.sampled_from([("-", "-", ""), ("年", "月", "日"), ("/", "/", ""), (".", ".", "")]))))
def test_date_reading(text):
    _count("date reading")
    value = parse_date(text)
    if value is not None:
        datetime.date.fromisoformat(value)


@cases(1500)
@given(st.one_of(st.binary(max_size=300), OUTSIDE_TEXT.map(lambda t: t.encode("gb18030")), OUTSIDE_TEXT.map(lambda t: t.encode("utf-8")),
                 st.builds(lambda cs, body: f'<meta charset="{cs}">'.encode() + body, st.sampled_from(["gb2312", "GBK", "utf-8", "big5", "x-unknown", "", "utf-16", "iso-8859-1"]), st.binary(max_size=200))),
       st.one_of(st.none(), st.sampled_from(["gbk", "utf-8", "ISO-8859-1", "nonsense", "utf-16"])))
def test_charset_detection(data, declared):
    _count("charset detection")
    assert isinstance(detect_encoding(data, declared), str)
    assert isinstance(decode_html(data, declared), str)


CELL = st.one_of(OUTSIDE_TEXT, st.integers(-5, 10**6).map(str))
SPAN = st.one_of(st.none(), st.integers(-3, 300).map(str), st.sampled_from(["", "x", "2.5", "1e3", "９"]))


@st.composite
def html_tables(draw):
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            rowspan, colspan = draw(SPAN), draw(SPAN)
            attrs = (f' rowspan="{rowspan}"' if rowspan is not None else "") + (f' colspan="{colspan}"' if colspan is not None else "")
            tag = draw(st.sampled_from(["td", "th"]))
            cells.append(f"<{tag}{attrs}>{draw(CELL)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<html><body><table>" + "".join(rows) + "</table></body></html>"


@cases(800)
@given(html_tables())
def test_grid_building(markup):
    _count("grid building")
    for block in html_to_blocks(markup):
        if isinstance(block, Table):
            widths = {len(row) for row in block.cells}
            assert len(widths) <= 1 and len(block.copied) == len(block.cells)
            assert all(len(c) == len(r) for c, r in zip(block.copied, block.cells))
            assert all(len(row) <= MAX_SPAN * 6 * 2 for row in block.cells)  # own cells plus cells carried down


TEXT_LINE = st.lists(CELL, max_size=8).flatmap(lambda cells: st.sampled_from(["\t", " ", "|", "  ", "　"]).map(lambda sep: sep.join(cells)))


@cases(1000)
@given(st.lists(TEXT_LINE, max_size=12))
def test_text_table_reading(lines):
    _count("text-table reading")
    rows = blocks_to_rows(lines)
    assert isinstance(rows, list)


@cases(1500)
@given(OUTSIDE_TEXT, st.one_of(st.none(), st.sampled_from(["其他处理", "予以公开", "不予公开", "无法提供", "不予处理"]), OUTSIDE_TEXT))
def test_label_matching(label, group):
    _count("label matching")
    key, open_group = request_key(label, group)
    assert key is None or isinstance(key, str)
    assert active_key(label) is None or isinstance(active_key(label), str)


@cases(1500)
@given(st.one_of(OUTSIDE_TEXT, st.text(max_size=60)))
def test_title_classification(title):
    _count("title classification")
    assert isinstance(is_annual_report(title), bool)
    year = title_year(title)
    assert year is None or isinstance(year, int)
    if not _has_digit(title):
        assert year is None


FIELD = st.one_of(st.text(max_size=12), st.sampled_from(["trs", "hanweb", "ucap", "generic", "", "230124", "http://127.0.0.2/x/", "https://例子.中国/年报/", "ftp://x", "南岗区"]))


@cases(600)
@given(st.lists(st.lists(FIELD, min_size=0, max_size=5), max_size=5), st.booleans(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_registry_loader(rows, header, encoding):
    _count("registry loader")
    lines = (["name,region_code,url,family"] if header else []) + [",".join(row) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "站点.csv"
        try:
            path.write_bytes("\n".join(lines).encode(encoding, "replace"))
        except UnicodeEncodeError:
            return
        try:
            sites = load_registry(path)
        except RegistryError as error:
            assert str(error)  # the documented error, with its message naming the line
            return
        except UnicodeDecodeError:
            return  # a registry not in UTF-8: documented (the registry is UTF-8)
        assert all(site.name and site.url for site in sites)


LABELS = ["（一）自然人", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "（一）予以公开", "三、结转下年度继续办理",
          "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购", "行政复议", "行政诉讼",
          "申请人情况", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", "维持", "纠正", "尚未审结"]
DIGIT_FREE = st.text(alphabet=CN.replace("〇一二三四五六七八九十", "") + "/—- 　", max_size=5)


@cases(300)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.lists(DIGIT_FREE, max_size=8)), min_size=1, max_size=15), st.booleans())
def test_no_number_invented_from_digit_free_cells(rows, as_grid):
    _count("report parsing (digit-free cells)")
    if as_grid:
        width = max(len(cells) for _, cells in rows) + 1
        blocks = ["2022年政府信息公开工作年度报告", Table([[label] + cells + [""] * (width - 1 - len(cells)) for label, cells in rows])]
    else:
        blocks = ["2022年政府信息公开工作年度报告"] + ["\t".join([label] + cells) for label, cells in rows]
    report = parse_report(blocks)
    for table in ("active", "requests", "review_litigation"):
        for columns in (report.get(table) or {}).values():
            assert all(value is None for value in (columns or {}).values()), (table, columns)


def test_at_least_ten_thousand_cases():
    total = sum(CASES.values())
    print(f"generated cases: {total} ({CASES})")
    if len(CASES) == 9:
        assert total >= 10_000, CASES
