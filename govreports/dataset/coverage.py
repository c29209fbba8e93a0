"""The coverage report: one self-contained HTML file (styles inline, charts embedded as PNG data
URIs, no script, nothing fetched) showing which organs published in which years, the charts of
reports, applications and rule checks, and the lists behind them, each linking to the report.
"""

from __future__ import annotations

import base64
import io
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from govreports.dataset.cross_year import CrossYear, cross_year_checks, request_cell
from govreports.dataset.export import tables_read

REPORT_FORMATS = ("2021", "2019", "pre2019")
STATUSES = {  # status: (symbol, label, colour)
    "ok": ("✓", "published, rules hold", "#2e9d57"),
    "failed": ("✗", "published, fails the consistency rules", "#d9534f"),
    "unchecked": ("?", "published, rules not all checkable", "#f0ad4e"),
    "not_read": ("▢", "published, tables not read", "#8c8cb4"),
    "missing": ("–", "missing", "#e6e6e6"),
}
OUTCOMES = (  # chart series: label, the requests rows summed
    ("予以公开 granted", ("granted",)),
    ("部分公开 partly", ("partially_granted",)),
    ("不予公开 withheld", tuple(f"withheld_{k}" for k in (
        "state_secret", "prohibited_by_law", "security_stability", "third_party",
        "internal_affairs", "process_info", "enforcement_file", "query_matter"))),
    ("无法提供 unavailable", ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")),
    ("不予处理 not processed", tuple(f"not_processed_{k}" for k in (
        "petition", "repeat", "publication", "excessive", "confirmation"))),
    ("其他处理 other", ("other_overdue_correction", "other_unpaid_fee", "other_other", "other")),
)
CJK_FONTS = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "DejaVu Sans"]


@dataclass
class Coverage:
    """The facts the page shows, computed once from the merged records."""

    years: list[int]
    groups: list[tuple[str, str | None, list[str]]]  # (site, region, organ keys)
    organ_names: dict[str, str]
    cells: dict[tuple[str, int], tuple[str, dict]]  # (organ key, year) -> (status, record)
    reports: list[dict]
    not_reports: int
    empty_sites: list[tuple[str, str | None]]
    mismatches: list[CrossYear]
    compared: int
    missing: list[tuple[str, str, int]] = field(default_factory=list)  # (site, organ key, year)


def status_of(record: dict) -> str:
    if not tables_read(record):
        return "not_read"
    ok = (record.get("validation") or {}).get("ok")
    return "ok" if ok is True else "failed" if ok is False else "unchecked"


def build_coverage(records: list[dict], sites=None, years: tuple[int, int] | None = None) -> Coverage:
    """``sites``: (name, region_code) pairs of the registry, so portals without a report show too."""
    reports = [r for r in records if r.get("format") in REPORT_FORMATS and r.get("organ_key") and isinstance(r.get("year"), int)]
    if years is None and reports:
        years = (min(r["year"] for r in reports), max(r["year"] for r in reports))
    span = list(range(years[0], years[1] + 1)) if years else []
    reports = [r for r in reports if not span or years[0] <= r["year"] <= years[1]]
    cells, organ_site, organ_names = {}, {}, {}
    for record in reports:
        key = record["organ_key"]
        cells[(key, record["year"])] = (status_of(record), record)
        organ_site[key] = (record.get("site") or "(no site)", record.get("region_code"))
        organ_names[key] = record.get("organ") or key
    grouped = defaultdict(list)
    for key, (site, region) in organ_site.items():
        grouped[(site, region)].append(key)
    groups = [
        (site, region, sorted(keys, key=lambda k: organ_names[k]))
        for (site, region), keys in sorted(grouped.items(), key=lambda item: ((item[0][1] or ""), item[0][0]))
    ]
    seen_sites = {site for record in reports for site in record.get("sites") or [record.get("site")]}
    empty_sites = [(name, region) for name, region in (sites or []) if name not in seen_sites]
    missing = [(site, key, year) for site, _, keys in groups for key in keys for year in span if (key, year) not in cells]
    mismatches, compared = cross_year_checks(reports)
    return Coverage(
        years=span,
        groups=groups,
        organ_names=organ_names,
        cells=cells,
        reports=reports,
        not_reports=len(records) - len(reports),
        empty_sites=empty_sites,
        mismatches=mismatches,
        compared=compared,
        missing=missing,
    )


# ---- charts -------------------------------------------------------------------------------------


