"""The contract's four consistency rules ("勾稽关系"); the parser reports, it never corrects.

Blank cells: a null addend counts as 0; a check whose total is null, or all of whose addends are
null, or whose row is absent (a ``… not found`` warning of the parser) is not evaluated, and a
warning names it. ``ok`` is False if any evaluated check fails, True if every check was evaluated
and holds, None otherwise.
"""

from __future__ import annotations

import re

from pipelines.warning_codes import warning

from . import keys

_ABSENT_RE = re.compile(r"^row_missing: requests row (\w+) not found")
_TOLERANCE = 1e-6


def _fmt(number: float | int) -> str:
    if isinstance(number, float):
        return f"{number:.6f}".rstrip("0").rstrip(".")
    return str(number)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.skipped: dict[str, list[str]] = {}
        self.failed: list[tuple[str, str, float]] = []
        self.evaluated = 0

    def check(self, rule: str, where: str, left: tuple[str, list], right: tuple[str, list]) -> None:
        """Compare sums; ``left``/``right`` are (expression, values); the first value of ``right`` is the total."""
        left_name, left_values = left
        right_name, right_values = right
        if (right_values and right_values[0] is None) or left_values.count(None) == len(left_values):
            self.skipped.setdefault(rule, []).append(where)
            return
        self.evaluated += 1
        left_sum = sum([v for v in left_values if v is not None])
        right_sum = sum([v for v in right_values if v is not None])
        if abs(left_sum - right_sum) > _TOLERANCE:
            self.errors.append(f"{rule}, {where}: {left_name}={_fmt(left_sum)} != {right_name}={_fmt(right_sum)}")
            self.failed.append((rule, where, left_sum - right_sum))

    def skip(self, rule: str, where: str) -> None:
        self.skipped.setdefault(rule, []).append(where)


def validate_report(report: dict) -> tuple[dict, list[str]]:
    """Rules 1–4 over ``report["requests"]`` and ``report["review_litigation"]``.

    Returns ``({"ok": True|False|None, "errors": [...]}, warnings)``.
    """
    checker = _Checker()
    warnings: list[str] = []
    requests = report.get("requests")
    review = report.get("review_litigation")
    if not requests and not review:
        return {"ok": None, "errors": []}, []
    absent = {m.group(1) for m in map(_ABSENT_RE.match, report.get("warnings") or []) if m}

    if requests:
        _request_rules(checker, requests, absent)
    else:
        checker.skip("rules 1-3", "requests table")
    if review:
        for group in keys.REVIEW_GROUPS:
            row = review.get(group) or {}
            parts = [row.get(column) for column in keys.REVIEW_COLUMNS[:-1]]
            checker.check(
                "rule 4", f"group {group}", ("upheld+corrected+other+pending", parts), ("total", [row.get("total")])
            )
    else:
        checker.skip("rule 4", "review_litigation table")

    doubted = cells_in_doubt(checker.failed)
    if doubted:
        warnings.append(warning("cells_in_doubt", f"cells the consistency rules put in doubt: {', '.join(doubted)}"))
    for rule, places in checker.skipped.items():
        warnings.append(warning("rule_not_evaluated", f"{rule} not evaluated (total blank, all addends blank or row absent): {', '.join(places)}"))
    if checker.errors:
        ok = False
    elif checker.skipped or not checker.evaluated:
        ok = None
    else:
        ok = True
    return {"ok": ok, "errors": checker.errors}, warnings


def cells_in_doubt(failed: list[tuple[str, str, float]]) -> list[str]:
    """The cells where failed checks cross by the same amount: a row failing rule 3 and a column
    failing rule 1 or 2, both off by the same difference, share one suspect cell (a misread digit,
    a typo); a failing rule 4 puts its group in doubt. This is how an OCR'd or re-typed table
    points at the number to check by eye."""
    rows = [(where.split(" ", 1)[1], abs(diff)) for rule, where, diff in failed if rule == "rule 3"]
    columns = [(where.split(" ", 1)[1], abs(diff)) for rule, where, diff in failed if rule in ("rule 1", "rule 2")]
    doubted = [
        f"requests.{row}.{column}"
        for row, row_diff in rows
        for column, column_diff in columns
        if abs(row_diff - column_diff) <= _TOLERANCE
    ]
    doubted += [f"review_litigation.{where.split(' ', 1)[1]}" for rule, where, _ in failed if rule == "rule 4"]
    return list(dict.fromkeys(doubted))


def _request_rules(checker: _Checker, requests: dict, absent: set[str]) -> None:
    empty: dict = {}

    def row_of(row: str) -> dict:
        return requests.get(row) or empty

    results = [row for row in requests if row in keys.RESULT_ROWS_COMMON or row in keys.OTHER_ROWS_2021 or row == "other"]
    result_rows = [row_of(row) for row in results]
    new, carried_over, total, carried_forward = (row_of(row) for row in ("new", "carried_over", "total", "carried_forward"))
    rule_1_absent = bool(absent & {"new", "carried_over", "total", "carried_forward"})
    rule_2_absent = bool(absent & (set(results) | {"total"}))
    for column in keys.REQUEST_COLUMNS:
        where = f"column {column}"
        if rule_1_absent:
            checker.skip("rule 1", where)
        else:
            checker.check(
                "rule 1",
                where,
                ("new+carried_over", [new.get(column), carried_over.get(column)]),
                ("total+carried_forward", [total.get(column), carried_forward.get(column)]),
            )
        if rule_2_absent:
            checker.skip("rule 2", where)
        else:
            checker.check(
                "rule 2", where, ("sum of results", [row.get(column) for row in result_rows]), ("total", [total.get(column)])
            )
    single_other = "other" in requests  # 2019, or a 2021 table printing （六） as one row
    for row in requests:
        if single_other and row in keys.OTHER_ROWS_2021:
            continue  # not printed, by the format: nothing to check
        where = f"row {row}"
        if row in absent:
            checker.skip("rule 3", where)
            continue
        values = row_of(row)
        checker.check(
            "rule 3",
            where,
            ("sum of applicants", [values.get(column) for column in keys.APPLICANT_COLUMNS]),
            ("total", [values.get("total")]),
        )
