"""Distributed crawl on Redis: a site is a unit of work leased by one worker at a time.

``REDIS_URL`` set turns it on. The registry's sites are seeded into Redis (``seed``); every worker
(``scrapy crawl reports -s REDIS_URL=...``, on any machine) leases a few sites at a time, crawls
each with its own Scrapy scheduler, and marks it done when none of its requests or items is left.
Why sites and not requests: with one worker per site, the per-host concurrency and delay limits
of ``crawler/settings.py`` hold for the whole cluster, and a lease that is not renewed (a killed
worker) simply returns the site to the others after ``REPORTS_LEASE_SECONDS``.
A worker busy on its CPU hands some of its sites to a worker that holds none and finds none free
(``DistributedSites.offer_sites``): the lease moves once none of the site's requests is in flight.

Built on scrapy-redis: its connection (``REDIS_URL``, ``REDIS_PARAMS``) and its spider idle path
(``RedisMixin``: fetch work from Redis when idle, stay open while there is shared work, close after
``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds of none). Its shared request queue and dupefilter are not
used: a request popped by a worker that dies is lost (no acknowledgement), any worker would fetch
any host (per-host limits per worker only), and a global dupefilter would keep a taken-over site
from being crawled again.

Redis keys, all under ``REPORTS_REDIS_PREFIX`` (``<P>``):

``<P>:sites``    hash   site name -> registry row (JSON)
``<P>:todo``     zset   site name -> time it may be leased (0 when new, lease end when leased)
``<P>:owner``    hash   site name -> worker holding its lease
``<P>:done``     set    sites crawled to the end
``<P>:workers``  zset   worker -> when it last asked for work (the live ones share the sites left)
``<P>:hungry``   zset   worker -> when it last asked for sites holding none and found none (a busy
                        worker hands it some of its own)
``<P>:given:<worker>``  hash   site name -> worker that handed it over, until the taker picks it up
``<P>:config``   hash   crawl arguments every worker applies (``years``)
``<P>:written``  set    report ids written by some worker (exactly-once output)
``<P>:claim:<id>``      a report being written (worker id, expires with the lease)
``<P>:reports``  hash   site name -> reports written
``<P>:stats``    hash   worker -> its crawl stats (JSON), pushed with each lease renewal
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy_redis import connection
from scrapy_redis.spiders import RedisMixin

from crawler.registry import Site
from pipelines.contract import report_id_for

LEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZADD', KEYS[3], now, ARGV[1])
local out = {}
local given = redis.call('HGETALL', KEYS[5])
redis.call('DEL', KEYS[5])
for i = 1, #given, 2 do
  if redis.call('HGET', KEYS[2], given[i]) == ARGV[1] then
    table.insert(out, given[i])
    table.insert(out, given[i + 1])
  end
end
local live = redis.call('ZCOUNT', KEYS[3], now - tonumber(ARGV[2]), '+inf')
local share = math.ceil(redis.call('ZCARD', KEYS[1]) / math.max(live, 1))
local want = math.min(tonumber(ARGV[3]), share - tonumber(ARGV[4]) - #out / 2)
if want > 0 then
  local names = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, want)
  for _, name in ipairs(names) do
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), name)
    local before = redis.call('HGET', KEYS[2], name)
    redis.call('HSET', KEYS[2], name, ARGV[1])
    table.insert(out, name)
    table.insert(out, before or '')
  end
end
if want > 0 and #out == 0 and tonumber(ARGV[4]) == 0 then
  redis.call('ZADD', KEYS[4], now, ARGV[1])
else
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return out
"""
RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local lost = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""
DONE = """
if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
"""
HAND_OVER = """
if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then
  redis.call('ZADD', KEYS[1], 0, ARGV[2])
  return 1
end
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(ARGV[4]), ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], 'handed:' .. ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[3])
return 1
"""
CONFIRM = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) end
redis.call('DEL', KEYS[3])
return 1
"""
CLAIM = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
if redis.call('GET', KEYS[2]) == ARGV[2] then return 1 end
return 2
"""
#: How ``SharedWork.lease`` names the previous holder of a site that was handed over, not taken over.
HANDED = "handed:"
#: What ``SharedWork.claim`` answers, by the CLAIM script's code.
CLAIM_STATES = {0: "written", 1: "mine", 2: "pending"}


