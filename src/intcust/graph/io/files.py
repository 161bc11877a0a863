"""Files: reading them whole, and replacing them atomically.

Every writer builds its whole text in memory first, then hands it here:
`write_files` writes each file to a temporary file in the same folder,
flushes and fsyncs it, and only then moves it over the target with
`os.replace` (atomic on POSIX and Windows). A write that fails (a value that
cannot be written, a full disk, a file-size limit, a missing folder) leaves
the previous file byte for byte as it was and no temporary file behind.

Several files (the CSV pair) are all written to temporary files before the
first one replaces its target; should a later replacement fail, the earlier
ones are rolled back from hard links of the old files. Only a crash between
two replacements can leave a new file beside an old one, and the manifest
the CSV writer puts in both files makes the reader refuse such a pair.

A target that exists but is no regular file (``/dev/null``, ``/dev/stdout``, a
named pipe) is written to as it is: moving a file over it would put a regular
file in place of the device or pipe.

Operating-system failures become a `WriteError` (or, reading, a `ReadError`)
naming the path.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, TypeAlias

from intcust.errors import ParameterError, ReadError, WriteError

__all__ = [
    "PathOrFile",
    "check_readable",
    "read_bytes",
    "read_text",
    "source_name",
    "write_files",
    "write_text",
]

#: A file system path or an open file (text or binary).
PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[Any]"

_BOM = b"\xef\xbb\xbf"


def source_name(source: PathOrFile) -> str:
    """How messages name `source`: the path, or an open file's ``name``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) else "<stream>"


def _reason(err: OSError) -> str:
    return err.strerror or str(err) or type(err).__name__


def path_argument(value: object, func: str, param: str = "path") -> str | os.PathLike[str]:
    """`value` if it is a path (str or os.PathLike), else a `ParameterError` naming `param`."""
    if not isinstance(value, str | os.PathLike):
        raise ParameterError(
            f"The {param!r} parameter of {func} must be a str or os.PathLike; "
            f"got {type(value).__name__}."
        )
    return value


def _check(value: object, func: str, param: str, method: str) -> None:
    if not isinstance(value, str | os.PathLike) and not callable(getattr(value, method, None)):
        raise ParameterError(
            f"The {param!r} parameter of {func} must be a path (str or os.PathLike) or an "
            f"open file; got {type(value).__name__}."
        )


