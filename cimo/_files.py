r"""Reading and writing files safely: size limits, special files, atomic writes (private).

Every file cimo reads goes through :func:`read_file_bytes`, every file it
writes through :func:`atomic_write`. Both look at what the path is before
touching it:

* only regular files are read: a FIFO, a device such as ``/dev/zero``, a
  socket or a folder is refused (a symbolic link is followed to what it names);
* a file larger than :func:`max_file_bytes` is refused before it is read;
* only regular files are written: an output path that is a device, a FIFO or
  a folder is refused, never replaced; a symbolic link is followed on
  purpose, so the file it names is replaced and the link stays a link;
* output goes to a temporary file beside the target, named
  ``.NAME.cimo-PID-XXXX.tmp``, renamed over the target when complete. On
  SIGTERM or SIGINT the temporary file is removed; after SIGKILL, which no
  program can catch, the next write into that folder removes temporaries
  left by processes that no longer run.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(folder / "t.yaml", "format_version: '1.0'\n").name
't.yaml'
>>> read_file_bytes(folder / "t.yaml")
b"format_version: '1.0'\n"
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from cimo.errors import FileFormatError, OutputError

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "atomic_write",
    "check_regular_output",
    "max_file_bytes",
    "read_file_bytes",
]

#: Default largest file read (theory, exchange file, table; for a workbook, the
#: total size of its unpacked parts). ``CIMO_MAX_FILE_BYTES`` overrides it.
MAX_FILE_BYTES = 256 * 2**20
#: Most characters in one spreadsheet cell (Excel's own limit).
MAX_CELL_CHARS = 32_767
#: Most characters in one number written without quotes.
MAX_NUMBER_CHARS = 100


def max_file_bytes() -> int:
    """The largest file cimo reads: ``CIMO_MAX_FILE_BYTES`` if set, else :data:`MAX_FILE_BYTES`.

    >>> max_file_bytes() == MAX_FILE_BYTES or "CIMO_MAX_FILE_BYTES" in os.environ
    True
    """
    value = os.environ.get("CIMO_MAX_FILE_BYTES", "")
    return int(value) if value.isdigit() else MAX_FILE_BYTES


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_file_bytes(path: str | os.PathLike[str], *, what: str = "file") -> bytes:
    """The bytes of a regular file no larger than :func:`max_file_bytes`.

    Args:
        path: The file (a symbolic link is followed).
        what: What the file should be, for messages (``"theory file"``).

    Raises:
        FileFormatError: if the file is missing, not a regular file (a folder,
            FIFO or device), too large, or unreadable.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileFormatError("no such file (check the path)", file=name) from None
    except OSError as err:
        raise FileFormatError(f"cannot read the file: {err.strerror or err}", file=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileFormatError(f"is a folder, not a {what}", file=name)
    if not stat.S_ISREG(info.st_mode):
        raise FileFormatError(
            f"is {_what(info.st_mode)}, not a regular file; cimo reads only regular files "
            "(save the data to a file first)",
            file=name,
        )
    limit = max_file_bytes()
    if info.st_size > limit:
        raise FileFormatError(_too_large(info.st_size, limit), file=name)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise FileFormatError(f"cannot read the file: {err.strerror or err}", file=name) from None
    if len(data) > limit:  # it grew while we looked
        raise FileFormatError(_too_large(len(data), limit), file=name)
    return data


def _too_large(size: int, limit: int) -> str:
    return (
        f"the file is larger than cimo's limit of {limit:,} bytes ({size:,} bytes); "
        "set CIMO_MAX_FILE_BYTES to read larger files"
    )


def check_regular_output(path: str | os.PathLike[str]) -> Path:
    """The file an output path names: itself, or what its symbolic links lead to.

    Raises:
        OutputError: if the path (or what it links to) is a folder, a device, a
            FIFO or a socket, or a chain of links that ends nowhere.

    >>> try:
    ...     check_regular_output("/dev/null")
    ... except OutputError as err:
    ...     print(err)
    cannot write /dev/null: it is a device, not a regular file; cimo writes only regular files
    """
    target = Path(path)
    if target.is_symlink():
        try:
            target = Path(os.path.realpath(target, strict=True))
        except FileNotFoundError:  # a link to a file not there yet: create it
            target = Path(os.path.realpath(target))
        except OSError as err:
            raise OutputError(
                f"cannot write {path}: the symbolic link cannot be followed ({err.strerror}); "
                "write to another path"
            ) from None
        if target.is_symlink():
            raise OutputError(
                f"cannot write {path}: the symbolic link loops; write to another path"
            )
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {path}: it is a folder; name a file inside it")
    if not stat.S_ISREG(mode):
        raise OutputError(
            f"cannot write {path}: it is {_what(mode)}, not a regular file; "
            "cimo writes only regular files"
        )
    return target


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed to disk and renamed over the target in one
    step; on any failure, and on SIGTERM or SIGINT, it is removed and the
    target is left as it was. A new file gets the permissions the umask
    allows; a replaced file keeps its own. Only regular files are written
    (see the module docs); a symbolic link is followed.

    Args:
        path: Where to write.
        data: Text (written as UTF-8) or bytes.

    Returns:
        The path written.

    Raises:
        OutputError: if the folder does not exist or cannot be written to, or
            the path is not a regular file.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "theory.yaml"
    >>> atomic_write(out, "format_version: '1.0'\n").read_text()
    "format_version: '1.0'\n"
    """
    target = check_regular_output(path)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(
            f"cannot write {path}: the folder {folder} does not exist (create it first)"
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    remove_stale_temporaries(folder, target.name)
    with _terminate_cleanly():
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.cimo-{os.getpid()}-", suffix=".tmp", dir=folder
            )
        except OSError as err:
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            _set_mode(tmp, target)
            os.replace(tmp, target)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return Path(path)


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.cimo-(?P<pid>\d+)-[^.]+\.tmp$")


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Remove ``.NAME.cimo-PID-*.tmp`` files in ``folder`` whose process no longer runs.

    Such files are left only when a write was killed with SIGKILL (or the
    machine stopped). Returns the files removed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".t.yaml.cimo-999999999-abc.tmp").write_text("half")
    >>> [p.name for p in remove_stale_temporaries(folder, "t.yaml")]
    ['.t.yaml.cimo-999999999-abc.tmp']
    """
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _TEMPORARY.match(entry.name)
            if m is None or m.group("name") != name or _running(int(m.group("pid"))):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # someone else's process, or a number no process has
    return True


class _Terminated(BaseException):
    """SIGTERM arrived during a write (turned into an exception so clean-up runs)."""


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into an exception while writing, then end the process as SIGTERM would.

    Python already turns SIGINT into :class:`KeyboardInterrupt`. Handlers can
    only be set in the main thread, and one set by the program is left alone.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None  # pragma: no cover - killed above
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _set_mode(tmp: str, target: Path) -> None:
    """Give the temporary file the mode ``target`` has, or the umask's default for a new file."""
    if target.exists():
        with contextlib.suppress(OSError):
            os.chmod(tmp, target.stat().st_mode & 0o777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
