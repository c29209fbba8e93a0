"""The state of scheduled crawls: one SQLite file (stdlib ``sqlite3``) in a state folder, and a lock.

``DIR/state.sqlite`` holds (schema version in ``schema_version``):

* ``urls``: per URL the ``etag``, ``last_modified``, content ``sha256``, ``fetched_at``, HTTP
  ``status`` and the ``report_id`` it gave. A URL is *known* once a report it led to is written
  (or it is a dead link: 404/410, or forbidden by robots.txt).
* ``revisions``: every report version written: ``report_id``, ``revision`` (1, 2, …), the
  ``fingerprint`` (source and attachments' sha256), ``source_sha256``, ``supersedes``, ``site``,
  ``organ``, ``year``, ``url``, ``run_id`` and ``state`` (``pending`` while its line is being
  written, then ``written``).
* ``runs``: each crawl: start, end, reason (``finished``, ``shutdown``, … or ``interrupted`` for
  a run found unfinished by the next one), pid, the feed files it wrote, its WARC file.
* ``sites``: per site the last run whose walk of the column finished.

``DIR/lock`` is held (``flock``) for the life of the process that opened the store; a second
crawl on the same state gets ``StateLocked`` with one line saying who holds it. The lock goes
with the process, even after SIGKILL.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from pipelines.linefile import cut_partial_line

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    fetched_at TEXT,
    status INTEGER,
    report_id TEXT
);
CREATE TABLE IF NOT EXISTS revisions (
    report_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    source_sha256 TEXT,
    supersedes TEXT,
    site TEXT,
    organ TEXT,
    year INTEGER,
    url TEXT,
    run_id INTEGER NOT NULL,
    written_at TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (report_id, revision)
);
CREATE INDEX IF NOT EXISTS revisions_organ_year ON revisions (site, organ, year);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    reason TEXT,
    pid INTEGER,
    feeds TEXT,
    archive TEXT
);
CREATE TABLE IF NOT EXISTS sites (
    site TEXT PRIMARY KEY,
    walked_run INTEGER
);
"""

DEAD_STATUSES = (404, 410, 0)  # 0: forbidden by robots.txt, never asked

_HELD_LOCKS: dict[str, int] = {}


