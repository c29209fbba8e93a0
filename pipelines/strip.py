"""Stage: find the report body, strip site chrome and footers (``pipelines.cleaning``)."""

from pipelines.chain import strip_step
from pipelines.stage import ChainStage


class StripPipeline(ChainStage):
    step = staticmethod(strip_step)
    stats_prefix = "strip"

    def count(self, adapter):
        self.stats.inc_value("strip/pages")
        if not adapter.get("text"):
            self.stats.inc_value("strip/empty_body")
        if adapter.get("page_meta"):
            self.stats.inc_value("strip/page_meta")
