"""Print the README's "Warning codes" table from ``pipelines.warning_codes.WARNING_CODES``.

    python -m pipelines.warning_table

A test keeps the README's table and ``WARNING_CODES`` the same.
"""

from __future__ import annotations

from pipelines.warning_codes import WARNING_CODES


def warning_table() -> str:
    lines = ["| code | meaning |", "|---|---|"]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in WARNING_CODES.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(warning_table())
