"""Pathological pages for the parser paths, and a runner that parses one in a bounded child.

``python -m tests.faults.pages NAME`` runs the crawl's chain (strip -> parse -> validate) on the
page NAME and prints its seconds and peak memory as JSON.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def deeply_nested(depth: int = 100_000) -> str:
    return "<html><body>" + "<div>" * depth + "2022年政府信息公开工作年度报告" + "</div>" * depth + "</body></html>"


def single_line(size: int = 50 * 1024 * 1024) -> str:
    unit = "<span>政府信息公开 本年新收 12 件</span>"
    return "<html><body><p>" + unit * (size // len(unit.encode("utf-8"))) + "</p></body></html>"


def wide_table(columns: int = 5000) -> str:
    header = "<tr><td>申请人情况</td>" + "".join(f"<td>列{i}</td>" for i in range(columns)) + "</tr>"
    row = "<tr><td>一、本年新收政府信息公开申请数量</td>" + "".join(f"<td>{i}</td>" for i in range(columns)) + "</tr>"
    return f"<html><body><h1>2022年政府信息公开工作年度报告</h1><table>{header}{row * 3}</table></body></html>"


PAGES = {"nested": deeply_nested, "single_line": single_line, "wide_table": wide_table}


def main(name: str) -> int:
    from pipelines.chain import run_chain

    html = PAGES[name]()
    start = time.monotonic()
    item = run_chain({"url": f"http://127.0.0.1/{name}.html", "raw_html": html, "attachments": [], "warnings": []})
    seconds = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"page": name, "bytes": len(html.encode("utf-8")), "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
                      "format": item.get("format"), "warnings": len(item.get("warnings") or [])}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
