"""Stage: check each item against the shipped JSON Schema; count problems, never drop.

Problems are counted per field in crawl stats (``schema/field/<name>/invalid``) and noted in the
item's ``warnings``, so data quality shows up per crawl without losing a report.

Each item is checked by the schema compiled to Python (``fastjsonschema``, a small fraction of
``jsonschema``'s time); only an item it rejects goes through ``jsonschema`` as well, which lists
every problem. Both take the same verdicts (``tests/test_schema_check.py``).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import fastjsonschema
from itemadapter import ItemAdapter

from crawler.stats_keys import warning_key
from pipelines.contract import public_dict
from pipelines.warning_codes import warning

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "report-item.schema.json"


@lru_cache(maxsize=1)
def schema_validator() -> Draft202012Validator:
    """jsonschema's validator, imported on first use: only an item the compiled check rejects needs it."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def compiled_validator():
    """The schema as a Python function; formats unchecked and no defaults filled in, as jsonschema's.

    The schema's keywords (type, enum, pattern, required, properties, items, anyOf, minimum, …)
    mean the same in draft 7, the newest draft fastjsonschema compiles.

    fastjsonschema writes the function as 0.4 MB of Python source; writing and compiling it took
    0.1 s of each process's first item. The compiled code is kept in the cache folder
    (``cache_folder``), named by the digest of the schema, fastjsonschema's version and Python's,
    and read back in about a millisecond. A file missing or unreadable is built again; where the
    folder cannot be written, each process compiles the schema as before.
    """
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    options = {"use_default": False, "use_formats": False}
    digest = hashlib.sha256(json.dumps([schema, options, fastjsonschema.VERSION], sort_keys=True).encode()).hexdigest()[:16]
    path = cache_folder() / f"report_item_validator_{digest}.{sys.implementation.cache_tag}.marshal"
    try:
        name, code = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):  # not built yet, or not a whole file
        name = fastjsonschema.RefResolver.from_schema(schema, handlers={}, store={}).get_scope_name()
        code = compile(fastjsonschema.compile_to_code(schema, **options), str(path), "exec")
        write_whole(path, marshal.dumps((name, code)))
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the code fastjsonschema generated from the shipped schema
    return namespace[name]


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (processes starting together each write their
    own copy and rename it); a folder that cannot be written is left as it is."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        with suppress(OSError):
            partial.unlink()


def cache_folder() -> Path:
    """Where the project keeps what it can rebuild: ``REPORTS_CACHE_DIR``, else the user's cache
    folder (``$XDG_CACHE_HOME`` or ``~/.cache``) under ``gov-annual-reports``."""
    if os.environ.get("REPORTS_CACHE_DIR"):
        return Path(os.environ["REPORTS_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gov-annual-reports"


def schema_errors(item: dict) -> list[tuple[str, str]]:
    """(field, message) for every way the item's public fields break the schema."""
    public = public_dict(item)
    try:
        compiled_validator()(public)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass
    found = []
    for error in schema_validator().iter_errors(public):
        field = str(error.path[0]) if error.path else (error.validator == "required" and error.message.split("'")[1] or "item")
        found.append((field, error.message))
    return found


class SchemaCheckPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        problems = schema_errors({key: adapter[key] for key in adapter.keys()})
        for field, _message in problems:
            self.crawler.stats.inc_value(f"schema/field/{field}/invalid")
        if problems:
            self.crawler.stats.inc_value("schema/items_invalid")
            self.crawler.stats.inc_value(warning_key("schema"), len(problems))
            warnings = adapter.get("warnings") or []
            warnings.extend(warning("schema", f"{field}: {message}") for field, message in problems)
            adapter["warnings"] = warnings
        return item
