"""Stage: find the report body, strip site chrome and footers (``pipelines.cleaning``)."""

from crawler.stats_keys import body_found_by_key
from pipelines.chain import strip_step
from pipelines.stage import ChainStage


class StripPipeline(ChainStage):
    step = staticmethod(strip_step)
    stats_prefix = "strip"
    counts_earlier_warnings = True

    def count(self, adapter):
        self.stats.inc_value("strip/pages")
        found_by = (adapter.get("page_hints") or {}).get("body_found_by")
        if found_by:
            self.stats.inc_value(body_found_by_key(found_by))
        if not adapter.get("text"):
            self.stats.inc_value("strip/empty_body")
        if adapter.get("page_meta"):
            self.stats.inc_value("strip/page_meta")
