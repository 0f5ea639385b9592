"""Writing a file the user named: the one home of what may be replaced, and how.

Exports, `import --out` and `build --out` all write through here. A target is either a new
path in an existing folder or an existing *regular* file (which the command line replaces
only with `--force`: `check_target`). Anything else — a symlink, a directory, a FIFO, a
device such as /dev/null, a socket, a read-only file, an empty name — is refused with one
sentence before anything is opened, so nothing blocks on a pipe and nothing is ever written
into a device or through a link.

The new content is written to a temporary file in the target's folder and renamed over the
target (`os.replace`), so a failed write leaves the old file whole. The finished file gets
the permissions a plain `open()` would have given it: the user's umask for a new file, the
old file's mode for a replaced one (a temporary file is private, 0600, while it is written).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

STDOUT_NAME = "-"


class UnsafeTargetError(OSError):
    """The target cannot be written safely; the message is one readable sentence."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_replaceable(target: Path) -> os.stat_result | None:
    """Refuse (UnsafeTargetError) a target that is not a new path or a writable regular
    file; the existing file's stat, or None for a new path. Does not follow a symlink."""
    if str(target) in ("", "."):
        raise UnsafeTargetError("The output file name is empty; give a file name.")
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        parent = target.parent
        if parent.is_symlink() or not parent.exists() or parent.is_dir():
            return None  # a missing folder is created (or refused) by the writer
        raise UnsafeTargetError(f"Cannot write {target}: {parent} is not a folder.") from None
    except OSError as error:
        raise UnsafeTargetError(f"Cannot write {target}: {error.strerror}.") from None
    kind = _kind(status.st_mode)
    if kind is not None:
        raise UnsafeTargetError(
            f"{target} is {kind}, not a regular file; it is never replaced, "
            "choose a file name instead."
        )
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeTargetError(f"{target} is read-only; it is not replaced, choose another name.")
    return status


def check_target(target: Path, force: bool) -> None:
    """`check_replaceable`, and an existing file only with `force` (the command line's
    `--force`: a script never overwrites a file by accident)."""
    if check_replaceable(target) is not None and not force:
        raise UnsafeTargetError(f"{target} exists already; choose another name or add --force.")


def _umask() -> int:
    # os.umask can only be read by setting it; /proc tells without touching it (Linux).
    with suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def final_mode(existing: os.stat_result | None) -> int:
    """The permissions of the written file: the old file's, or 0666 less the umask."""
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    return 0o666 & ~_umask()


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A new temporary file beside `target` to write; on success it becomes `target`
    (atomically, with `final_mode`), on failure it is removed and `target` is untouched.

    `target` is checked (`check_replaceable`) before and again just before the rename, so a
    FIFO or link put there meanwhile is refused rather than replaced.
    """
    existing = check_replaceable(target)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        existing = check_replaceable(target)
        os.chmod(temporary, final_mode(existing))
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):  # already gone, or the folder vanished
            temporary.unlink()
        raise
