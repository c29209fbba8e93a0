"""One contract: the Scrapy-free field list, the Scrapy item and the JSON Schema name the same fields."""

import json
import subprocess
import sys

from crawler.items import ReportItem
from pipelines.contract import CONTRACT_FIELDS, INTERNAL_FIELDS
from tests.helpers import FIXTURES, PROJECT

SCHEMA = PROJECT / "schema" / "report-item.schema.json"


def test_contract_item_and_schema_are_the_same_set():
    properties = set(json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"])
    assert set(CONTRACT_FIELDS) == properties
    assert set(ReportItem.fields) == set(CONTRACT_FIELDS) | set(INTERNAL_FIELDS)
    assert len(CONTRACT_FIELDS) == len(set(CONTRACT_FIELDS))


# Runs the offline command in this interpreter, then prints the modules it loaded.
LOADED = """
import runpy, sys
sys.argv = ["pipelines.parse", *sys.argv[1:]]
try:
    runpy.run_module("pipelines.parse", run_name="__main__")
except SystemExit:
    pass
print("MODULES", *sorted(sys.modules), file=sys.stderr)
"""


def test_offline_command_imports_no_scrapy_or_twisted():
    page = FIXTURES / "cli" / "notice-gbk.txt"
    seed = FIXTURES / "seeds" / "001_486c4dbf7b9bad2b.txt"
    for path in (page, seed):
        assert path.is_file(), f"fixture {path} is missing"
    done = subprocess.run([sys.executable, "-c", LOADED, str(page), str(seed)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout.splitlines()) == 2
    modules = done.stderr.rsplit("MODULES", 1)[1].split()
    roots = {name.split(".")[0] for name in modules}
    assert not roots & {"scrapy", "twisted"}, sorted(roots & {"scrapy", "twisted"})
    assert "pipelines.parse" in modules or "pipelines" in roots
