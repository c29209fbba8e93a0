"""Test helpers for the attachment readers: find the section 三 and 四 numbers in blocks.

Independent of the parser (written concurrently): rows are recognised by a key phrase of their
label, numbers are the row's trailing number cells. Works on Table grids and on tab-separated lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines.document import Table

ATTACHMENTS = Path(__file__).resolve().parent / "fixtures" / "attachments"
APPLICANT_COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
GROUPS = ["review", "litigation_direct", "litigation_after_review"]
GROUP_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

ROW_PHRASES = [
    ("new", "本年新收"),
    ("carried_over", "上年结转"),
    ("carried_forward", "结转下年"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("withheld_state_secret", "国家秘密"),
    ("withheld_prohibited_by_law", "禁止公开"),
    ("withheld_security_stability", "稳定"),
    ("withheld_third_party", "第三方"),
    ("withheld_internal_affairs", "内部事务"),
    ("withheld_process_info", "过程性"),
    ("withheld_enforcement_file", "执法案卷"),
    ("withheld_query_matter", "查询事项"),
    ("unavailable_not_held", "不掌握"),
    ("unavailable_needs_creation", "另行制作"),
    ("unavailable_unclear", "仍不明确"),
    ("not_processed_petition", "信访"),
    ("not_processed_repeat", "重复申请"),
    ("not_processed_publication", "出版物"),
    ("not_processed_excessive", "大量反复"),
    ("not_processed_confirmation", "重新出具"),
    ("other_overdue_correction", "逾期不补正"),
    ("other_unpaid_fee", "缴纳费用"),
    ("total", "（七）总计"),
]


def load_expected() -> dict:
    return json.loads((ATTACHMENTS / "expected.json").read_text(encoding="utf-8"))


def rows_of(blocks) -> list[list[str]]:
    """Every table row and every tab-separated line, as a list of cell texts (copies kept)."""
    rows = []
    for block in blocks:
        if isinstance(block, Table):
            rows.extend(block.cells)
        elif "\t" in block:
            rows.append([cell.strip() for cell in block.split("\t")])
    return rows


def _dedupe(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if not out or out[-1] != cell:
            out.append(cell)
    return out


def _row_key(label: str) -> str | None:
    compact = re.sub(r"\s+", "", label).replace("(", "（").replace(")", "）")
    for key, phrase in ROW_PHRASES:
        if phrase in compact:
            return key
    if "（六）" in compact or "其他处理" in compact:
        return "other_other" if compact.endswith("其他") else "other"
    return None


def requests_from(blocks) -> dict[str, list[str]]:
    """Row key -> the row's last seven cells, for the rows of section 三 found in the blocks."""
    found: dict[str, list[str]] = {}
    for row in rows_of(blocks):
        numbers_at = [i for i, cell in enumerate(row) if _NUMBER.match(cell)]
        if len(row) < 8 or not numbers_at:
            continue
        label = "".join(cell for cell in _dedupe(row[:-7]) if not _NUMBER.match(cell))
        key = _row_key(label)
        if key and key not in found and len(row) - 7 >= 1:
            found[key] = row[-7:]
    return found


def review_from(blocks) -> list[str] | None:
    """The fifteen cells of the section 四 data row (the first row of 15 numbers)."""
    for row in rows_of(blocks):
        tail = row[-15:]
        if len(tail) == 15 and all(_NUMBER.match(cell) for cell in tail):
            return tail
    return None


def expected_requests(expected: dict) -> dict[str, list[str]]:
    return {key: [_text(row[c]) for c in APPLICANT_COLUMNS] for key, row in expected["requests"].items()}


def expected_review(expected: dict) -> list[str]:
    return [_text(expected["review_litigation"][g][c]) for g in GROUPS for c in GROUP_COLUMNS]


def _text(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def cell_score(blocks, expected: dict) -> tuple[int, int, list[str]]:
    """(cells read right, cells expected, mismatches) over the section 三 and 四 numbers."""
    got = requests_from(blocks)
    right = total = 0
    misses: list[str] = []
    for key, cells in expected_requests(expected).items():
        row = got.get(key, [""] * 7)
        for column, want, have in zip(APPLICANT_COLUMNS, cells, row):
            total += 1
            if want == have:
                right += 1
            else:
                misses.append(f"{key}.{column}: want {want} got {have!r}")
    review = review_from(blocks) or [""] * 15
    for index, (want, have) in enumerate(zip(expected_review(expected), review)):
        total += 1
        if want == have:
            right += 1
        else:
            misses.append(f"review[{index}]: want {want} got {have!r}")
    return right, total, misses


ROW_ORDER_2021 = [
    "new", "carried_over", "granted", "partially_granted",
    "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability", "withheld_third_party",
    "withheld_internal_affairs", "withheld_process_info", "withheld_enforcement_file", "withheld_query_matter",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
    "not_processed_petition", "not_processed_repeat", "not_processed_publication", "not_processed_excessive",
    "not_processed_confirmation", "other_overdue_correction", "other_unpaid_fee", "other_other", "total",
    "carried_forward",
]


def ocr_cell_accuracy(blocks, expected: dict) -> tuple[int, int, list[str]]:
    """OCR number cells read exactly, by position: the section 三 grid's data rows in the official
    order (2021 format, 25 rows of 7 numbers) and the section 四 row of 15 numbers."""
    tables = [b for b in blocks if isinstance(b, Table)]
    requests_table = next((t for t in tables if t.width == 10), None)
    data_rows = []
    if requests_table is not None:
        data_rows = [row[-7:] for row in requests_table.cells if any(_NUMBER.match(cell) for cell in row[-7:])]
    right = total = 0
    misses: list[str] = []
    for index, key in enumerate(ROW_ORDER_2021):
        want = [_text(expected["requests"][key][c]) for c in APPLICANT_COLUMNS]
        have = data_rows[index] if index < len(data_rows) else [""] * 7
        for column, w, h in zip(APPLICANT_COLUMNS, want, have):
            total += 1
            if w == h:
                right += 1
            else:
                misses.append(f"{key}.{column}: want {w} got {h!r}")
    review = review_from(blocks) or [""] * 15
    for index, (w, h) in enumerate(zip(expected_review(expected), review)):
        total += 1
        if w == h:
            right += 1
        else:
            misses.append(f"review[{index}]: want {w} got {h!r}")
    return right, total, misses
