"""One atomic write for every file releve writes (plans, reports, caches): a temporary file
in the same folder, flushed to disk, renamed over the target; through symbolic links, the
file's mode kept, a read-only file refused, errors naming the file and its folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


def umask() -> int:
    """The process's umask, read without changing it where /proc allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def target_of(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` changes: a symbolic link's target, never the link."""
    return Path(os.path.realpath(path))


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    shown: str | None = None,
    exclusive: bool = False,
    durable: bool = True,
) -> os.stat_result:
    """Replace the file at ``path`` with ``data`` so that a crash at any moment leaves the
    old file or the new one, never a mix; returns the new file's stat.

    A symbolic link is written through (its target changes, the link stays a link). The
    file keeps its mode; a new one gets the mode the umask gives (0644 usually). A file
    the user made read-only is refused (PermissionError), as a plain write would be. With
    ``exclusive`` the file must not exist (FileExistsError, even if it appears meanwhile).
    ``durable`` (default) flushes the data and the folder to disk (caches may skip it).
    Every OSError raised names ``shown`` (default: ``path`` as given) and, when the folder
    is at fault, the folder: never the temporary file.
    """
    shown = str(path) if shown is None else shown
    target = target_of(path)
    folder = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        mode = 0o666 & ~umask()
    else:
        mode = stat.S_IMODE(st.st_mode)
        if exclusive:
            raise FileExistsError(errno.EEXIST, "the file already exists", shown)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", shown)
        if not stat.S_ISREG(st.st_mode):
            # A device or a pipe (`-o /dev/null`, `-o /dev/stdout`): written to, never
            # renamed over (as root, a rename would replace /dev/null with a plain file).
            return _write_in_place(target, data, shown)
        if exclusive:
            raise FileExistsError(errno.EEXIST, "the file already exists", shown)
        if not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", shown)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _named(err, shown, folder, creating=True) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        if exclusive:
            _link_new(tmp, target, shown)
        else:
            os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            _named(err, shown, folder, creating=False)
        raise
    if durable:
        _fsync_dir(folder)
    return os.stat(target)


def _write_in_place(target: Path, data: bytes, shown: str) -> os.stat_result:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as err:
        err.filename = shown
        raise
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _link_new(tmp: str, target: Path, shown: str) -> None:
    """Give the finished temporary file the target's name only if no file has it."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "the file already exists", shown) from None
    except OSError:  # no hard links here (some network or FAT folders): create exclusively
        with open(tmp, "rb") as src, open(target, "xb") as dst:
            dst.write(src.read())
            dst.flush()
            os.fsync(dst.fileno())
    os.unlink(tmp)


def _named(err: OSError, shown: str, folder: Path, *, creating: bool) -> OSError:
    """``err`` (same type, same errno) naming the file the user asked for, not the
    temporary file; when the temporary file could not be made, the folder is the cause
    (then ``err.folder`` is set)."""
    reason = err.strerror or str(err)
    if creating:
        reason = f"{reason}: cannot write in the folder {str(folder)!r}"
        err.folder = str(folder)  # type: ignore[attr-defined]
    err.strerror = reason
    err.filename = shown
    err.filename2 = None
    return err


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
