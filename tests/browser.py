"""Real headless Chromium for tests, driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages separated by NUL on fds 3 and 4; no websocket, no port).

``open_page(path)`` loads a file and returns what the page logged as errors, what a script
measured in it, and a PNG screenshot.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    def __init__(self, width: int = 1400, height: int = 3000, timeout: float = 60.0):
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = tempfile.TemporaryDirectory(prefix="chromium-")
        to_chrome_read, self._write = os.pipe()
        self._read, from_chrome_write = os.pipe()

        def wire_fds():  # in the child: the pipe ends to fds 3 and 4, kept across exec
            high_read = fcntl.fcntl(to_chrome_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(from_chrome_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [chromium_binary(), *CHROMIUM_FLAGS, f"--user-data-dir={self.profile.name}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire_fds,  # noqa: PLW1509 - fds 3/4 must be set before exec
        )
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self._next_id = 0
        self._messages: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buffer = b""
        while True:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                self._messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self._messages.put(json.loads(message))

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if reply is None:
                raise RuntimeError("chromium closed the pipe")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session:
                return event
        while time.monotonic() < deadline:
            event = self._messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if event is None:
                raise RuntimeError("chromium closed the pipe")
            self.events.append(event)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
        raise TimeoutError(method)

    def close(self):
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, queue.Empty):
            self.process.kill()  # it is gone or stuck: closing anyway
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        self.profile.cleanup()


def console_errors(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and browser log errors (failed loads) of the page."""
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append("log: " + params["entry"].get("text", ""))
    return errors


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def open_page(path: Path, measure: str, screenshot: Path) -> tuple[list[str], object]:
    """Load ``path``; return (errors logged, the value of the ``measure`` expression); save a screenshot."""
    browser = Chromium()
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": browser.width, "height": browser.height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.call("Page.navigate", {"url": Path(path).resolve().as_uri()}, session=session)
        browser.wait_event("Page.loadEventFired", session)
        value = browser.call(
            "Runtime.evaluate", {"expression": measure, "returnByValue": True}, session=session
        )["result"].get("value")
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        errors = console_errors([e for e in browser.events if e.get("sessionId") == session])
    finally:
        browser.close()
    return errors, value