def check_readable(path: str | os.PathLike[str]) -> None:
    """Refuse a folder or a device (``/dev/zero`` would be read for ever); allow pipes.

    Raises
    ------
    ReadError
        Naming the path. A missing file is left to the reader's own error.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise ReadError(f"{os.fspath(path)}: cannot be read: it is a folder, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise ReadError(f"{os.fspath(path)}: cannot be read: it is a device, not a file")


def read_bytes(source: PathOrFile, func: str = "read", param: str = "path") -> tuple[bytes, str]:
    """The content of `source` as bytes, and its name for messages.

    `func` and `param` name the argument in the message if it is neither a
    path nor an open file.
    """
    _check(source, func, param, "read")
    name = source_name(source)
    try:
        if isinstance(source, str | os.PathLike):
            check_readable(source)
            return Path(source).read_bytes(), name
        data = source.read()
    except OSError as err:
        raise ReadError(f"{name}: cannot be read: {_reason(err)}") from err
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass"), name
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ReadError(f"{name}: reading it gave {type(data).__name__}, not text or bytes")
    return bytes(data), name


def read_text(source: PathOrFile, func: str = "read", param: str = "path") -> tuple[str, str]:
    """The content of `source` as UTF-8 text (a leading byte-order mark is dropped).

    Raises
    ------
    ReadError
        Naming the line and the byte offset (from the start of the file) of
        the first byte that is not UTF-8.

    Examples
    --------
    >>> import io
    >>> read_text(io.BytesIO(b"\\xef\\xbb\\xbfnode\\na\\xff"))
    Traceback (most recent call last):
    ...
    intcust.errors.ReadError: <stream>, line 2: the file must be UTF-8 text; byte 0xff at offset 9 is not
    """
    data, name = read_bytes(source, func, param)
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8"), name
    except UnicodeDecodeError as err:
        offset = skip + err.start
        line = data[:offset].count(b"\n") + 1
        raise ReadError(
            f"{name}, line {line}: the file must be UTF-8 text; byte {data[offset]:#04x} "
            f"at offset {offset} is not"
        ) from None


def write_text(target: PathOrFile, text: str, func: str = "write", param: str = "path") -> None:
    """Write `text` as UTF-8 to a path (atomically) or to an open text or binary file."""
    write_files([(target, text, param)], func)


def write_files(files: Sequence[tuple[PathOrFile, str, str]], func: str) -> None:
    """Write each text as UTF-8 to its path (atomically) or open file.

    Parameters
    ----------
    files : sequence of (target, text, parameter name)
        Where to write what; the parameter of `func` that named the target.
    func : str
        The public function writing, for messages.

    Raises
    ------
    ParameterError
        If a target is neither a path nor an open file.
    WriteError
        Naming the path and the reason; no target has changed.
    """
    for target, _, param in files:
        _check(target, func, param, "write")
    encoded = [(target, _utf8(text, source_name(target))) for target, text, _ in files]
    paths: list[tuple[str | os.PathLike[str], bytes]] = []
    for target, data in encoded:
        if not isinstance(target, str | os.PathLike):
            _write_stream(target, data)
        elif _is_special(target):
            _write_special(target, data)
        else:
            paths.append((target, data))
    if not paths:
        return
    temps: list[tuple[Path, Path, str]] = []  # (temporary, target, name in messages)
    try:
        for target, data in paths:
            name = os.fspath(target)
            real = _target(Path(target), name)
            temps.append((_write_temporary(real, data, name), real, name))
        _replace_all(temps)
    except BaseException:
        for tmp, _, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def _utf8(text: str, name: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ParameterError(
            f"{name} cannot be written: the text holds {text[err.start]!r}, half of a "
            "UTF-16 surrogate pair, which UTF-8 cannot encode"
        ) from None


def _write_stream(target: IO[Any], data: bytes) -> None:
    name = source_name(target)
    text = isinstance(target, io.TextIOBase) or not _takes_bytes(target)
    try:
        try:
            target.write(data.decode("utf-8") if text else data)
        except TypeError:  # the file wants the other kind
            target.write(data if text else data.decode("utf-8"))
        flush = getattr(target, "flush", None)
        if flush is not None:
            flush()
    except OSError as err:
        raise WriteError(f"{name}: cannot be written: {_reason(err)}") from err


def _is_special(path: str | os.PathLike[str]) -> bool:
    """Whether `path` (its links followed) exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_special(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` straight into a device or named pipe, which has no content to keep."""
    name = os.fspath(path)
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as err:
        raise WriteError(f"{name}: cannot be written: {_reason(err)}") from err


def _takes_bytes(target: IO[Any]) -> bool:
    """Whether an open file that is not an `io.TextIOBase` wants bytes (its mode has 'b')."""
    mode = getattr(target, "mode", None)
    if isinstance(mode, str):
        return "b" in mode
    return isinstance(target, io.BufferedIOBase | io.RawIOBase)


def _target(path: Path, name: str) -> Path:
    """The file to replace: `path` with symbolic links followed; refuse a folder."""
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise WriteError(f"{name}: cannot be written: it is a folder")
    folder = real.parent
    if not folder.exists():
        raise WriteError(f"{name}: cannot be written: the folder {folder} does not exist")
    if not folder.is_dir():
        raise WriteError(f"{name}: cannot be written: {folder} is not a folder")
    return real


def _write_temporary(real: Path, data: bytes, name: str) -> Path:
    """`data` in a new file beside `real`, flushed to the disk; its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        while True:
            tmp = real.with_name(f".{real.name}.{secrets.token_hex(6)}.tmp")
            try:
                fd = os.open(tmp, flags, 0o666)
                break
            except FileExistsError:
                continue
    except OSError as err:
        raise WriteError(f"{name}: cannot be written: {_reason(err)}") from err
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # keep the permissions of the file replaced
            os.chmod(tmp, stat.S_IMODE(os.stat(real).st_mode))
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise WriteError(f"{name}: cannot be written: {_reason(err)}") from err
        raise
    return tmp


def _replace_all(temps: list[tuple[Path, Path, str]]) -> None:
    """Move each temporary file over its target; undo them all if one fails."""
    # (target, hard link to the old file, whether there was an old file)
    done: list[tuple[Path, Path | None, bool]] = []
    try:
        for tmp, real, name in temps:
            existed = real.exists()
            backup = _keep_old(real) if existed and len(temps) > 1 else None
            try:
                os.replace(tmp, real)
            except OSError as err:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        backup.unlink()
                raise WriteError(f"{name}: cannot be written: {_reason(err)}") from err
            done.append((real, backup, existed))
    except BaseException:
        for real, backup, existed in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, real)
                elif not existed:
                    real.unlink()
        raise
    for _, backup, _ in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
    _sync_folders({real.parent for _, real, _ in temps})


def _keep_old(real: Path) -> Path | None:
    """A hard link to the file that `real` names, to roll back with; None if links fail."""
    backup = real.with_name(f".{real.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(real, backup)
    except OSError:
        return None
    return backup


def _sync_folders(folders: set[Path]) -> None:
    """Flush the folders' entries to the disk, so the replacements survive a crash."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    for folder in folders:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
