"""The export's typed columns and its data dictionary, built from the contract's table keys
(``pipelines.parsing.keys``) and the official Chinese labels of the two formats.

A table cell becomes the wide column ``<table>__<row>__<column>`` (``requests__granted__total``).
Counts are integers (null where the report left the cell blank); 万元 amounts are decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.parsing.keys import (
    ACTIVE_COLUMNS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    TEN_THOUSANDS,
)

TABLES = ("requests", "review_litigation", "active")
SEP = "__"
#: Decimal places kept for 万元 amounts: a cell printed in 元 with 分 is exact at 6 places.
AMOUNT_SCALE = 6
AMOUNT_PRECISION = 20

REQUEST_ROW_LABELS = {
    "new": ("一、本年新收政府信息公开申请数量", "applications received this year"),
    "carried_over": ("二、上年结转政府信息公开申请数量", "applications carried over from last year"),
    "granted": ("三、本年度办理结果（一）予以公开", "outcome: disclosed"),
    "partially_granted": ("三、本年度办理结果（二）部分公开", "outcome: partly disclosed"),
    "withheld_state_secret": ("（三）不予公开 1.属于国家秘密", "withheld: state secret"),
    "withheld_prohibited_by_law": ("（三）不予公开 2.其他法律行政法规禁止公开", "withheld: other laws forbid disclosure"),
    "withheld_security_stability": ("（三）不予公开 3.危及“三安全一稳定”", "withheld: endangers security or stability"),
    "withheld_third_party": ("（三）不予公开 4.保护第三方合法权益", "withheld: third party's rights"),
    "withheld_internal_affairs": ("（三）不予公开 5.属于三类内部事务信息", "withheld: internal affairs"),
    "withheld_process_info": ("（三）不予公开 6.属于四类过程性信息", "withheld: process information"),
    "withheld_enforcement_file": ("（三）不予公开 7.属于行政执法案卷", "withheld: enforcement case file"),
    "withheld_query_matter": ("（三）不予公开 8.属于行政查询事项", "withheld: administrative query matter"),
    "unavailable_not_held": ("（四）无法提供 1.本机关不掌握相关政府信息", "cannot provide: not held"),
    "unavailable_needs_creation": ("（四）无法提供 2.没有现成信息需要另行制作", "cannot provide: would have to be created"),
    "unavailable_unclear": ("（四）无法提供 3.补正后申请内容仍不明确", "cannot provide: request still unclear"),
    "not_processed_petition": ("（五）不予处理 1.信访举报投诉类申请", "not processed: petition or complaint"),
    "not_processed_repeat": ("（五）不予处理 2.重复申请", "not processed: repeated request"),
    "not_processed_publication": ("（五）不予处理 3.要求提供公开出版物", "not processed: asks for a publication"),
    "not_processed_excessive": ("（五）不予处理 4.无正当理由大量反复申请", "not processed: excessive requests"),
    "not_processed_confirmation": ("（五）不予处理 5.要求行政机关确认或重新出具已获取信息", "not processed: asks to confirm or reissue"),
    "other_overdue_correction": ("（六）其他处理 1.申请人无正当理由逾期不补正", "other: applicant did not complete the request in time"),
    "other_unpaid_fee": ("（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用", "other: fee not paid"),
    "other_other": ("（六）其他处理 3.其他", "other: other handling"),
    "other": ("（六）其他处理", "other handling, one row (2019 format, or 2021 reports printing it as one row)"),
    "total": ("（七）总计", "all outcomes this year"),
    "carried_forward": ("四、结转下年度继续办理", "carried forward to next year"),
}
REQUEST_COLUMN_LABELS = {
    "natural_person": ("自然人", "natural persons"),
    "commercial": ("法人或其他组织 · 商业企业", "commercial enterprises"),
    "research": ("法人或其他组织 · 科研机构", "research institutions"),
    "social_welfare": ("法人或其他组织 · 社会公益组织", "public-welfare organisations"),
    "legal_service": ("法人或其他组织 · 法律服务机构", "legal-service organisations"),
    "other_org": ("法人或其他组织 · 其他", "other organisations"),
    "total": ("总计", "all applicants"),
}
REVIEW_GROUP_LABELS = {
    "review": ("行政复议", "administrative review"),
    "litigation_direct": ("行政诉讼 · 未经复议直接起诉", "lawsuits filed directly"),
    "litigation_after_review": ("行政诉讼 · 复议后起诉", "lawsuits filed after review"),
}
REVIEW_COLUMN_LABELS = {
    "upheld": ("结果维持", "decision upheld"),
    "corrected": ("结果纠正", "decision corrected"),
    "other": ("其他结果", "other result"),
    "pending": ("尚未审结", "pending"),
    "total": ("总计", "total"),
}
ACTIVE_ROW_LABELS = {
    "rules": ("规章", "rules (规章)"),
    "normative_documents": ("行政规范性文件 / 规范性文件", "normative documents"),
    "licensing": ("行政许可", "administrative licensing"),
    "other_services": ("其他对外管理服务事项", "other public services (2019 format)"),
    "punishment": ("行政处罚", "administrative penalties"),
    "enforcement": ("行政强制", "administrative coercion"),
    "fees": ("行政事业性收费", "administrative fees"),
    "procurement": ("政府集中采购", "central government procurement (2019 format)"),
}
ACTIVE_COLUMN_LABELS = {
    "issued": ("本年制发件数", "issued this year (2021 format)"),
    "repealed": ("本年废止件数", "repealed this year (2021 format)"),
    "in_force": ("现行有效件数", "in force (2021 format)"),
    "new": ("本年新制作数量", "newly made this year (2019 format)"),
    "published": ("本年新公开数量", "newly published this year (2019 format)"),
    "total_published": ("对外公开总数量", "published in all (2019 format)"),
    "previous_year_items": ("上一年项目数量", "items last year (2019 format)"),
    "change": ("本年增/减", "change this year, may be negative (2019 format)"),
    "decisions": ("本年处理决定数量 / 处理决定数量", "decisions this year"),
    "items": ("采购项目数量", "procurement items (2019 format)"),
    "amount": ("本年收费金额 / 采购总金额（万元）", "amount in 万元 (10,000 yuan), decimal"),
}
TABLE_LABELS = {
    "requests": ("三、收到和处理政府信息公开申请情况", "section 三, applications"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况", "section 四, review and litigation"),
    "active": ("二、主动公开政府信息情况", "section 二, proactive disclosure"),
}


@dataclass(frozen=True)
class Column:
    """One column of an export: its name, its kind and how a reader should understand it."""

    name: str
    kind: str  # "string", "int", "decimal", "bool", "date", "timestamp", "list"
    label_zh: str
    meaning: str
    table: str | None = None
    row: str | None = None
    column: str | None = None

    @property
    def unit(self) -> str | None:
        if self.table is None:
            return None
        return "万元" if self.kind == "decimal" else "件"


def cell_name(table: str, row: str, column: str) -> str:
    return SEP.join((table, row, column))


def _unique(keys):
    return tuple(dict.fromkeys(keys))


def table_cells() -> list[tuple[str, str, str]]:
    """Every (table, row, column) of the contract, both formats, in the order of the printed tables."""
    cells = []
    request_rows = _unique(REQUEST_ROWS["2021"][:-2] + ("other",) + REQUEST_ROWS["2021"][-2:])
    cells += [("requests", row, col) for row in request_rows for col in REQUEST_COLUMNS]
    cells += [("review_litigation", group, col) for group in REVIEW_GROUPS for col in REVIEW_COLUMNS]
    active_rows = _unique(list(ACTIVE_COLUMNS["2019"]) + list(ACTIVE_COLUMNS["2021"]))
    for row in active_rows:
        columns = _unique(ACTIVE_COLUMNS["2021"].get(row, ()) + ACTIVE_COLUMNS["2019"].get(row, ()))
        cells += [("active", row, col) for col in columns]
    return cells


def _cell_labels(table: str, row: str, column: str) -> tuple[str, str]:
    if table == "requests":
        rows, cols = REQUEST_ROW_LABELS, REQUEST_COLUMN_LABELS
    elif table == "review_litigation":
        rows, cols = REVIEW_GROUP_LABELS, REVIEW_COLUMN_LABELS
    else:
        rows, cols = ACTIVE_ROW_LABELS, ACTIVE_COLUMN_LABELS
    row_zh, row_en = rows[row]
    col_zh, col_en = cols[column]
    return f"{row_zh} · {col_zh}", f"{TABLE_LABELS[table][1]}: {row_en}; {col_en}"


def is_amount(table: str, row: str, column: str) -> bool:
    return table == "active" and (row, column) in TEN_THOUSANDS


def cell_columns() -> list[Column]:
    columns = []
    for table, row, col in table_cells():
        label_zh, meaning = _cell_labels(table, row, col)
        kind = "decimal" if is_amount(table, row, col) else "int"
        blank = "null where the report left it blank or the table was not read"
        columns.append(Column(cell_name(table, row, col), kind, label_zh, f"{meaning} ({blank})", table, row, col))
    return columns


META_COLUMNS = (
    Column("report_id", "string", "", "the report's id: hex SHA-1 of its source document's canonical URL (the row kept)"),
    Column("organ_key", "string", "", "the organ across years and spellings: region code and the organ's core name (see organs.py)"),
    Column("organ", "string", "发布机关", "the reporting organ as the report names it"),
    Column("year", "int", "年度", "the statistics year reported on"),
    Column("published", "date", "发布日期", "publication date"),
    Column("title", "string", "标题", "the report's title as published"),
    Column("format", "string", "格式", "2021 (国办公开办函〔2021〕30号), 2019 (〔2019〕60号 trial), pre2019, unknown"),
    Column("site", "string", "网站", "the registry name of the portal where the kept row was found"),
    Column("region_code", "string", "行政区划代码", "the portal's region code from the site registry"),
    Column("url", "string", "网址", "the detail page of the kept row"),
    Column("urls", "list", "", "every page where this report was found (the same document on several portals, or re-crawls)"),
    Column("sites", "list", "", "every portal where this report was found"),
    Column("source_kind", "string", "", "what the numbers were read from: html, pdf, docx, doc, xls, xlsx, wps, ofd, image, text"),
    Column("source_url", "string", "", "the document the numbers were read from"),
    Column("source_sha256", "string", "", "SHA-256 of that document's bytes"),
    Column("attachment_urls", "list", "附件", "every attachment linked from the page"),
    Column("tables_read", "bool", "", "true when section 三's table was read with at least one number"),
    Column("validation_ok", "bool", "", "the official consistency rules: true (all hold), false (one fails), null (not all could be checked)"),
    Column("validation_errors", "list", "", "each broken rule, with both sides"),
    Column("warning_codes", "list", "", "the stable codes of the item's warnings (pipelines.warning_codes; 'unknown' for uncoded text)"),
    Column("warnings", "list", "", "the item's warnings as written"),
    Column("crawled_at", "timestamp", "", "UTC time of the fetch"),
    Column("parser_version", "string", "", "version of the parser that produced the item"),
)

CELL_FORM_COLUMNS = (
    Column("report_id", "string", "", "the report (a row of reports.*)"),
    Column("organ_key", "string", "", "as in reports.*"),
    Column("year", "int", "年度", "the statistics year"),
    Column("format", "string", "格式", "the report's format"),
    Column("table", "string", "", "requests (section 三), review_litigation (section 四), active (section 二)"),
    Column("row", "string", "", "the row key of the contract (docs/report-item.md)"),
    Column("column", "string", "", "the column key of the contract"),
    Column("value", "float", "", "the number as in the JSON line (counts are whole numbers; 万元 amounts decimals); null = blank"),
    Column("unit", "string", "", "件 (a count) or 万元"),
)


def report_columns() -> list[Column]:
    return list(META_COLUMNS) + cell_columns()


def data_dictionary() -> str:
    """The export's README.md: every column, its official Chinese label and its meaning."""

    def table(columns):
        lines = ["| column | type | 中文 | meaning |", "|---|---|---|---|"]
        for c in columns:
            kind = f"decimal({AMOUNT_PRECISION},{AMOUNT_SCALE}) 万元" if c.kind == "decimal" else c.kind
            lines.append(f"| `{c.name}` | {kind} | {c.label_zh} | {c.meaning} |")
        return "\n".join(lines)

    return "\n\n".join(
        [
            "# Data dictionary: government information-disclosure annual reports (政府信息公开工作年度报告)",
            (
                "Written by `govreports export`. One row of `reports.*` per report (the same document found on "
            "several portals, or crawled again, is one row: the latest line wins, `urls` lists every page). "
            "`cells.*` holds the same numbers in long form, one row per report × table × row × column "
            "(the official labels of each `table`, `row`, `column` are those of the wide column "
            "`<table>__<row>__<column>` below). "
            "CSV files are UTF-8 with a BOM (Excel opens the Chinese text); list columns are joined with "
            "` | ` in CSV. A blank cell is null, never 0. `cross_year.csv` lists organs whose "
            "结转下年度继续办理 (carried_forward, total) of one year differs from 上年结转 (carried_over, "
            "total) of the next year's report."
            ),
            "## reports.parquet / reports.csv: metadata",
            table(META_COLUMNS),
            "## reports.parquet / reports.csv: table cells (`<table>__<row>__<column>`)",
            table(cell_columns()),
            "## cells.parquet / cells.csv",
            table(CELL_FORM_COLUMNS),
            "## cross_year.csv",
            (
                "| column | meaning |\n|---|---|\n"
            "| `organ_key` | the organ |\n| `organ` | its name in the later report |\n"
            "| `year` | the earlier year |\n| `carried_forward_total` | 结转下年度继续办理 · 总计 of that year |\n"
            "| `next_year` | the following year |\n| `next_carried_over_total` | 上年结转 · 总计 of the following year |\n"
                "| `url` | the earlier report |\n| `next_url` | the later report |"
            ),
        ]
    ) + "\n"
