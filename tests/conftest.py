"""Suite-wide set-up: strict mode on, so a bug cannot hide as a warning.

``REPORTS_STRICT`` is read by the pure code (``pipelines.strict``) and, through
``crawler/settings.py``, by the crawl's stages; the crawl subprocesses inherit it.
"""

import os

os.environ["REPORTS_STRICT"] = "1"
