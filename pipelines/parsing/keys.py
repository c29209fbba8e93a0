"""The item contract's table keys (../shared/spec/report-item.md) and the labels that map to them."""

from __future__ import annotations

import re

REQUEST_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]

RESULT_ROWS_COMMON = (
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_security_stability",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
    "withheld_query_matter",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_petition",
    "not_processed_repeat",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
)
OTHER_ROWS_2021 = ("other_overdue_correction", "other_unpaid_fee", "other_other")
RESULT_ROWS = {
    "2021": RESULT_ROWS_COMMON + OTHER_ROWS_2021,
    "2019": RESULT_ROWS_COMMON + ("other",),
}
REQUEST_ROWS = {
    fmt: ("new", "carried_over") + results + ("total", "carried_forward")
    for fmt, results in RESULT_ROWS.items()
}

REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

ACTIVE_COLUMNS = {
    "2021": {
        "rules": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "punishment": ("decisions",),
        "enforcement": ("decisions",),
        "fees": ("amount",),
    },
    "2019": {
        "rules": ("new", "published", "total_published"),
        "normative_documents": ("new", "published", "total_published"),
        "licensing": ("previous_year_items", "change", "decisions"),
        "other_services": ("previous_year_items", "change", "decisions"),
        "punishment": ("previous_year_items", "change", "decisions"),
        "enforcement": ("previous_year_items", "change", "decisions"),
        "fees": ("previous_year_items", "change"),
        "procurement": ("items", "amount"),
    },
}
# Columns in 万元: a cell printed in 元 is converted.
TEN_THOUSANDS = {("fees", "amount"), ("procurement", "amount")}

ACTIVE_LABELS = {
    "规章": "rules",
    "行政规范性文件": "normative_documents",
    "规范性文件": "normative_documents",
    "行政许可": "licensing",
    "其他对外管理服务事项": "other_services",
    "行政处罚": "punishment",
    "行政强制": "enforcement",
    "行政事业性收费": "fees",
    "政府集中采购": "procurement",
}

# Key phrases of section 三's rows, most specific first; labels are normalized (NFKC, no spaces).
REQUEST_PHRASES = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("new", r"本年新收"),
        ("carried_over", r"上年结转"),
        ("carried_forward", r"结转下年|下年度继续"),
        ("withheld_state_secret", r"国家秘密"),
        ("withheld_prohibited_by_law", r"禁止公开"),
        ("withheld_security_stability", r"三安全|一稳定|危及"),
        ("withheld_third_party", r"第三方"),
        ("withheld_internal_affairs", r"内部事务|内容事务|三类内"),
        ("withheld_process_info", r"过程性"),
        ("withheld_enforcement_file", r"执法案卷"),
        ("withheld_query_matter", r"查询事项"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_needs_creation", r"另行制作|没有现成"),
        ("other_overdue_correction", r"不补正"),
        ("unavailable_unclear", r"仍不明确|补正后"),
        ("not_processed_petition", r"信访|举报投诉"),
        ("not_processed_repeat", r"重复申请"),
        ("not_processed_publication", r"出版物"),
        ("not_processed_excessive", r"大量反复"),
        ("not_processed_confirmation", r"重新出具|确认或"),
        ("other_unpaid_fee", r"缴纳费用|收费通知"),
        ("partially_granted", r"部分公开"),
        ("granted", r"予以公开"),
    )
)
# One search that every section 三 label must pass before the phrases are tried one by one.
REQUEST_ANY_RE = re.compile(
    "|".join(phrase.pattern for _, phrase in REQUEST_PHRASES) + r"|总计|其他|不予公开|无法提供|不予处理|^[1-8][.、]"
)
REQUEST_TOTAL_RE = re.compile(r"^(?:三、?本年度办理结果)?(?:\(七\)|七[、.]?)?总计$")
REQUEST_OTHER_OTHER_RE = re.compile(r"^(?:\(六\)其他处理)?3[.、]?其他$")
SUB_ITEM_RE = re.compile(r"(?:^|\D)([1-8])[.、]")

# Group labels of section 三 and their sub-rows in order (for labels without a key phrase).
REQUEST_GROUPS = (
    ("不予公开", RESULT_ROWS_COMMON[2:10]),
    ("无法提供", RESULT_ROWS_COMMON[10:13]),
    ("不予处理", RESULT_ROWS_COMMON[13:18]),
    ("其他处理", OTHER_ROWS_2021),
)

FORMAT_MARKERS = {
    "2021": re.compile(r"本年制发|本年废止|本年度止|现行有效|收费金额"),
    "2019": re.compile(r"本年新制作|本年新公开|对外公开总数|上一年项目|本年增/减|本年增减|政府集中采购|第二十条第\(九\)项"),
}
FORMAT_ANY_RE = re.compile("|".join(marker.pattern for marker in FORMAT_MARKERS.values()))
