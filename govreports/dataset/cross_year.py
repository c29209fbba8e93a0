"""Cross-year checks: what an organ carried forward (结转下年度继续办理) at the end of one year should
be what its next report carried over (上年结转). Totals only; a blank on either side is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("organ_key", "organ", "year", "carried_forward_total", "next_year", "next_carried_over_total", "url", "next_url")


def request_cell(record: dict, row: str, column: str = "total"):
    value = ((record.get("requests") or {}).get(row) or {}).get(column)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class CrossYear:
    organ_key: str
    organ: str | None
    year: int
    carried_forward_total: float
    next_year: int
    next_carried_over_total: float
    url: str
    next_url: str

    def row(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


def reports_by_organ(records: list[dict]) -> dict[str, dict[int, dict]]:
    """``{organ_key: {year: record}}``; of two records of one organ and year, the later one."""
    organs: dict[str, dict[int, dict]] = {}
    for record in records:
        key, year = record.get("organ_key"), record.get("year")
        if key and isinstance(year, int) and record.get("format") in ("2021", "2019"):
            organs.setdefault(key, {})[year] = record
    return organs


def cross_year_checks(records: list[dict]) -> tuple[list[CrossYear], int]:
    """The mismatches, sorted by organ and year, and how many year pairs could be compared."""
    mismatches, compared = [], 0
    for key, years in sorted(reports_by_organ(records).items()):
        for year in sorted(years):
            later = years.get(year + 1)
            if later is None:
                continue
            forward = request_cell(years[year], "carried_forward")
            over = request_cell(later, "carried_over")
            if forward is None or over is None:
                continue
            compared += 1
            if forward != over:
                mismatches.append(
                    CrossYear(key, later.get("organ"), year, forward, year + 1, over, years[year]["url"], later["url"])
                )
    return mismatches, compared