class StateLocked(ValueError):
    """Another process holds the state folder."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def acquire_lock(directory: str | Path) -> None:
    """Take ``DIR/lock`` for this process (once; later calls are no-ops) or raise ``StateLocked``."""
    directory = Path(directory)
    key = str(directory.resolve())
    if key in _HELD_LOCKS:
        return
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "another process"
        os.close(descriptor)
        raise StateLocked(f"state {directory} is in use by another crawl ({holder}); run again when it has finished") from None
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"pid {os.getpid()}, since {utc_now()}\n".encode(), 0)
    _HELD_LOCKS[key] = descriptor


class StateStore:
    """The state folder's SQLite store; opening it takes the folder's lock."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        acquire_lock(self.directory)
        self.path = self.directory / "state.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            self.db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise ValueError(f"state {self.directory} has schema version {row[0]}, this crawler reads {SCHEMA_VERSION}")
        self.run_id: int | None = None

    # runs ---------------------------------------------------------------
    def start_run(self, feeds: list[str], archive: str | None) -> int:
        """Open a run; first repair what an interrupted run left: a partial last line in its feeds
        (a write the kill cut short), and the versions it may or may not have written."""
        self.cut_lines = 0
        for run_id, run_feeds in self.db.execute("SELECT run_id, feeds FROM runs WHERE finished_at IS NULL").fetchall():
            self.cut_lines += sum(cut_partial_line(Path(feed)) for feed in json.loads(run_feeds or "[]"))
            self.db.execute("UPDATE runs SET finished_at = ?, reason = 'interrupted' WHERE run_id = ?", (utc_now(), run_id))
        self.settle_pending()
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, pid, feeds, archive) VALUES (?, ?, ?, ?)",
            (utc_now(), os.getpid(), json.dumps(feeds), archive),
        )
        self.run_id = cursor.lastrowid
        return self.run_id

    def finish_run(self, reason: str, walked_sites: list[str]) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished_at = ?, reason = ? WHERE run_id = ?", (utc_now(), reason, self.run_id))
            if reason == "finished":
                self.db.executemany(
                    "INSERT INTO sites (site, walked_run) VALUES (?, ?) ON CONFLICT(site) DO UPDATE SET walked_run = excluded.walked_run",
                    [(site, self.run_id) for site in walked_sites],
                )

    def walk_finished_before(self, site: str) -> bool:
        """Whether an earlier run walked this site's column to its end (a finished run)."""
        return self.db.execute("SELECT 1 FROM sites WHERE site = ?", (site,)).fetchone() is not None

    # urls ---------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """``(etag, last_modified)`` of a URL whose report was written, else ``(None, None)``."""
        row = self.db.execute("SELECT etag, last_modified FROM urls WHERE url = ? AND report_id IS NOT NULL", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def is_known(self, url: str) -> bool:
        """A URL that gave a written report, or a dead link (404/410, robots.txt)."""
        row = self.db.execute("SELECT report_id, status FROM urls WHERE url = ?", (url,)).fetchone()
        return bool(row) and (row[0] is not None or row[1] in DEAD_STATUSES)

    def attachments_of(self, page_url: str) -> list[dict]:
        """The other fetched URLs of the report a page gave (its attachments), with their validators."""
        rows = self.db.execute(
            """SELECT url, etag, last_modified, sha256 FROM urls WHERE report_id = (SELECT report_id FROM urls WHERE url = ?)
               AND url != ? AND sha256 IS NOT NULL ORDER BY url""",
            (page_url, page_url),
        ).fetchall()
        return [dict(zip(("url", "etag", "last_modified", "sha256"), row)) for row in rows]

    def record_url(self, url: str, report_id: str | None, fetched: dict | None = None, status: int | None = None) -> None:
        fetched = fetched or {}
        self.db.execute(
            """INSERT INTO urls (url, etag, last_modified, sha256, fetched_at, status, report_id) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET
                 etag = COALESCE(excluded.etag, urls.etag), last_modified = COALESCE(excluded.last_modified, urls.last_modified),
                 sha256 = COALESCE(excluded.sha256, urls.sha256), fetched_at = COALESCE(excluded.fetched_at, urls.fetched_at),
                 status = COALESCE(excluded.status, urls.status), report_id = COALESCE(excluded.report_id, urls.report_id)""",
            (url, fetched.get("etag"), fetched.get("last_modified"), fetched.get("sha256"), fetched.get("fetched_at"),
             status if status is not None else fetched.get("status"), report_id),
        )

    # revisions ----------------------------------------------------------
    def latest(self, report_id: str, site: str | None = None, organ: str | None = None, year: int | None = None) -> dict | None:
        """The last written version of a report: by id, else (earlier runs only) by site + organ + year."""
        columns = "report_id, revision, fingerprint, source_sha256"
        row = self.db.execute(
            f"SELECT {columns} FROM revisions WHERE report_id = ? AND state = 'written' ORDER BY revision DESC LIMIT 1", (report_id,)
        ).fetchone()
        if row is None and organ and year:
            row = self.db.execute(
                f"""SELECT {columns} FROM revisions WHERE site = ? AND organ = ? AND year = ? AND state = 'written'
                    AND run_id < ? ORDER BY written_at DESC, revision DESC LIMIT 1""",
                (site, organ, year, self.run_id or 0),
            ).fetchone()
        return dict(zip(("report_id", "revision", "fingerprint", "source_sha256"), row)) if row else None

    def mark_pending(self, version: dict) -> None:
        """Record a version about to be written (before its line)."""
        self.db.execute(
            """INSERT OR REPLACE INTO revisions (report_id, revision, fingerprint, source_sha256, supersedes, site, organ, year,
               url, run_id, written_at, state) VALUES (:report_id, :revision, :fingerprint, :source_sha256, :supersedes, :site,
               :organ, :year, :url, :run_id, :written_at, 'pending')""",
            {**version, "run_id": self.run_id, "written_at": utc_now()},
        )

    def mark_written(self, report_id: str, revision: int, urls: dict[str, dict | None]) -> None:
        """The line is written: the version counts, and its URLs become known (with their validators)."""
        with self.db:
            self.db.execute("UPDATE revisions SET state = 'written' WHERE report_id = ? AND revision = ?", (report_id, revision))
            for url, fetched in urls.items():
                self.record_url(url, report_id, fetched)

    def settle_pending(self) -> None:
        """Versions an interrupted run left ``pending``: written if its feed holds the line, else dropped."""
        pending = self.db.execute(
            "SELECT r.report_id, r.revision, r.source_sha256, runs.feeds FROM revisions r JOIN runs USING (run_id) WHERE r.state = 'pending'"
        ).fetchall()
        for report_id, revision, source_sha256, feeds in pending:
            found = any(_feed_holds(Path(feed), report_id, source_sha256) for feed in json.loads(feeds or "[]"))
            if found:
                self.db.execute("UPDATE revisions SET state = 'written' WHERE report_id = ? AND revision = ?", (report_id, revision))
            else:
                self.db.execute("DELETE FROM revisions WHERE report_id = ? AND revision = ?", (report_id, revision))

    def versions(self, report_id: str) -> list[dict]:
        """Every written version of a report, oldest first."""
        rows = self.db.execute(
            "SELECT revision, source_sha256, supersedes FROM revisions WHERE report_id = ? AND state = 'written' ORDER BY revision",
            (report_id,),
        ).fetchall()
        return [dict(zip(("revision", "source_sha256", "supersedes"), row)) for row in rows]

    def close(self) -> None:
        self.db.close()


def _feed_holds(path: Path, report_id: str, source_sha256: str | None) -> bool:
    if not path.is_file():
        return False
    needle = f'"report_id": "{report_id}"'
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if needle in line and (source_sha256 is None or source_sha256 in line):
                return True
    return False


def read_versions(directory: str | Path) -> dict[str, list[dict]]:
    """Every written version per report_id, read without the lock (for ``govreports reparse``)."""
    path = Path(directory) / "state.sqlite"
    if not path.is_file():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT report_id, revision, source_sha256, supersedes FROM revisions WHERE state = 'written' ORDER BY report_id, revision"
        ).fetchall()
    finally:
        db.close()
    versions: dict[str, list[dict]] = {}
    for report_id, revision, source_sha256, supersedes in rows:
        versions.setdefault(report_id, []).append({"revision": revision, "source_sha256": source_sha256, "supersedes": supersedes})
    return versions
