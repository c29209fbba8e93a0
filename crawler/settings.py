"""Settings of the report crawler: one base module, throttles overridable from the environment."""

import os

from scrapy.settings import default_settings

from pipelines.strict import strict_mode

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

# Requests at once over all hosts (each host has its own limit below; a request waiting out its
# host's delay counts too). A crawl of many slow hosts needs many at once to keep a core busy: on
# the scale portal with 240 sites at 0.5 s an answer and the delays below, a process did 70 reports
# a second at 64 and 85 at 256; at 32, a crawl of 50 sites at 0.2 s waited on the network 11 % of
# its time. Room for REPORTS_SITES_PER_WORKER sites at 2 each.
CONCURRENT_REQUESTS = int(os.environ.get("REPORTS_CONCURRENT_REQUESTS", "256"))
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.environ.get("REPORTS_CONCURRENT_PER_DOMAIN", "2"))
DOWNLOAD_DELAY = float(os.environ.get("REPORTS_DOWNLOAD_DELAY", "0.5"))
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = float(os.environ.get("REPORTS_AUTOTHROTTLE_START_DELAY", "1.0"))
AUTOTHROTTLE_MAX_DELAY = float(os.environ.get("REPORTS_AUTOTHROTTLE_MAX_DELAY", "30"))
AUTOTHROTTLE_TARGET_CONCURRENCY = float(os.environ.get("REPORTS_AUTOTHROTTLE_TARGET", "1.0"))

# Items (and requests) Scrapy handles at once from one response. A detail page gives one item and a
# list page about twenty requests; Scrapy's default of 100 made 100 asyncio tasks per response
# (measured: 9 % of a crawl's CPU at the scale portal).
CONCURRENT_ITEMS = int(os.environ.get("REPORTS_CONCURRENT_ITEMS", "8"))
# A report page of up to this many characters with no attachment to read goes through the chain
# stages on the reactor's thread; bigger pages, and every report with attachments, go to a worker
# thread (pipelines/stage.py). Measured at the scale portal: with the hand-offs to a thread a report
# costs 5-30 % more CPU (the GIL) for little won in parallel; 0 sends every report to a thread.
REPORTS_INLINE_CHAIN_MAX_CHARS = int(os.environ.get("REPORTS_INLINE_CHAIN_MAX_CHARS", str(512 * 1024)))

