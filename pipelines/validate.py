"""Stage: the contract's consistency rules 1-4 (``validation``)."""

from pipelines.chain import validate_step
from pipelines.stage import ChainStage


class ValidatePipeline(ChainStage):
    step = staticmethod(validate_step)
    stats_prefix = "validate"

    def count(self, adapter):
        ok = (adapter.get("validation") or {}).get("ok")
        self.stats.inc_value(f"validate/ok/{str(ok).lower() if ok is not None else 'null'}")
