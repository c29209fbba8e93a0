"""The per-site summary: rows from site stats, a printable table, where the JSON goes."""

from scrapy.settings import Settings

from crawler.summary import format_table, summary_path, summary_rows

STATS = {
    "site/a/pages": 3, "site/a/attachments": 2, "site/a/errors": 1, "site/a/errors/http_404": 1,
    "site/b/blocked": 1, "site/b/blocked/challenge_rs": 1,
}


def test_rows_per_site():
    a, b = summary_rows(STATS, ["a", "b"], {"a": 4})
    assert (a["pages"], a["reports"], a["attachments"], a["errors"], a["status"]) == (3, 4, 2, 1, "ok")
    assert a["error_kinds"] == {"http_404": 1}
    assert (b["blocked"], b["reports"], b["status"]) == (1, 0, "blocked")


def test_table_has_a_line_per_site_and_totals():
    lines = format_table(summary_rows(STATS, ["a", "b"], {"a": 4})).splitlines()
    assert lines[0].split()[:3] == ["site", "pages", "reports"]
    assert [line.split()[0] for line in lines[1:]] == ["a", "b", "TOTAL"]


def test_summary_goes_next_to_the_output():
    assert str(summary_path(Settings({"REPORTS_OUTPUT": "output/reports.jsonl"}))) == "output/summary.json"
    assert str(summary_path(Settings({"FEEDS": {"/tmp/x/out.jsonl": {"format": "jsonlines"}}}))) == "/tmp/x/summary.json"
    assert str(summary_path(Settings({"REPORTS_SUMMARY": "s.json"}))) == "s.json"
