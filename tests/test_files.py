"""Reading and writing files safely: special files, size limits, links, interrupted writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cimo._files import (
    atomic_write,
    check_regular_output,
    read_file_bytes,
    remove_stale_temporaries,
)
from cimo.errors import FileFormatError, OutputError


def test_only_regular_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it would block: refused before opening
    with pytest.raises(FileFormatError, match="FIFO"):
        read_file_bytes(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")  # reading it would never end
    with pytest.raises(FileFormatError, match="a device"):
        read_file_bytes(tmp_path / "zero.yaml")
    with pytest.raises(FileFormatError, match="folder"):
        read_file_bytes(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    monkeypatch.setenv("CIMO_MAX_FILE_BYTES", "100")
    with pytest.raises(FileFormatError, match="larger than cimo's limit of 100 bytes"):
        read_file_bytes(big)
    monkeypatch.setenv("CIMO_MAX_FILE_BYTES", "101")
    assert read_file_bytes(big) == b"x" * 101


def test_only_regular_files_are_written(tmp_path: Path) -> None:
    # /dev/null is only ever passed to the check, which refuses it; never to a writer.
    with pytest.raises(OutputError, match="a device, not a regular file"):
        check_regular_output("/dev/null")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OutputError, match="FIFO"):
        atomic_write(tmp_path / "pipe", "x")
    assert (tmp_path / "pipe").is_fifo()
    with pytest.raises(OutputError, match="folder"):
        atomic_write(tmp_path, "x")
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    with pytest.raises(OutputError, match="symbolic link"):
        atomic_write(loop, "x")


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "sub" / "real.txt"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "sub" / "made.txt")
    atomic_write(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "sub" / "made.txt").read_text() == "made"
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["made.txt", "real.txt"]


def test_stale_temporaries_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = tmp_path / f".t.yaml.cimo-{dead.stdout.strip()}-abc123.tmp"
    stale.write_text("half a file")
    mine = tmp_path / f".t.yaml.cimo-{os.getpid()}-abc123.tmp"  # a write in progress
    mine.write_text("busy")
    other = tmp_path / f".u.yaml.cimo-{dead.stdout.strip()}-abc123.tmp"  # another target
    other.write_text("not ours to touch")
    atomic_write(tmp_path / "t.yaml", "whole")
    assert not stale.exists() and mine.exists() and other.exists()
    assert remove_stale_temporaries(tmp_path, "u.yaml") == [other]


_WRITER = textwrap.dedent(
    """
    import sys, time
    import cimo._files as files

    real_fsync = files.os.fsync
    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(30)
        real_fsync(fd)
    files.os.fsync = slow_fsync
    files.atomic_write(sys.argv[1], b"x" * 50_000_000)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, sig: int) -> None:
    target = tmp_path / "big.svg"
    target.write_text("the old picture")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, env=env, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # mid-write
        proc.send_signal(sig)
        code = proc.wait(timeout=20)
    assert code != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.svg"]
    assert target.read_text() == "the old picture"


def test_after_sigkill_the_next_write_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "big.svg"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, env=env, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        proc.kill()
        proc.wait(timeout=20)
    time.sleep(0.1)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".big.svg.cimo-")  # SIGKILL cannot be caught
    atomic_write(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["big.svg"]
