"""A small renderer of annual reports for the layout matrix (``tests/test_parsing_layouts.py``).

One set of known values (a :class:`Case`) is printed through every table layout the parser claims
to read, inside every body container, in every encoding, inside the families' real page templates
(``tests/fixtures/cleaning``): the parse must give back every cell, the expected ``validation.ok``
and no chrome string in ``text``.
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from pipelines.parsing import keys
from tests.helpers import FIXTURES

# --- the values ----------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    fmt: str
    year: int
    active: dict
    requests: dict
    review: dict
    ok: bool | None
    printed: dict = field(default_factory=dict)
    """(table, row, column) -> the cell as printed, where it differs from the plain number."""


def _request_values(fmt: str, rng: random.Random, scale: int) -> dict:
    results = keys.RESULT_ROWS[fmt]
    table: dict = {}
    for row in results:
        values = [rng.choice((0, 0, 1, 2, 3)) * scale + (rng.randint(0, 9) if scale > 1 else 0) for _ in keys.APPLICANT_COLUMNS]
        table[row] = values
    total = [sum(table[row][i] for row in results) for i in range(6)]
    forward = [rng.randint(0, 2) for _ in range(6)]
    over = [min(rng.randint(0, 2), total[i] + forward[i]) for i in range(6)]
    new = [total[i] + forward[i] - over[i] for i in range(6)]
    rows = {"new": new, "carried_over": over, **table, "total": total, "carried_forward": forward}
    return {row: dict(zip(keys.REQUEST_COLUMNS, values + [sum(values)])) for row, values in rows.items()}


def _review_values(rng: random.Random) -> dict:
    out = {}
    for group in keys.REVIEW_GROUPS:
        parts = [rng.randint(0, 3) for _ in range(4)]
        out[group] = dict(zip(keys.REVIEW_COLUMNS, parts + [sum(parts)]))
    return out


def _active_values(fmt: str, rng: random.Random, scale: int) -> dict:
    return {
        row: {column: rng.randint(0, 40) * scale for column in columns}
        for row, columns in keys.ACTIVE_COLUMNS[fmt].items()
    }


def _zeroed(table: dict) -> dict:
    return {row: dict.fromkeys(columns, 0) for row, columns in table.items()}


def cases() -> list[Case]:
    rng = random.Random(9)
    plain = Case("2021", "2021", 2022, _active_values("2021", rng, 1), _request_values("2021", rng, 1), _review_values(rng), True)
    trial = Case("2019", "2019", 2019, _active_values("2019", rng, 1), _request_values("2019", rng, 1), _review_values(rng), True)
    zeros = Case("zeros", "2021", 2023, _zeroed(plain.active), _zeroed(plain.requests), _zeroed(plain.review), True)

    blanks = Case("blanks", "2021", 2022, _active_values("2021", rng, 1), _request_values("2021", rng, 1), _review_values(rng), None)
    for row in ("withheld_state_secret", "not_processed_publication"):
        for column in ("research", "legal_service"):
            blanks.requests[row][column] = None if blanks.requests[row][column] == 0 else blanks.requests[row][column]
    blanks.active["rules"]["repealed"] = None
    blanks.review["litigation_direct"]["total"] = None  # rule 4 not evaluated: ok is None

    big = Case("thousands", "2021", 2022, _active_values("2021", rng, 100), _request_values("2021", rng, 700), _review_values(rng), True)
    big.active["fees"]["amount"] = 25.1
    big.printed[("active", "fees", "amount")] = "251000元"
    return [plain, trial, zeros, blanks, big]


def printed(case: Case, table: str, row: str, column: str, blank: str) -> str:
    value = {"active": case.active, "requests": case.requests, "review": case.review}[table][row][column]
    if (table, row, column) in case.printed:
        return case.printed[(table, row, column)]
    if value is None:
        return blank
    return f"{value:,}" if isinstance(value, int) else str(value)


# --- the tables as rows of cells -------------------------------------------------------------------
# A cell is (text, rowspan, colspan); a row is a list of cells; a table is a list of rows.

ACTIVE_HEADERS = {
    "2021": (
        ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("rules", "normative_documents")),
        ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), ("licensing",)),
        ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), ("punishment", "enforcement")),
        ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), ("fees",)),
    ),
    "2019": (
        ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"), ("rules", "normative_documents")),
        ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), ("licensing", "other_services")),
        ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), ("punishment", "enforcement")),
        ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), ("fees",)),
        ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"), ("procurement",)),
    ),
}
ACTIVE_NAMES = {
    "rules": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚", "enforcement": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}
REQUEST_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_info": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_query_matter": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "not_processed_petition": "1.信访举报投诉类申请",
    "not_processed_repeat": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "other": "（六）其他处理",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUP_LABELS = {
    "withheld_state_secret": ("（三）不予公开", 8),
    "unavailable_not_held": ("（四）无法提供", 3),
    "not_processed_petition": ("（五）不予处理", 5),
    "other_overdue_correction": ("（六）其他处理", 3),
}
REVIEW_HEAD = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def active_table(case: Case, blank: str) -> list[list[tuple]]:
    rows = []
    for title, header, row_keys in ACTIVE_HEADERS[case.fmt]:
        width = len(header)
        rows.append([(title, 1, width)])
        rows.append([(text, 1, 1) for text in header])
        for row in row_keys:
            columns = keys.ACTIVE_COLUMNS[case.fmt][row]
            cells = [(ACTIVE_NAMES[row], 1, 1)]
            cells += [(printed(case, "active", row, column, blank), 1, 1) for column in columns]
            if len(columns) < width - 1:  # one value under a spanning header (本年收费金额)
                cells[-1] = (cells[-1][0], 1, width - len(columns))
            rows.append(cells)
    return rows


def requests_table(case: Case, blank: str) -> list[list[tuple]]:
    rows = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 2), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(text, 1, 1) for text in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    results = keys.RESULT_ROWS[case.fmt]
    for row in keys.REQUEST_ROWS[case.fmt]:
        values = [(printed(case, "requests", row, column, blank), 1, 1) for column in keys.REQUEST_COLUMNS]
        if row in results:
            labels = []
            if row == results[0]:
                labels.append(("三、本年度办理结果", len(results) + 1, 1))
            if row in GROUP_LABELS and not (row == "other_overdue_correction" and case.fmt == "2019"):
                group, span = GROUP_LABELS[row]
                labels.append((group, span, 1))
            in_group = any(row in sub for _, sub in keys.REQUEST_GROUPS) and not (case.fmt == "2019" and row == "other")
            labels.append((REQUEST_LABELS[row], 1, 1 if in_group else 2))
            rows.append(labels + values)
        elif row == "total":
            rows.append([(REQUEST_LABELS[row], 1, 2)] + values)
        else:
            rows.append([(REQUEST_LABELS[row], 1, 3)] + values)
    return rows


def review_table(case: Case, blank: str) -> list[list[tuple]]:
    values = [
        (printed(case, "review", group, column, blank), 1, 1) for group in keys.REVIEW_GROUPS for column in keys.REVIEW_COLUMNS
    ]
    return [
        [("行政复议", 2, 5), ("行政诉讼", 1, 10)],
        [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(text, 1, 1) for text in REVIEW_HEAD * 3],
        values,
    ]


# --- table layouts -----------------------------------------------------------------------------------


def _grid(rows, cell_html) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0">']
    for row in rows:
        out.append("<tr>")
        for text, rowspan, colspan in row:
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            out.append(f"<td{attrs}>{cell_html(text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _plain_cell(text: str) -> str:
    return html.escape(text)


def _word_cell(text: str) -> str:
    inner = html.escape(text) if text else "&nbsp;"
    return f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt;font-family:宋体">{inner}</span></p>'


def _br_cell(text: str) -> str:
    if len(text) >= 4 and not re.search(r"\d", text):
        half = len(text) // 2
        return html.escape(text[:half]) + "<br>" + html.escape(text[half:])
    return html.escape(text)


def html_layout(cell_html, split: bool = False):
    def render(case: Case, blank: str) -> dict:
        requests = requests_table(case, blank)
        if split:
            middle = 3 + len(requests[3:]) // 2
            first, second = requests[:middle], requests[middle:]
            second = [[cell if cell[1] == 1 else (cell[0], 1, cell[2]) for cell in row] for row in second]
            first = [[(t, min(r, middle - i), c) for t, r, c in row] for i, row in enumerate(first)]
            requests_html = _grid(first, cell_html) + _grid(second, cell_html)
        else:
            requests_html = _grid(requests, cell_html)
        return {
            "active": _grid(active_table(case, blank), cell_html),
            "requests": requests_html,
            "review": _grid(review_table(case, blank), cell_html),
        }

    return render


def _texts(rows) -> list[list[str]]:
    return [[text for text, _, _ in row] for row in rows]


def text_layout(line_of_row, blank: str | None = None, bare_review: bool = False):
    """A text layout: each table row printed as lines by ``line_of_row(cells)``."""

    def render(case: Case, default_blank: str) -> dict:
        use = default_blank if blank is None else blank
        out = {}
        for name, table in (("active", active_table), ("requests", requests_table), ("review", review_table)):
            rows = _texts(table(case, use))
            lines: list[str] = []
            for index, cells in enumerate(rows):
                if bare_review and name == "review" and index == len(rows) - 1:
                    lines.append(" ".join(cells))
                else:
                    lines.extend(line_of_row(cells))
            out[name] = lines
        return out

    return render


def _one_per_line(prefix: str = "", gap: bool = False):
    def lines(cells):
        out = [prefix + cell for cell in cells]
        return out + [""] if gap else out

    return lines


def _broken(cells):
    labels = [c for c in cells if c and not re.fullmatch(r"[\d,.元—/-]+", c)]
    values = cells[len(labels):]
    if not values or len(labels) != len(cells) - len(values):
        return [" ".join(cells)]
    return [" ".join(labels), " ".join(values)]


LAYOUTS = {
    "html-grid": (html_layout(_plain_cell), True),
    "html-word": (html_layout(_word_cell), True),
    "html-br-headers": (html_layout(_br_cell), True),
    "html-split": (html_layout(_plain_cell, split=True), True),
    "text-tabs": (text_layout(lambda cells: ["\t".join(cells)]), False),
    "text-cell-per-line": (text_layout(_one_per_line()), False),
    "text-cell-per-line-tab": (text_layout(_one_per_line("\t")), False),
    "text-cell-per-line-gap": (text_layout(_one_per_line("", True)), False),
    "text-cell-per-line-tab-gap": (text_layout(_one_per_line("\t", True)), False),
    "text-pipes": (text_layout(lambda cells: ["| " + " | ".join(cells) + " |"], blank=""), False),
    "text-spaced": (text_layout(lambda cells: [" ".join(cells)]), False),
    "text-broken-rows": (text_layout(_broken), False),
    "text-bare-15": (text_layout(lambda cells: ["\t".join(cells)], bare_review=True), False),
}
"""name -> (renderer, is_html)."""


# --- the report around the tables ------------------------------------------------------------------

ORGAN = "方正县德善乡人民政府"


def title_of(case: Case) -> str:
    return f"{ORGAN}{case.year}年政府信息公开工作年度报告"


def report_parts(case: Case, tables: dict) -> list[tuple[str, object]]:
    """The report as ("p", line) and ("table", html | lines) parts in reading order."""
    year = case.year
    para = [
        f"根据《中华人民共和国政府信息公开条例》要求，编制本报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，本乡认真贯彻落实《条例》，全面推进政务公开工作。",
        "二、主动公开政府信息情况",
    ]
    parts: list[tuple[str, object]] = [("p", text) for text in para]
    parts.append(("table", tables["active"]))
    parts.append(("p", "三、收到和处理政府信息公开申请情况"))
    parts.append(("table", tables["requests"]))
    parts.append(("p", "四、政府信息公开行政复议、行政诉讼情况"))
    parts.append(("table", tables["review"]))
    for text in (
        "五、存在的主要问题及改进情况",
        "主要问题是公开的及时性有待提高，下一步将加强培训。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        ORGAN,
        f"{year + 1}年1月20日",
    ):
        parts.append(("p", text))
    return parts


def _para_html(line: str) -> str:
    return "<p>" + html.escape(line).replace("\t", "&#9;") + "</p>" if line else "<p>&nbsp;</p>"


def body_paragraphs(parts) -> str:
    out = []
    for kind, content in parts:
        if kind == "p":
            out.append(_para_html(content))
        elif isinstance(content, str):
            out.append(content)
        else:
            out.extend(_para_html(line) for line in content)
    return "\n".join(out)


def body_br(parts) -> str:
    out = []
    for kind, content in parts:
        if kind == "p":
            out.append(html.escape(content) + "<br>")
        elif isinstance(content, str):
            out.append(content)
        else:
            out.extend(html.escape(line).replace("\t", "&#9;") + "<br>" for line in content)
    return "\n".join(out)


def body_pre(parts) -> str:
    out = []
    for kind, content in parts:
        if kind == "p":
            out.append(html.escape(content))
        elif isinstance(content, str):
            out.append(content)
        else:
            out.extend(html.escape(line) for line in content)
    return "<pre>" + "\n".join(out) + "</pre>"


FOOTER = (
    "<p>主办单位：方正县人民政府办公室 联系电话：0451-57100000</p>"
    "<p>黑ICP备05001234号-1 黑公网安备 23012402000123号 网站标识码：2301240001</p>"
)


def layout_table_page(title: str, body: str, charset: str) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>{title}</title></head>'
        '<body><table width="980" align="center" border="0" cellpadding="0" cellspacing="0">'
        '<tr><td><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a></td></tr>'
        f'<tr><td align="center"><font size="4"><b>{title}</b></font></td></tr>'
        '<tr><td align="center">发布时间：2023-01-20 来源：县政府办 点击：125次</td></tr>'
        f'<tr><td class="content">{body}</td></tr>'
        '<tr><td align="center"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></td></tr>'
        f'<tr><td align="center">{FOOTER}</td></tr>'
        "</table></body></html>"
    )


def print_page(title: str, body: str, charset: str) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f"<h3>{title}</h3><div>{body}</div>"
        '<div><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>'
        "</body></html>"
    )


CONTAINERS = {
    "cms-div": (lambda parts: f'<div class="TRS_Editor">{body_paragraphs(parts)}</div>', None),
    "font-center": (lambda parts: f'<center><font size="3" face="宋体">{body_br(parts)}</font></center>', None),
    "pre": (body_pre, None),
    "layout-table": (body_paragraphs, layout_table_page),
    "print-page": (body_paragraphs, print_page),
}
"""name -> (body renderer, own page or None to be put into a template)."""

ENCODINGS = {
    "utf-8": ("utf-8", "utf-8"),
    "gbk": ("gbk", "gbk"),
    "gb18030-declared-utf-8": ("gb18030", "iso-8859-1"),
}
"""name -> (codec of the bytes, charset the page declares)."""


# --- templates: the families' real page shells ---------------------------------------------------------

TOKEN = "@@REPORT-BODY@@"
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?[\w-]+", re.I)


def _deepest_holding(root, needle: str):
    best = None
    for el in root.iter():
        if isinstance(el.tag, str) and needle in el.text_content():
            best = el  # iter() is document order: a later match is nested deeper
    return best


def _common_ancestor(a, b):
    ancestors = set(a.iterancestors()) | {a}
    node = b
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node


@lru_cache(maxsize=None)
def templates() -> dict[str, str]:
    """The cleaning fixtures as shells: the labelled body replaced by ``TOKEN`` (str, charset neutral)."""
    out = {}
    for sidecar in sorted((FIXTURES / "cleaning").glob("*.json")):
        label = json.loads(sidecar.read_text(encoding="utf-8"))
        body = [p for p in label.get("paragraphs") or [] if "\t" not in p and len(p) >= 6]
        if len(body) < 4:
            continue
        markup = sidecar.with_suffix(".html").read_bytes().decode(label.get("encoding") or "utf-8", errors="replace")
        root = lxml_html.document_fromstring(markup)
        first, last = _deepest_holding(root, body[0][:12]), _deepest_holding(root, body[3][:12])
        if first is None or last is None:
            continue
        container = _common_ancestor(first, last)
        if container is None or container.tag in ("html", "body"):
            continue
        for child in list(container):
            container.remove(child)
        container.text = TOKEN
        shell = etree.tostring(root, encoding="unicode", method="html")
        if body[0][:12] in shell:
            continue  # the template prints its body twice (a hidden print copy): not a shell
        out[sidecar.stem] = _CHARSET_RE.sub("charset=@@CHARSET@@", shell)
    return out


def render_page(case: Case, layout: str, container: str, encoding: str, template: str | None) -> bytes:
    renderer, is_html = LAYOUTS[layout]
    blank = "" if (is_html or (layout == "text-tabs" and container == "pre")) else "—"
    tables = renderer(case, blank)
    parts = report_parts(case, tables)
    body_of, own_page = CONTAINERS[container]
    body = body_of(parts)
    codec, declared = ENCODINGS[encoding]
    title = title_of(case)
    if own_page is not None:
        page = own_page(title, body, declared)
    else:
        shell = templates()[template]
        if "@@CHARSET@@" not in shell:
            shell = shell.replace("<head>", '<head><meta charset="@@CHARSET@@">', 1)
        page = shell.replace("@@CHARSET@@", declared).replace(TOKEN, f"<h1>{html.escape(title)}</h1>{body}")
    return page.encode(codec, errors="xmlcharrefreplace")
