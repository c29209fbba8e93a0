"""A worker's site allowance (``DistributedSites.adjust_allowance``): more sites while its core idles."""

from __future__ import annotations

import time
from types import SimpleNamespace

from crawler.distributed import DistributedSites


def worker(allowance: int, leased: int, cpu_share: float, maximum: int = 32) -> SimpleNamespace:
    """A worker's allowance state as of one tick ago, having used ``cpu_share`` of a core since."""
    now_wall, now_cpu = time.monotonic(), time.process_time()
    return SimpleNamespace(
        site_allowance=allowance,
        leased=dict.fromkeys(range(leased), 0.0),
        sites_per_worker=maximum,
        busy_share=0.97,
        last_tick=(now_wall - 1000.0, now_cpu - 1000.0 * cpu_share),
    )


def test_an_idle_worker_takes_more_sites_up_to_the_maximum():
    state = worker(allowance=8, leased=8, cpu_share=0.5)
    DistributedSites.adjust_allowance(state)
    assert state.site_allowance == 12
    for _ in range(10):
        state.last_tick = (time.monotonic() - 1000.0, time.process_time() - 500.0)
        DistributedSites.adjust_allowance(state)
    assert state.site_allowance == 32


def test_a_busy_worker_holds_what_it_has():
    state = worker(allowance=20, leased=11, cpu_share=1.0)
    DistributedSites.adjust_allowance(state)
    assert state.site_allowance == 11


def test_a_busy_worker_with_no_site_may_still_take_one():
    state = worker(allowance=5, leased=0, cpu_share=1.0)
    DistributedSites.adjust_allowance(state)
    assert state.site_allowance == 1
