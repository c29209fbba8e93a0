"""Each reader on its generated fixture: the section 三 and 四 numbers land in the right rows.

The fixtures and their numbers come from tests/fixtures/attachments/make_fixtures.py (expected.json).
"""

from __future__ import annotations

import shutil

import pytest

from pipelines.document import Table
from pipelines.readers import read_attachment
from tests.fixtures.attachments.expect import (
    ATTACHMENTS,
    cell_score,
    expected_requests,
    expected_review,
    load_expected,
    ocr_cell_accuracy,
    requests_from,
    review_from,
)

EXPECTED = load_expected()
TEXT_LAYER = [name for name, e in EXPECTED.items() if e["kind"] != "image" and not e.get("ocr")]
IMAGES = [name for name, e in EXPECTED.items() if e["kind"] == "image" or e.get("ocr")]
OCR_FLOOR = 0.95


def read(name: str):
    return read_attachment((ATTACHMENTS / name).read_bytes(), name)


@pytest.mark.parametrize("name", TEXT_LAYER)
def test_text_layer_fixture_gives_every_expected_cell(name):
    result = read(name)
    assert result.kind == EXPECTED[name]["kind"]
    assert not result.ocr
    right, total, misses = cell_score(result.blocks, EXPECTED[name])
    assert misses == [] and right == total


@pytest.mark.parametrize("name", TEXT_LAYER)
def test_text_layer_fixture_keeps_title_and_section_headings(name):
    lines = [b for b in read(name).blocks if isinstance(b, str)]
    title = f"{EXPECTED[name]['organ']}{EXPECTED[name]['year']}年政府信息公开工作年度报告"
    assert title in lines
    if EXPECTED[name]["kind"] != "ofd":
        assert "三、收到和处理政府信息公开申请情况" in lines
        assert "四、政府信息公开行政复议、行政诉讼情况" in lines


def test_pdf_table_split_over_a_page_break_is_one_table():
    result = read("report-2021-split.pdf")
    tables = [b for b in result.blocks if isinstance(b, Table)]
    requests = [t for t in tables if any("本年新收" in cell for row in t.cells for cell in row)]
    assert len(requests) == 1
    cells = requests[0].cells
    assert any("结转下年" in row[0] for row in cells)
    # The merged group label cut by the page break continues on the next page.
    unclear = next(row for row in cells if "仍不明确" in row[2])
    assert unclear[1] == "（四）无法提供"
    assert unclear[0] == "三、本年度办理结果"


def test_pdf_page_numbers_and_running_header_are_removed():
    lines = [b for b in read("report-2021-split.pdf").blocks if isinstance(b, str)]
    assert not any(line.strip("- ").isdigit() for line in lines)
    assert lines.count("青石镇人民政府2022年政府信息公开工作年度报告") == 1


def test_pdf_merged_cells_are_repeated_and_marked_copied():
    table = next(b for b in read("report-2021-split.pdf").blocks if isinstance(b, Table) and b.width == 10)
    row = next(i for i, r in enumerate(table.cells) if "属于国家秘密" in r[2])
    assert table.cells[row + 1][1] == "（三）不予公开"
    assert table.copied[row + 1][1] is True
    assert table.copied[row][1] is False


def test_docx_merged_cells_expand_like_html():
    table = next(b for b in read("report-merged.docx").blocks if isinstance(b, Table) and b.width == 10)
    assert table.cells[0][:3] == [table.cells[0][0]] * 3
    assert table.copied[0][1] and table.copied[1][0]
    granted = next(i for i, r in enumerate(table.cells) if r[1] == "（一）予以公开")
    assert table.cells[granted][0] == "三、本年度办理结果" and not table.copied[granted][0]
    assert table.cells[granted + 1][0] == "三、本年度办理结果" and table.copied[granted + 1][0]


def test_xlsx_merged_ranges_expand():
    table = next(b for b in read("report.xlsx").blocks if isinstance(b, Table) and b.width == 10)
    secret = next(r for r in table.cells if "国家秘密" in r[2])
    assert secret[0] == "三、本年度办理结果"


def test_ofd_rows_read_as_tab_separated_lines():
    result = read("report.ofd")
    assert requests_from(result.blocks)["new"] == expected_requests(EXPECTED["report.ofd"])["new"]
    assert review_from(result.blocks) == expected_review(EXPECTED["report.ofd"])


def test_doc_merged_table_cells_come_from_the_word97_structure():
    table = next(b for b in read("report.doc").blocks if isinstance(b, Table) and b.width == 10)
    row = next(i for i, r in enumerate(table.cells) if r[2].startswith("2.其他法律"))
    assert table.cells[row][:2] == ["三、本年度办理结果", "（三）不予公开"]
    assert table.copied[row][:2] == [True, True]


def _broken_word97(data: bytes) -> bytes:
    """The DOC fixture with its FIB magic damaged: the native reader gives up, converters run."""
    index = next(i for i in range(512, len(data), 512) if data[i : i + 2] == b"\xec\xa5")
    return data[:index] + b"\x00\x00" + data[index + 2 :]


@pytest.mark.skipif(not (shutil.which("antiword") or shutil.which("catdoc")), reason="no DOC converter installed")
def test_doc_falls_back_to_a_system_converter():
    result = read_attachment(_broken_word97((ATTACHMENTS / "report.doc").read_bytes()), "report.doc")
    assert result.kind == "doc"
    assert any("converted with" in w for w in result.warnings)
    assert "桃源镇人民政府2022年政府信息公开工作年度报告" in [b.strip() for b in result.blocks if isinstance(b, str)]


def test_doc_without_native_structure_or_converter_warns(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = read_attachment(_broken_word97((ATTACHMENTS / "report.doc").read_bytes()), "report.doc")
    assert result.kind == "doc"
    assert result.blocks == []
    assert any("no DOC converter" in w for w in result.warnings)


@pytest.mark.parametrize("name", IMAGES)
def test_image_ocr_reads_the_number_cells(name):
    result = read(name)
    assert result.kind == EXPECTED[name]["kind"] and result.ocr
    assert any("OCR" in w for w in result.warnings)
    right, total, misses = ocr_cell_accuracy(result.blocks, EXPECTED[name])
    print(f"OCR cell accuracy {name}: {right}/{total} = {right / total:.3f}; misses: {misses}")
    assert right / total >= OCR_FLOOR, misses


def _parser():
    try:
        from pipelines.parsing import parse_report
    except ImportError:
        return None
    return parse_report


@pytest.mark.skipif(_parser() is None, reason="pipelines.parsing.parse_report is not available")
@pytest.mark.parametrize("name", TEXT_LAYER)
def test_parser_reads_each_text_fixture_to_its_expected_values(name):
    parse_report = _parser()
    expected = EXPECTED[name]
    report = parse_report(read(name).blocks)
    assert report["organ"] == expected["organ"]
    assert report["year"] == expected["year"]
    assert report["format"] == expected["format"]
    for section in ("requests", "review_litigation", "active"):
        for key, row in expected[section].items():
            for column, value in row.items():
                assert (report[section] or {}).get(key, {}).get(column) == value, (section, key, column)
