"""Settings of the report crawler: one base module, throttles overridable from the environment."""

import os

BOT_NAME = "gov-annual-reports"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# ``scrapy crawl`` checks a spider's arguments first (one clear line instead of a traceback).
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = os.environ.get(
    "REPORTS_USER_AGENT",
    "gov-annual-reports/0.1 (+open harvester of government information-disclosure annual reports)",
)
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False

CONCURRENT_REQUESTS = int(os.environ.get("REPORTS_CONCURRENT_REQUESTS", "16"))
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.environ.get("REPORTS_CONCURRENT_PER_DOMAIN", "2"))
DOWNLOAD_DELAY = float(os.environ.get("REPORTS_DOWNLOAD_DELAY", "0.5"))
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = float(os.environ.get("REPORTS_AUTOTHROTTLE_START_DELAY", "1.0"))
AUTOTHROTTLE_MAX_DELAY = float(os.environ.get("REPORTS_AUTOTHROTTLE_MAX_DELAY", "30"))
AUTOTHROTTLE_TARGET_CONCURRENCY = float(os.environ.get("REPORTS_AUTOTHROTTLE_TARGET", "1.0"))

RETRY_ENABLED = True
RETRY_TIMES = int(os.environ.get("REPORTS_RETRY_TIMES", "3"))
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = int(os.environ.get("REPORTS_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = int(os.environ.get("REPORTS_DOWNLOAD_MAXSIZE", str(64 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

FEED_EXPORT_ENCODING = "utf-8"
REPORTS_OUTPUT = os.environ.get("REPORTS_OUTPUT", "output/reports.jsonl")

ITEM_PIPELINES = {
    "pipelines.dedupe.DedupePipeline": 50,
    "pipelines.attachments.AttachmentsPipeline": 100,
    "pipelines.strip.StripPipeline": 200,
    "pipelines.parse.ParsePipeline": 300,
    "pipelines.validate.ValidatePipeline": 400,
    "pipelines.schema_check.SchemaCheckPipeline": 500,
    "pipelines.sink.JsonLinesSinkPipeline": 900,
}

LOG_LEVEL = os.environ.get("REPORTS_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 540,
    "crawler.middlewares.BlockedPageMiddleware": 585,  # after decompression (590)
}
EXTENSIONS = {
    "crawler.summary.SiteSummary": 500,
    "crawler.output_guard.OutputGuard": 510,
}
# Retries wait RETRY_BACKOFF_BASE * 2**(n-1) seconds (capped) before the n-th retry.
RETRY_BACKOFF_BASE = float(os.environ.get("REPORTS_RETRY_BACKOFF_BASE", "2.0"))
RETRY_BACKOFF_MAX = float(os.environ.get("REPORTS_RETRY_BACKOFF_MAX", "60"))
REPORTS_MAX_LIST_PAGES = int(os.environ.get("REPORTS_MAX_LIST_PAGES", "500"))
LOG_FORMATTER = "crawler.logformatter.ReportLogFormatter"

# Anti-bot answers (crawler.middlewares.BlockedPageMiddleware): a challenged page is asked again
# this many times, later; a site is reported blocked after this many challenge answers in a row.
REPORTS_CHALLENGE_RETRIES = int(os.environ.get("REPORTS_CHALLENGE_RETRIES", "1"))
REPORTS_BLOCKED_AFTER = int(os.environ.get("REPORTS_BLOCKED_AFTER", "3"))
