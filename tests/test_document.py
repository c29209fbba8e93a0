"""pipelines.document: span grids, layout tables, line breaking, text rendering."""

from __future__ import annotations

from lxml import html as lxml_html

from pipelines.document import (
    MAX_SPAN,
    Table,
    blocks_to_text,
    data_table_grid,
    html_to_blocks,
    is_layout_table,
    normalize_space,
    parse_html,
    table_to_grid,
    text_to_blocks,
)


def _table(markup: str) -> Table:
    return table_to_grid(lxml_html.fragment_fromstring(markup))


def test_colspan_repeats_text_and_marks_copies():
    grid = _table("<table><tr><td colspan='3'>第二十条第（一）项</td></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>")
    assert grid.cells[0] == ["第二十条第（一）项"] * 3
    assert grid.copied[0] == [False, True, True]
    assert grid.cells[1] == ["a", "b", "c"]


def test_rowspan_fills_the_slots_below_and_shifts_later_cells():
    grid = _table(
        "<table><tr><td rowspan='2'>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr>"
        "<tr><td>（二）部分公开</td><td>1</td></tr></table>"
    )
    assert grid.cells == [["三、本年度办理结果", "（一）予以公开", "5"], ["三、本年度办理结果", "（二）部分公开", "1"]]
    assert grid.copied[1] == [True, False, False]


def test_rowspan_and_colspan_together():
    grid = _table(
        "<table><tr><td rowspan='2' colspan='2'>note</td><td>x</td></tr><tr><td>y</td></tr>"
        "<tr><td>1</td><td>2</td><td>3</td></tr></table>"
    )
    assert grid.cells == [["note", "note", "x"], ["note", "note", "y"], ["1", "2", "3"]]
    assert grid.copied[1] == [True, True, False]


def test_own_rows_blank_the_copies():
    grid = _table("<table><tr><td colspan='2'>head</td></tr><tr><td>a</td><td>b</td></tr></table>")
    assert grid.own_rows() == [["head", ""], ["a", "b"]]


def test_rowspan_past_the_last_row_is_cut_and_huge_spans_are_capped():
    grid = _table("<table><tr><td rowspan='9'>a</td><td colspan='9999'>b</td></tr></table>")
    assert len(grid.cells) == 1
    assert grid.width == 1 + MAX_SPAN


def test_ragged_rows_are_padded_and_empty_rows_dropped():
    grid = _table("<table><tr><td>a</td></tr><tr><td></td><td></td></tr><tr><td>b</td><td>c</td></tr></table>")
    assert grid.cells == [["a", ""], ["b", "c"]]


def test_cell_text_joins_paragraphs_and_skips_scripts():
    grid = _table("<table><tr><td><p>本年新收</p><p>申请数量</p><script>x()</script></td></tr></table>")
    assert grid.cells == [["本年新收 申请数量"]]


def test_layout_table_is_walked_and_inner_data_table_kept():
    blocks = html_to_blocks(
        "<table><tr><td><p>正文第一段</p><table><tr><td>a</td><td>b</td></tr></table><p>正文末段</p></td></tr></table>"
    )
    assert blocks[0] == "正文第一段"
    assert isinstance(blocks[1], Table) and blocks[1].cells == [["a", "b"]]
    assert blocks[2] == "正文末段"


def test_data_table_grid_is_the_grid_of_a_data_table_and_none_for_a_layout_table():
    prose = "报告正文" * 600
    paragraphs = "".join(f"<p>{'第一段文字' * 20}</p>" for _ in range(4))
    cases = (
        "<table><tr><td rowspan='2'>甲</td><td>1</td></tr><tr><td>2</td></tr></table>",
        f"<table><tr><td>{prose}</td></tr></table>",
        f"<table><tr><td>{paragraphs}</td></tr></table>",
        f"<table><tr><td>标题</td><td><div><td>{prose}</td></div></td></tr></table>",
        f"<table><caption><span><td>{prose}</td></span></caption><tr><td>1</td></tr></table>",
        "<table><tr><td><p>本年新收</p></td><td>２</td></tr><tr><td><table><tr><td>a</td></tr></table></td></tr></table>",
    )
    for markup in cases:
        table = lxml_html.fragment_fromstring(markup)
        grid = data_table_grid(table)
        assert (grid is None) == is_layout_table(table), markup
        if grid is not None:
            expected = table_to_grid(table)
            assert (grid.cells, grid.copied) == (expected.cells, expected.copied)


def test_br_and_block_elements_end_lines():
    blocks = html_to_blocks("<div>甲<br>乙<p>丙</p>丁<span>戊</span></div>")
    assert blocks == ["甲", "乙", "丙", "丁戊"]


def test_whitespace_collapses_including_ideographic_space_and_nbsp():
    assert normalize_space("\u3000\u3000一、\xa0总体\t情况 \n") == "一、 总体 情况"
    assert html_to_blocks("<p>\u3000\u3000本年度</p>") == ["本年度"]


def test_comments_and_scripts_give_no_text():
    assert html_to_blocks("<div><!-- c --><script>var a='主办单位';</script><style>p{}</style>正文</div>") == ["正文"]


def test_blocks_to_text_tabs_table_rows_and_collapses_blank_runs():
    grid = _table("<table><tr><td colspan='2'>head</td></tr><tr><td>a</td><td>b</td></tr></table>")
    text = blocks_to_text(["一", "", "", "二", grid, ""])
    assert text == "一\n\n二\nhead\na\tb"


def test_text_to_blocks_keeps_tabs_and_blank_lines():
    assert text_to_blocks("a\tb  \r\n\r\nc\ufeff") == ["a\tb", "", "c"]


def test_parse_html_accepts_bytes_and_empty_markup():
    assert parse_html(b"<p>\xe6\xad\xa3\xe6\x96\x87</p>").text_content() == "正文"
    assert parse_html("   ").text_content() == ""


def test_parse_html_survives_a_stray_html_end_tag_and_xml_declaration():
    root = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><div>头部</div></html><div>正文</div></body></html>')
    assert html_to_blocks(root) == ["头部", "正文"]


def test_normalize_space_by_split_equals_the_whitespace_pattern_for_every_character():
    import re
    import sys

    pattern = re.compile(r"[\s\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        text = f"{ch}甲{ch}{ch}1{ch}"
        assert normalize_space(text) == pattern.sub(" ", text).strip(), hex(code)
