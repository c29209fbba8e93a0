"""The project's settings: what a crawl process loads at start."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import PROJECT

EXTENSION_LIST = """
import sys
from scrapy.utils.project import get_project_settings

# as Scrapy's ExtensionManager reads the setting when a crawler starts
extensions = get_project_settings().get_component_priority_dict_with_base("EXTENSIONS")
print(sorted(k if isinstance(k, str) else f"{k.__module__}.{k.__qualname__}" for k, v in extensions.items() if v is not None))
print("aiohttp" in sys.modules)
"""


def test_remote_control_is_not_loaded_and_its_aiohttp_not_imported():
    result = subprocess.run([sys.executable, "-c", EXTENSION_LIST], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    extensions, aiohttp_imported = result.stdout.splitlines()
    assert "RemoteControl" not in extensions
    assert "crawler.summary.SiteSummary" in extensions and "scrapy.extensions.corestats.CoreStats" in extensions
    assert aiohttp_imported == "False"


def test_jsonschema_is_imported_only_when_an_item_fails_the_compiled_check():
    code = "import sys, pipelines.schema_check; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr[-2000:]
