"""The line writer (``pipelines.linefile``) and its keeper process (``pipelines/line_keeper.py``)."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.linefile import KEEPER, LineFile, cut_partial_line, wait_for_writers


def test_lines_written_whole_in_order_with_chinese(tmp_path):
    path = tmp_path / "输出" / "年报.jsonl"
    feed = LineFile(path, overwrite=True)
    for n in range(50):
        feed.write((json.dumps({"n": n, "organ": "演示县人民政府"}, ensure_ascii=False) + "\n").encode("utf-8"))
    feed.sync()
    feed.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["n"] for line in lines] == list(range(50))


def test_overwrite_empties_and_append_keeps(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    LineFile(path, overwrite=False).close()
    assert path.read_bytes() == b'{"a": 1}\n'
    LineFile(path, overwrite=True).close()
    assert path.read_bytes() == b""


def test_appending_cuts_a_partial_last_line_another_program_left(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": ')
    feed = LineFile(path, overwrite=False)
    feed.write(b'{"a": 2}\n')
    feed.close()
    assert feed.partial_line_cut
    assert path.read_bytes() == b'{"a": 1}\n{"a": 2}\n'


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_the_writers_oserror():
    feed = LineFile(Path("/dev/full"), overwrite=False)
    with pytest.raises(OSError) as raised:
        feed.write(b'{"a": 1}\n')
    feed.close()
    assert raised.value.errno == errno.ENOSPC


def test_an_unwritable_folder_fails_at_open(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        LineFile(blocker / "feed.jsonl", overwrite=True)


def test_the_keeper_drops_a_line_its_writer_died_sending(tmp_path):
    """A writer killed half-way through handing a line over: the keeper writes none of it."""
    path = tmp_path / "feed.jsonl"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    keeper = subprocess.Popen([sys.executable, "-I", "-S", str(KEEPER), str(descriptor)], pass_fds=(descriptor,),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    os.close(descriptor)
    whole, cut = b'{"a": 1}\n', b'{"a": 2, "text": "' + "第一条".encode() * 1000 + b'"}\n'
    keeper.stdin.write(struct.pack(">Q", len(whole)) + whole)
    keeper.stdin.flush()
    assert keeper.stdout.read(1) == b"k"
    keeper.stdin.write(struct.pack(">Q", len(cut)) + cut[: len(cut) // 2])
    keeper.stdin.close()
    assert keeper.wait(timeout=30) == 0
    wait_for_writers(path)
    assert path.read_bytes() == whole


def test_the_keeper_outlives_its_writer_and_the_next_writer_waits_for_it(tmp_path):
    """A writer SIGKILLed: its keeper is in a session of its own, still holds the file, then exits."""
    path = tmp_path / "feed.jsonl"
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from pipelines.linefile import LineFile; "
         "f = LineFile(Path(sys.argv[1]), True); f.write(b'{}\\n'); print(f.keeper.pid, flush=True); sys.stdin.read()", str(path)],
        cwd=Path(__file__).resolve().parents[1], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    keeper_pid = int(writer.stdout.readline())
    assert os.getsid(keeper_pid) == keeper_pid != os.getsid(writer.pid)
    writer.kill()
    writer.wait(timeout=30)
    assert cut_partial_line(path) is False
    feed = LineFile(path, overwrite=False)
    feed.write(b'{"b": 1}\n')
    feed.close()
    assert path.read_bytes() == b'{}\n{"b": 1}\n'


def test_a_file_another_live_writer_holds_is_refused_after_the_wait(tmp_path, monkeypatch):
    import pipelines.linefile as linefile

    monkeypatch.setattr(linefile, "LOCK_WAIT_SECONDS", 0.3)
    path = tmp_path / "年报.jsonl"
    first = LineFile(path, overwrite=True)
    try:
        with pytest.raises(BlockingIOError, match="another crawl is writing this file"):
            LineFile(path, overwrite=True)
    finally:
        first.close()
    LineFile(path, overwrite=False).close()