#: Seconds between two ticks of a worker: finish sites, hand sites over, renew leases, take sites.
TICK_SECONDS = 0.5
SINK = "pipelines.sink.JsonLinesSinkPipeline"
CONFIRMING_SINK = "pipelines.exactly_once.ConfirmingSink"


def distributed(settings) -> bool:
    return bool(settings.get("REDIS_URL"))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SharedWork:
    """The Redis side of a distributed crawl: seed, lease, renew, finish, claim, confirm, merge."""

    def __init__(self, server, prefix: str):
        self.server = server
        self.prefix = prefix
        self.lease_script = server.register_script(LEASE)
        self.renew_script = server.register_script(RENEW)
        self.done_script = server.register_script(DONE)
        self.hand_over_script = server.register_script(HAND_OVER)
        self.claim_script = server.register_script(CLAIM)
        self.confirm_script = server.register_script(CONFIRM)

    @classmethod
    def from_settings(cls, settings) -> "SharedWork":
        return cls.from_url(settings.get("REDIS_URL"), settings.get("REPORTS_REDIS_PREFIX"), settings.getdict("REDIS_PARAMS"))

    @classmethod
    def from_url(cls, url: str, prefix: str, params: dict | None = None) -> "SharedWork":
        """A client made as scrapy-redis makes its own (its defaults, ``REDIS_PARAMS``), answering str."""
        options = {**connection.defaults.REDIS_PARAMS, **(params or {}), "decode_responses": True}
        return cls(connection.get_redis(url=url, **options), prefix)

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    # -- the work ---------------------------------------------------------------------------
    def seed(self, sites: list[Site], years: str | None = None) -> None:
        """Start a fresh crawl under the prefix: the previous one's keys go, these sites come."""
        stale = [self.key(k) for k in ("sites", "todo", "owner", "done", "config", "written", "reports", "stats", "workers", "hungry")]
        for pattern in ("claim:*", "given:*"):
            stale += list(self.server.scan_iter(match=self.key(pattern), count=1000))
        pipe = self.server.pipeline()
        pipe.delete(*stale)
        for start in range(0, len(sites), 1000):
            batch = sites[start:start + 1000]
            pipe.hset(self.key("sites"), mapping={s.name: json.dumps(asdict(s), ensure_ascii=False) for s in batch})
            pipe.zadd(self.key("todo"), {s.name: 0 for s in batch})
        if years:
            pipe.hset(self.key("config"), "years", years)
        pipe.execute()

    def years(self) -> str | None:
        return self.server.hget(self.key("config"), "years")

    def lease(self, worker: str, lease_seconds: float, count: int, held: int = 0) -> list[tuple[Site, str]]:
        """The sites another worker handed to this one, and up to ``count`` sites free to take (new,
        or a lease that ran out), each with its previous holder.

        A worker holding ``held`` sites takes no more than its fair share: the sites not done yet
        over the workers that asked for work within ``lease_seconds`` (this call counts as asking,
        also when it takes nothing). When every site is leased at the start of a crawl, an
        uneven split would leave one worker finishing its extra sites alone at the end. A worker
        that holds no site, asks for sites and gets none is *hungry* (``hungry``) until it gets some
        or is handed some."""
        keys = [self.key("todo"), self.key("owner"), self.key("workers"), self.key("hungry"), self.key(f"given:{worker}")]
        flat = self.lease_script(keys=keys, args=[worker, lease_seconds, max(0, count), held])
        taken = []
        for name, before in zip(flat[::2], flat[1::2]):
            row = self.server.hget(self.key("sites"), name)
            if row:
                taken.append((Site(**json.loads(row)), before or ""))
        return taken

    def renew(self, worker: str, lease_seconds: float, names: list[str]) -> list[str]:
        """Extend this worker's leases; the names it no longer holds."""
        if not names:
            return []
        return list(self.renew_script(keys=[self.key("todo"), self.key("owner")], args=[worker, lease_seconds, *names]))

    def join(self, worker: str, lease_seconds: float) -> None:
        """This worker counts in the others' fair share from now on (a lease of nothing)."""
        self.lease(worker, lease_seconds, 0)

    def leave(self, worker: str) -> None:
        """This worker asks for no more work: the others' share grows at once."""
        self.server.zrem(self.key("workers"), worker)
        self.server.zrem(self.key("hungry"), worker)

    def hungry(self, worker: str, within: float) -> list[str]:
        """The other workers that, holding no site, asked for sites in the last ``within`` seconds and
        found none."""
        now = self.server.time()
        since = now[0] + now[1] / 1e6 - within
        return [w for w in self.server.zrangebyscore(self.key("hungry"), since, "+inf") if w != worker]

    def hand_over(self, worker: str, name: str, taker: str, lease_seconds: float) -> bool:
        """Give a site this worker holds to ``taker`` (it picks it up with its next lease), or back
        to the shared work when ``taker`` is empty. False when this worker no longer holds it."""
        keys = [self.key("todo"), self.key("owner"), self.key(f"given:{taker}"), self.key("hungry")]
        return bool(self.hand_over_script(keys=keys, args=[worker, name, taker, lease_seconds]))

    def finish(self, worker: str, name: str) -> bool:
        return bool(self.done_script(keys=[self.key("todo"), self.key("owner"), self.key("done")], args=[worker, name]))

    def pending(self) -> int:
        """Sites not done yet (free or leased)."""
        return self.server.zcard(self.key("todo"))

    # -- exactly-once output ----------------------------------------------------------------
    def claim(self, report_id: str, worker: str, lease_seconds: float) -> str:
        """``mine``: this worker may write the report (nobody wrote it, nobody else claims it);
        ``written``: some worker wrote it; ``pending``: another worker claimed it and has not
        confirmed yet (it is writing it, or died: its claim expires after ``lease_seconds``)."""
        keys = [self.key("written"), self.key(f"claim:{report_id}")]
        return CLAIM_STATES[int(self.claim_script(keys=keys, args=[report_id, worker, int(lease_seconds * 1000)]))]

    def written_of(self, report_ids: list[str]) -> set[str]:
        """Those of ``report_ids`` some worker wrote already (one round trip)."""
        pipe = self.server.pipeline(transaction=False)
        for report_id in report_ids:
            pipe.sismember(self.key("written"), report_id)
        return {report_id for report_id, written in zip(report_ids, pipe.execute()) if written}

    def confirm(self, report_id: str, site: str) -> None:
        """The report's line is written and flushed (counted once however often confirmed)."""
        self.confirm_script(keys=[self.key("written"), self.key("reports"), self.key(f"claim:{report_id}")], args=[report_id, site])

    # -- merged stats and summary -----------------------------------------------------------
    def push_stats(self, worker: str, stats: dict) -> None:
        numeric = {k: v for k, v in stats.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        self.server.hset(self.key("stats"), worker, json.dumps(numeric, ensure_ascii=False))

    def merged_stats(self) -> dict:
        """Every worker's last stats, summed key by key."""
        merged: dict = {}
        for raw in self.server.hvals(self.key("stats")):
            for key, value in json.loads(raw).items():
                merged[key] = merged.get(key, 0) + value
        merged["cluster/workers"] = self.server.hlen(self.key("stats"))
        return merged

    def summary(self) -> dict:
        """The per-site summary of the whole cluster (``crawler.summary`` rows)."""
        from crawler.summary import summary_rows

        stats = self.merged_stats()
        names = sorted(self.server.hkeys(self.key("sites")))
        reports = {k: int(v) for k, v in self.server.hgetall(self.key("reports")).items()}
        return {
            "sites": summary_rows(stats, names, reports),
            "done": self.server.scard(self.key("done")),
            "pending": self.pending(),
            "reports_written": self.server.scard(self.key("written")),
            "stats": stats,
        }


class SiteCountingScheduler(Scheduler):
    """Scrapy's scheduler for a worker. Each request of a site carries the lease it belongs to
    (``site_round``, stamped here); the scheduler counts the requests waiting per site and lease,
    and drops those of a site the worker no longer holds (handed over, lease lost) instead of
    sending them (``cluster/requests_dropped``)."""

    def open(self, spider):
        self.spider = spider
        self.waiting: dict[tuple[str, int], int] = {}
        return super().open(spider)

    def enqueue_request(self, request: Request) -> bool:
        site = request.meta.get("site")
        if site is None:
            return super().enqueue_request(request)
        request.meta.setdefault("site_round", self.spider.site_round.get(site))
        if not self.spider.holds(request):
            self.spider.crawler.stats.inc_value("cluster/requests_dropped")
            return False
        added = super().enqueue_request(request)
        if added:
            key = (site, request.meta["site_round"])
            self.waiting[key] = self.waiting.get(key, 0) + 1
        return added

    def next_request(self) -> Request | None:
        while True:
            request = super().next_request()
            site = request.meta.get("site") if request is not None else None
            if site is None:
                return request
            key = (site, request.meta["site_round"])
            self.waiting[key] -= 1
            if not self.waiting[key]:
                del self.waiting[key]
            if self.spider.holds(request):
                return request
            self.spider.crawler.stats.inc_value("cluster/requests_dropped")

    def waiting_now(self) -> dict[str, int]:
        """Per site, its requests of its current lease waiting here."""
        return {site: n for (site, round_), n in self.waiting.items() if self.spider.site_round.get(site) == round_}


class SiteRoundDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, afresh for each lease of a site: a worker that takes a site again
    (handed back to it, or a lost lease won back) crawls it again, pages it saw before included."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_per_lease: set[tuple[bytes, int]] = set()

    def request_seen(self, request: Request) -> bool:
        round_ = request.meta.get("site_round")
        if round_ is None:
            return super().request_seen(request)
        key = (self.fingerprinter.fingerprint(request), round_)
        if key in self.seen_per_lease:
            return True
        self.seen_per_lease.add(key)
        return False


class DistributedSites(RedisMixin):
    """Spider mixin: with ``REDIS_URL`` the spider's sites come from Redis leases, not its arguments.

    The spider keeps ``sites``, ``site_family``, ``list_pages_asked`` and ``allowed_domains`` for
    the sites it holds; it yields no start request of its own (its ``sites`` is empty at start).
    """

    distributed = False

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        if distributed(settings):
            priority = max(settings.getpriority("SCHEDULER") or 0, 30)
            settings.set("SCHEDULER", "crawler.distributed.SiteCountingScheduler", priority=priority)
            settings.set("DUPEFILTER_CLASS", "crawler.distributed.SiteRoundDupeFilter", priority=max(settings.getpriority("DUPEFILTER_CLASS") or 0, 30))
            pipelines = settings.getdict("ITEM_PIPELINES")
            pipelines.setdefault("pipelines.exactly_once.ExactlyOncePipeline", 870)
            if SINK in pipelines:
                pipelines[CONFIRMING_SINK] = pipelines.pop(SINK)
            settings.set("ITEM_PIPELINES", pipelines, priority=max(settings.getpriority("ITEM_PIPELINES") or 0, 30))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        if distributed(crawler.settings) and not kwargs.get("sites"):
            kwargs["redis_worker"] = True
        spider = super().from_crawler(crawler, *args, **kwargs)
        if distributed(crawler.settings):
            spider.setup_redis(crawler)
        return spider

    def setup_redis(self, crawler=None):
        settings = crawler.settings
        self.distributed = True
        self.work = SharedWork.from_settings(settings)
        self.worker = worker_id()
        self.lease_seconds = settings.getfloat("REPORTS_LEASE_SECONDS")
        self.sites_per_worker = settings.getint("REPORTS_SITES_PER_WORKER")
        self.site_allowance = min(self.sites_per_worker, max(1, settings.getint("REPORTS_SITES_AT_START")))
        self.busy_share = settings.getfloat("REPORTS_WORKER_BUSY")
        self.redis_key = self.work.key("todo")
        self.redis_batch_size = self.sites_per_worker
        self.leased: dict[str, float] = {}
        self.site_round: dict[str, int] = {}  # site -> the number of its current lease here
        self.leases_taken = itertools.count(1)
        self.taken_from_others: set[str] = set()  # sites another worker crawled part of
        self.leaving: dict[str, str] = {}  # site -> the worker it goes to once nothing of it is in flight
        self.hand_over_enabled = settings.getbool("REPORTS_HAND_OVER")
        self.hand_over_min_requests = settings.getint("REPORTS_HAND_OVER_MIN_REQUESTS")
        self.hand_over_busy = settings.getfloat("REPORTS_HAND_OVER_BUSY")
        if self.sites:  # seeding: the registry goes to Redis; the sites come back as leases
            years = getattr(self, "years", None)
            self.work.seed(list(self.sites.values()), f"{years[0]}-{years[1]}" if years else None)
            self.logger.info("seeded %d sites into %s", len(self.sites), self.work.key("todo"))
        self.sites, self.site_family, self.list_pages_asked, self.allowed_domains = {}, {}, {}, []
        self.work.join(self.worker, self.lease_seconds)
        super().setup_redis(crawler)
        # scrapy-redis 0.9.1 sets the idle clock when the class is imported; start it now
        self.spider_idle_start_time = int(time.time())
        self.server = self.work.server
        self.fetch_data = lambda _key, count: self.take_sites(count)
        self.count_size = lambda _key: self.work.pending()
        crawler.signals.connect(self.distributed_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.distributed_closed, signal=signals.spider_closed)

    # -- the scrapy-redis hooks ---------------------------------------------------------------
    def take_sites(self, count: int) -> list[Site]:
        """Lease up to ``count`` sites (fewer when this worker already holds its allowance)."""
        free = min(count, self.site_allowance - len(self.leased))
        taken = []
        leases = self.work.lease(self.worker, self.lease_seconds, free, held=len(self.leased))
        if leases:
            years = self.work.years()
            if years:
                from crawler.spiders.reports import parse_years

                self.years = parse_years(years)
        for site, before in leases:
            if before.startswith(HANDED):
                self.crawler.stats.inc_value("cluster/sites_received")
                self.logger.info("site %s: handed over by %s", site.name, before[len(HANDED):])
            elif before and before != self.worker:
                self.crawler.stats.inc_value("cluster/sites_taken_over")
                self.logger.info("site %s: taken over from %s (its lease ran out)", site.name, before)
            if before:
                self.taken_from_others.add(site.name)
            self.crawler.stats.inc_value("cluster/sites_leased")
            self.leased[site.name] = time.monotonic()
            self.site_round[site.name] = next(self.leases_taken)
            self.sites[site.name] = site
            self.site_family[site.name] = site.family
            self.list_pages_asked[site.name] = set()
            self.allowed_domains = sorted({s.host for s in self.sites.values()})
            taken.append(site)
        return taken

    def make_request_from_data(self, site: Site):
        return Request(site.url, callback=self.parse_list, errback=self.on_error, meta={"site": site.name})

    # -- leases, completion, stats ------------------------------------------------------------
    def distributed_opened(self, spider):
        from scrapy.utils.asyncio import create_looping_call

        self.last_renewal = time.monotonic()
        self.last_tick = (time.monotonic(), time.process_time())
        self.tick_call = create_looping_call(self.tick)
        self.tick_call.start(TICK_SECONDS, now=False)

    def tick(self) -> None:
        """Finish sites with nothing left, hand over those leaving, offer sites to hungry workers,
        renew leases and push stats, take more sites."""
        engine = self.crawler.engine
        if engine is None or getattr(engine, "_slot", None) is None:
            return
        moving = self.sites_in_flight()
        busy = moving | engine._slot.scheduler.waiting_now().keys()
        for name in list(self.leased):
            if name in self.leaving and name not in moving:
                self.hand_over_site(name)
            elif name not in busy:
                self.finish_site(name)
        if self.adjust_allowance() >= self.hand_over_busy and self.hand_over_enabled:
            self.offer_sites()
        if time.monotonic() - self.last_renewal >= self.lease_seconds / 3:
            self.last_renewal = time.monotonic()
            for name in self.work.renew(self.worker, self.lease_seconds, list(self.leased)):
                self.logger.warning("site %s: lease lost (another worker holds it now)", name)
                self.crawler.stats.inc_value("cluster/leases_lost")
                self.leased.pop(name, None)
            self.work.push_stats(self.worker, self.crawler.stats.get_stats())
        self.schedule_next_requests()
        if not self.leased:
            engine._slot.nextcall.schedule()  # let the engine see it is idle: scrapy-redis decides to wait or close

    def adjust_allowance(self) -> float:
        """More sites while this worker leaves part of its core idle (waiting on the portals); as
        many as it holds once it is busy (a site finished is then not replaced until it idles).
        The share of a core it used since the last tick."""
        now = (time.monotonic(), time.process_time())
        wall, cpu = now[0] - self.last_tick[0], now[1] - self.last_tick[1]
        self.last_tick = now
        if wall <= 0:
            return 0.0
        if cpu / wall < self.busy_share:
            step = max(1, self.site_allowance // 2)
            self.site_allowance = min(self.sites_per_worker, max(self.site_allowance, len(self.leased)) + step)
        else:
            self.site_allowance = max(1, len(self.leased))
        return cpu / wall

    def holds(self, request: Request) -> bool:
        """Whether this worker may still send ``request``: a request of no site, or of a site it holds
        (not leaving) under the same lease."""
        site = request.meta.get("site")
        if site is None:
            return True
        return site in self.leased and site not in self.leaving and request.meta.get("site_round") == self.site_round.get(site)

    def sites_in_flight(self) -> set[str]:
        """Sites with a request in the downloader or being parsed, or an item in the pipelines."""
        engine = self.crawler.engine
        requests = list(engine._slot.inprogress) + list(engine.downloader.active)
        slot = engine.scraper.slot
        if slot is not None:
            requests += list(slot.active) + [queued[1] for queued in slot.queue]
        return {r.meta.get("site") for r in requests}

    def requests_left(self) -> dict[str, int]:
        """Per site held, its requests not started yet: waiting in the scheduler or in a download slot."""
        left = self.crawler.engine._slot.scheduler.waiting_now()
        for slot in self.crawler.engine.downloader.slots.values():
            for request, _ in slot.queue:
                site = request.meta.get("site")
                if site in self.leased:
                    left[site] = left.get(site, 0) + 1
        return left

    def offer_sites(self) -> None:
        """Hand some of this busy worker's sites to the workers that have none left to take.

        When the shared work runs out, a worker that ran faster would otherwise wait for the
        others to finish their sites on their own. A busy worker that sees hungry workers gives
        them their share of its sites with requests not started (at least
        ``REPORTS_HAND_OVER_MIN_REQUESTS`` each: below that, the taker's fresh start on robots.txt
        and the list pages costs more than it saves), every other one by requests left. The same
        gives a worker that joins a running crawl its part of the sites already leased. Its
        requests of those sites are dropped; the sites go once none of their requests is in flight
        (``hand_over_site``), so a host never has two workers at once. The taker starts each site
        over and skips the reports already written (``written_elsewhere``)."""
        if self.leaving or len(self.leased) < 2:
            return
        takers = self.work.hungry(self.worker, within=3 * TICK_SECONDS)
        if not takers:
            return
        left = self.requests_left()
        candidates = sorted((n for n in self.leased if left.get(n, 0) >= self.hand_over_min_requests), key=lambda n: -left[n])
        for index, name in enumerate(candidates):  # interleaved: each taker about its share of the sites and of the work
            if index % (len(takers) + 1):
                self.leaving[name] = takers[index % (len(takers) + 1) - 1]
        if self.leaving:
            given = sum(left[name] for name in self.leaving)
            self.logger.info("handing %d sites (%d requests not started) to %s", len(self.leaving), given, ", ".join(takers))

    def hand_over_site(self, name: str) -> None:
        taker = self.leaving.pop(name)
        self.let_go(name)
        if self.work.hand_over(self.worker, name, taker, self.lease_seconds):
            self.crawler.stats.inc_value("cluster/sites_handed_over")
            self.logger.info("site %s: handed over to %s", name, taker or "the shared work")

    def written_elsewhere(self, name: str, urls: list[str]) -> set[str]:
        """Of a site's report links, those some worker wrote already, for a site taken over or
        handed over (another worker crawled part of it): they are not fetched again."""
        if not self.distributed or name not in self.taken_from_others or not urls:
            return set()
        ids = {url: report_id_for(url) for url in urls}
        written = self.work.written_of(sorted(set(ids.values())))
        return {url for url, report_id in ids.items() if report_id in written}

    def finish_site(self, name: str) -> None:
        self.let_go(name)
        if self.work.finish(self.worker, name):
            self.crawler.stats.inc_value("cluster/sites_done")

    def let_go(self, name: str) -> None:
        """This worker no longer holds the site (finished or handed over)."""
        self.leased.pop(name, None)
        self.sites.pop(name, None)
        self.allowed_domains = sorted({s.host for s in self.sites.values()})

    def distributed_closed(self, spider, reason):
        if getattr(self, "tick_call", None) is not None and self.tick_call.running:
            self.tick_call.stop()
        for name in list(self.leased):
            if name in self.leaving:
                self.hand_over_site(name)
            elif reason == "finished":
                self.finish_site(name)
        self.work.leave(self.worker)
        self.work.push_stats(self.worker, self.crawler.stats.get_stats())
        summary = self.work.summary()
        path = cluster_summary_path(self.crawler.settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({"reason": reason, **summary}, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.replace(path)  # workers sharing a folder each leave a whole file; the last one is complete
        self.logger.info("cluster summary so far (%d sites done, %d pending) written to %s", summary["done"], summary["pending"], path)


def cluster_summary_path(settings) -> Path:
    """``cluster-summary.json`` beside this worker's ``summary.json``."""
    from crawler.summary import summary_path

    return summary_path(settings).with_name("cluster-summary.json")