RETRY_ENABLED = True
RETRY_TIMES = int(os.environ.get("REPORTS_RETRY_TIMES", "3"))
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = int(os.environ.get("REPORTS_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = int(os.environ.get("REPORTS_DOWNLOAD_MAXSIZE", str(64 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

FEED_EXPORT_ENCODING = "utf-8"
# Where items go when the command line gives no -o/-O feed (read by pipelines.sink and crawler.summary).
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
# Scrapy's extensions less Scrapy 2.19's remote control (on by default: an HTTP server on
# localhost that runs code sent to it, with a job file per crawl). Not used here. It is left out of
# the base list rather than set to None in EXTENSIONS: Scrapy imports every component path a
# setting names, and this one's import (aiohttp) costs 0.15 s of every process start.
EXTENSIONS_BASE = {path: order for path, order in default_settings.EXTENSIONS_BASE.items() if not path.endswith(".RemoteControl")}
# Retries wait RETRY_BACKOFF_BASE * 2**(n-1) seconds (capped) before the n-th retry.
RETRY_BACKOFF_BASE = float(os.environ.get("REPORTS_RETRY_BACKOFF_BASE", "2.0"))
RETRY_BACKOFF_MAX = float(os.environ.get("REPORTS_RETRY_BACKOFF_MAX", "60"))
# At most this many list pages per site (a runaway pagination is counted, not followed).
REPORTS_MAX_LIST_PAGES = int(os.environ.get("REPORTS_MAX_LIST_PAGES", "500"))
LOG_FORMATTER = "crawler.logformatter.ReportLogFormatter"

# Region harvest (``scrapy crawl discover``): per portal, links are followed at most
# DISCOVER_MAX_DEPTH steps from the home page and at most DISCOVER_MAX_PAGES pages are fetched;
# DISCOVER_SUMMARY is the discovery summary's path (empty: discovery.json beside the -O/-o file);
# DISCOVER_OUTPUT is the registry CSV written when no -O/-o is given.
DISCOVER_MAX_DEPTH = int(os.environ.get("DISCOVER_MAX_DEPTH", "3"))
DISCOVER_MAX_PAGES = int(os.environ.get("DISCOVER_MAX_PAGES", "30"))
DISCOVER_SUMMARY = os.environ.get("DISCOVER_SUMMARY", "")
DISCOVER_OUTPUT = os.environ.get("DISCOVER_OUTPUT", "output/registry.csv")

# --- strictness, progress, stats dump (issue 8) ---------------------------------------------------
# Where the per-site summary JSON goes; empty: summary.json beside the output (crawler.summary).
REPORTS_SUMMARY = os.environ.get("REPORTS_SUMMARY", "")
# Re-raise a chain stage's exception instead of making it a ``stage_failed`` warning. The test suite
# runs with it on (tests/conftest.py sets the environment variable, which the pure code reads too).
REPORTS_STRICT = strict_mode()
# Progress of a crawl (crawler.progress): one refreshing line on a terminal, else a log line every
# REPORTS_PROGRESS_INTERVAL seconds. ``govreports crawl -q`` sets REPORTS_PROGRESS=0.
REPORTS_PROGRESS = os.environ.get("REPORTS_PROGRESS", "1") not in ("0", "false", "no", "off", "")
REPORTS_PROGRESS_INTERVAL = float(os.environ.get("REPORTS_PROGRESS_INTERVAL", "30"))
# The crawl's final stats written as one JSON object to this file (empty: not written); tests assert on it.
REPORTS_STATS_FILE = os.environ.get("REPORTS_STATS_FILE", "")
STATS_CLASS = "crawler.stats_file.JsonFileStatsCollector"
EXTENSIONS["crawler.progress.CrawlProgress"] = 510

# --- Distributed crawl (crawler/distributed.py, scrapy-redis) ---
# A Redis URL (redis://host:6379/0) turns on the distributed mode; unset, the crawl runs in one process.
REDIS_URL = os.environ.get("REDIS_URL") or None
# Prefix of every Redis key of a crawl: two crawls on one Redis need two prefixes.
REPORTS_REDIS_PREFIX = os.environ.get("REPORTS_REDIS_PREFIX", "reports")
# Seconds a worker holds a site without renewing its lease (renewed every third of it); a killed
# worker's sites go to the others after this time.
REPORTS_LEASE_SECONDS = float(os.environ.get("REPORTS_LEASE_SECONDS", "60"))
# Sites a worker crawls at once, at most (each keeps the per-domain limits above). A worker starts
# with REPORTS_SITES_AT_START and takes more, a few a tick, only while it uses less than
# REPORTS_WORKER_BUSY of a core: it holds what keeps it busy and no more, so when the shared work
# runs out no worker is left alone with a long queue of sites the others could have taken. Nor
# does it ever hold more than its fair share: the sites not done over the live workers. With the
# delays above a site gives about one report a second, so a busy core needs over a hundred sites:
# at 32, two workers on 240 sites did 65 reports a second (one process: 70); at 128, 121.
REPORTS_SITES_PER_WORKER = int(os.environ.get("REPORTS_SITES_PER_WORKER", "128"))
# Sites leased at once when a worker starts (its fair share caps it). Too few staggers the sites'
# starts: a worker busy on its CPU moves all its sites at one pace, so the ones taken a tick later
# also end later and run alone at the end, each held to its per-host limit (measured, 2 workers on
# 50 sites x 40 at 0.2 s: at 16, the last 9 sites of each ran alone for 0.5-0.9 s; at 64, all 25
# ended within 0.3 s, and the median of 11 paired runs was 8 % shorter).
REPORTS_SITES_AT_START = int(os.environ.get("REPORTS_SITES_AT_START", "64"))
REPORTS_WORKER_BUSY = float(os.environ.get("REPORTS_WORKER_BUSY", "0.97"))
# A worker busy on its CPU (over REPORTS_HAND_OVER_BUSY of a core) hands sites to the workers that hold
# none and found none to take (crawler.distributed.offer_sites): their share of its sites with at
# least REPORTS_HAND_OVER_MIN_REQUESTS requests not started. Without it, a worker that ran faster
# waits at the end while the others finish their sites alone, and a worker that joins a running
# crawl whose sites are all leased waits for it to end (measured: 2 workers, the second started 3 s
# after the first, 50 sites x 40 reports at 0.2 s; without it the second wrote nothing, 23.4 and
# 23.6 s; with it 21.3 and 14.7 s, in two pairs of runs).
REPORTS_HAND_OVER = os.environ.get("REPORTS_HAND_OVER", "1") not in ("0", "false", "no", "off")
REPORTS_HAND_OVER_BUSY = float(os.environ.get("REPORTS_HAND_OVER_BUSY", "0.9"))
REPORTS_HAND_OVER_MIN_REQUESTS = int(os.environ.get("REPORTS_HAND_OVER_MIN_REQUESTS", "8"))
# scrapy-redis: a worker exits after this many seconds with no shared work left (0: never exits).
MAX_IDLE_TIME_BEFORE_CLOSE = int(os.environ.get("REPORTS_WORKER_IDLE_SECONDS", "5"))
# Scrapy's downloader, with CONCURRENT_REQUESTS_PER_DOMAIN kept when DOWNLOAD_DELAY is 0 (crawler/downloader.py).
DOWNLOADER = "crawler.downloader.SlotLimitedDownloader"

# --- Scheduled crawls: state folder, raw archive, whole-line sink (issue 11) ---
# Each JSON-lines file the sink writes is fsync'ed at most this often (seconds) and at the end.
REPORTS_SINK_FSYNC_SECONDS = float(os.environ.get("REPORTS_SINK_FSYNC_SECONDS", "1.0"))
# ``.jsonl`` targets of -O/-o, written by the sink itself ({path: {"overwrite": bool}}); the crawl
# command fills it from FEEDS, so Scrapy's feed exporter never leaves a partial line there.
REPORTS_FEEDS: dict = {}
# With -a state=DIR: stop walking a column at the first list page whose every report is known.
REPORTS_INCREMENTAL_STOP_WALK = os.environ.get("REPORTS_INCREMENTAL_STOP_WALK", "1") not in ("0", "false", "no")
DOWNLOADER_MIDDLEWARES.update({
    "crawler.incremental.IncrementalMiddleware": 580,
    "crawler.archive.WarcArchiveMiddleware": 605,
})
ITEM_PIPELINES["pipelines.revision.RevisionPipeline"] = 850
EXTENSIONS["crawler.incremental.IncrementalExtension"] = 520

# Anti-bot answers (crawler.middlewares.BlockedPageMiddleware): a challenged page is asked again
# this many times, later; a site is reported blocked after this many challenge answers in a row.
REPORTS_CHALLENGE_RETRIES = int(os.environ.get("REPORTS_CHALLENGE_RETRIES", "1"))
REPORTS_BLOCKED_AFTER = int(os.environ.get("REPORTS_BLOCKED_AFTER", "3"))
