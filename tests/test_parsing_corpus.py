"""Real documents of ../shared/corpus through the readers and the parser (skipped without ../shared)."""

from __future__ import annotations

import pytest

from pipelines.cleaning import clean_blocks
from pipelines.parsing import parse_report, validate_report
from pipelines.readers import read_attachment
from tests.helpers import shared_path

PDFS = {
    "huaian-2024.pdf": ("淮安市人民政府", 2024),
    "hongze-2023.pdf": ("洪泽区人民政府", 2023),
    "hongze-2024.pdf": ("淮安市洪泽区人民政府", 2024),
}


def parse_pdf(name: str) -> tuple[dict, dict]:
    data = shared_path("corpus", name).read_bytes()
    report = parse_report(clean_blocks(read_attachment(data, name).blocks))
    return report, validate_report(report)[0]


@pytest.mark.parametrize("name", sorted(PDFS))
def test_corpus_pdf_is_a_2021_report(name):
    report, validation = parse_pdf(name)
    assert report["format"] == "2021"
    assert (report["organ"], report["year"]) == PDFS[name]
    assert validation["ok"] in (True, False, None)


def test_huaian_2024_is_consistent():
    report, validation = parse_pdf("huaian-2024.pdf")
    assert validation == {"ok": True, "errors": []}
    assert report["requests"]["total"]["total"] == 3050


def test_hongze_2023_prints_a_review_total_of_zero():
    report, validation = parse_pdf("hongze-2023.pdf")
    assert report["review_litigation"]["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    assert "rule 4, group review: upheld+corrected+other+pending=11 != total=0" in validation["errors"]


def test_hongze_2024_prints_other_processing_as_one_row():
    report, _ = parse_pdf("hongze-2024.pdf")
    assert report["requests"]["other"] == dict.fromkeys(report["requests"]["other"], 0)
    assert report["requests"]["other_other"] == dict.fromkeys(report["requests"]["other"])