def installed_fonts() -> list[str]:
    """The CJK fonts of ``CJK_FONTS`` that are installed, then matplotlib's default (boxes for CJK)."""
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in names] or ["DejaVu Sans"]


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "using weight 500" per glyph

    plt.rcParams["font.family"] = installed_fonts()
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return plt, fig, ax


def _png(plt, fig) -> tuple[str, int, int]:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    width, height = (int(v) for v in fig.get_size_inches() * fig.dpi)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii"), width, height


def chart_reports_per_year(cov: Coverage):
    plt, fig, ax = _figure(6.6, 3.6)
    bottom = [0] * len(cov.years)
    for status in ("ok", "failed", "unchecked", "not_read"):
        counts = [sum(1 for (k, y), (s, _) in cov.cells.items() if y == year and s == status) for year in cov.years]
        ax.bar([str(y) for y in cov.years], counts, bottom=bottom, color=STATUSES[status][2], label=STATUSES[status][1])
        bottom = [b + c for b, c in zip(bottom, counts)]
    ax.set_title("年报数量 Reports per year")
    ax.set_ylabel("reports")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(plt, fig)


def _sum_rows(record: dict, rows) -> float:
    return sum(request_cell(record, row) or 0 for row in rows)


def chart_applications(cov: Coverage):
    plt, fig, ax = _figure(6.6, 3.6)
    labels = [str(y) for y in cov.years]
    records_by_year = defaultdict(list)
    for (_, year), (_, record) in cov.cells.items():
        records_by_year[year].append(record)
    bottom = [0.0] * len(cov.years)
    colours = ["#2e9d57", "#8fd19e", "#d9534f", "#f0ad4e", "#8c8cb4", "#bbbbbb"]
    for (label, rows), colour in zip(OUTCOMES, colours):
        values = [sum(_sum_rows(r, rows) for r in records_by_year[y]) for y in cov.years]
        ax.bar(labels, values, bottom=bottom, color=colour, label=label, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    received = [sum(request_cell(r, "new") or 0 for r in records_by_year[y]) for y in cov.years]
    ax.plot(labels, received, "k-o", label="本年新收 received")
    ax.set_title("依申请公开 Applications received and outcomes")
    ax.set_ylabel("applications")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(plt, fig)


def chart_rules_per_site(cov: Coverage):
    per_site = defaultdict(Counter)
    for status, record in cov.cells.values():
        per_site[record.get("site") or "(no site)"][status] += 1
    sites = sorted(per_site)
    plt, fig, ax = _figure(6.6, max(2.4, 0.45 * len(sites) + 1.2))
    left = [0.0] * len(sites)
    for status in ("ok", "failed", "unchecked", "not_read"):
        shares = [100.0 * per_site[s][status] / max(1, sum(per_site[s].values())) for s in sites]
        ax.barh(sites, shares, left=left, color=STATUSES[status][2], label=STATUSES[status][1])
        left = [a + b for a, b in zip(left, shares)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the site's reports")
    ax.set_title("一致性校验 Reports passing the official consistency rules, per site")
    ax.invert_yaxis()
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(plt, fig)


# ---- HTML ---------------------------------------------------------------------------------------

STYLE = """
body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif;margin:24px;color:#222;max-width:1440px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
.summary span{display:inline-block;margin-right:18px}
table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
table.grid td.cell{text-align:center;width:44px;font-weight:bold}
table.grid td.cell a{color:inherit;text-decoration:none;display:block}
table.grid tr.group th{background:#f3f3f3;font-weight:bold}
.legend span{display:inline-block;margin-right:14px}
.swatch{display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.charts img{display:block;border:1px solid #eee}
.muted{color:#777}
"""


def _link(url: str | None, text: str) -> str:
    if not url:
        return escape(text)
    return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'


def _cell(status: str, record: dict | None) -> str:
    symbol, label, colour = STATUSES[status]
    text_colour = "#fff" if status in ("ok", "failed", "not_read") else "#333"
    inner = escape(symbol)
    if record is not None:
        title = f"{record.get('title') or ''} ({label})"
        inner = f'<a href="{escape(record["url"], quote=True)}" title="{escape(title, quote=True)}">{inner}</a>'
    return f'<td class="cell {status}" style="background:{colour};color:{text_colour}">{inner}</td>'


def grid_html(cov: Coverage) -> str:
    head = "".join(f"<th>{y}</th>" for y in cov.years)
    rows = [f'<table class="grid" id="grid"><thead><tr><th>organ 机关</th>{head}</tr></thead><tbody>']
    width = len(cov.years) + 1
    for site, region, keys in cov.groups:
        rows.append(f'<tr class="group"><th colspan="{width}">{escape(site)} · region {escape(region or "?")} · {len(keys)} organs</th></tr>')
        for key in keys:
            cells = "".join(
                _cell(*cov.cells[(key, y)]) if (key, y) in cov.cells else _cell("missing", None) for y in cov.years
            )
            rows.append(f'<tr><td title="{escape(key, quote=True)}">{escape(cov.organ_names[key])}</td>{cells}</tr>')
    for site, region in cov.empty_sites:
        rows.append(
            f'<tr class="group"><th colspan="{width}">{escape(site)} · region {escape(region or "?")} · no reports found</th></tr>'
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _list(headers: list[str], rows: list[list[str]], empty: str, list_id: str) -> str:
    if not rows:
        return f'<p class="muted" id="{list_id}">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{list_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def render_html(cov: Coverage, title: str = "政府信息公开工作年度报告 · coverage") -> str:
    statuses = Counter(status for status, _ in cov.cells.values())
    charts = []
    if cov.years:
        for alt, chart in (
            ("reports per year", chart_reports_per_year),
            ("applications received per year and their outcomes", chart_applications),
            ("share of reports passing the consistency rules, per site", chart_rules_per_site),
        ):
            data, width, height = chart(cov)
            charts.append(
                f'<img class="chart" alt="{escape(alt)}" width="{width}" height="{height}" src="data:image/png;base64,{data}">'
            )
    legend = "".join(
        f'<span><span class="swatch" style="background:{c}"></span>{escape(s)} {escape(label)}</span>'
        for s, label, c in STATUSES.values()
    )
    missing_by_organ = defaultdict(list)
    for site, key, year in cov.missing:
        missing_by_organ[(site, key)].append(str(year))
    missing_rows = [[escape(site), escape(cov.organ_names[key]), ", ".join(years)] for (site, key), years in missing_by_organ.items()]
    mismatch_rows = [
        [
            escape(m.organ or m.organ_key),
            f"{m.year} → {m.next_year}",
            f"{_number(m.carried_forward_total)} ≠ {_number(m.next_carried_over_total)}",
            _link(m.url, f"{m.year} report"),
            _link(m.next_url, f"{m.next_year} report"),
        ]
        for m in cov.mismatches
    ]
    by_year = sorted(cov.reports, key=lambda r: (r.get("site") or "", r["organ_key"], r["year"]))
    not_read_rows = [
        [escape(r.get("site") or ""), escape(r.get("organ") or ""), str(r["year"]), _link(r["url"], r.get("title") or r["url"])]
        for r in by_year
        if status_of(r) == "not_read"
    ]
    failed_rows = [
        [
            escape(r.get("site") or ""),
            _link(r["url"], r.get("title") or r["url"]),
            escape("; ".join((r.get("validation") or {}).get("errors") or [])),
        ]
        for r in by_year
        if status_of(r) == "failed"
    ]
    year_text = f"{cov.years[0]}–{cov.years[-1]}" if cov.years else "no years"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        (
            '<p class="summary">'
            f"<span>years {year_text}</span><span>{len(cov.reports)} reports</span>"
        f"<span>{sum(len(k) for _, _, k in cov.groups)} organs</span>"
        f"<span>{statuses['ok']} pass the rules</span><span>{statuses['failed']} fail</span>"
        f"<span>{len(cov.missing)} missing</span><span>{len(cov.mismatches)} cross-year mismatches "
            f"(of {cov.compared} pairs compared)</span><span>{cov.not_reports} pages not a report, not counted</span></p>"
        ),
        '<h2>Organs × years 机关 × 年度</h2>',
        f'<p class="legend">{legend}</p>',
        grid_html(cov),
        '<h2>Charts 图表</h2><div class="charts" id="charts">' + "".join(charts) + "</div>",
        "<h2>Missing reports 缺失的年报</h2>",
        _list(["site", "organ", "years missing"], missing_rows, "none missing", "missing"),
        "<h2>Cross-year mismatches 结转不一致</h2>",
        '<p class="muted">结转下年度继续办理 (carried forward, total) of one year against 上年结转 (carried over, total) of the next.</p>',
        _list(["organ", "years", "carried forward ≠ carried over", "report", "next report"], mismatch_rows, "no mismatches", "cross-year"),
        "<h2>Reports with tables not read 表格未读出</h2>",
        _list(["site", "organ", "year", "report"], not_read_rows, "every report's tables were read", "not-read"),
        "<h2>Reports failing the consistency rules 未通过校验</h2>",
        _list(["site", "report", "errors"], failed_rows, "none fail", "failed"),
        "</body></html>",
    ]
    return "\n".join(parts)
